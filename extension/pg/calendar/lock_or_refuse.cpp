#include "pg/calendar/lock_or_refuse.hpp"

#include "core/answer_codes.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/lock.hpp"
#include "pg/store/scale_out.hpp"

namespace booking::pg {

Jsonb *lock_or_refuse(const CallContext *ctx, const char *calendar_id, const CalendarRules &rules,
                      core::TimeRange slot, const pg_uuid_t *exclude) {
    if (slot.start < ctx->now)
        return unavailable_answer(ctx, core::codes::kSlotInPast, "the requested time has passed",
                                  calendar_id, slot, exclude, nullptr);
    if (slot.start < earliest_start(ctx, rules))
        return unavailable_answer(ctx, core::codes::kTooSoon,
                                  "that time is too soon to book on this calendar", calendar_id,
                                  slot, exclude, nullptr);
    if (!within_working_hours(rules, slot))
        return unavailable_answer(ctx, core::codes::kOutsideWorkingHours,
                                  "that time is outside this calendar's working hours",
                                  calendar_id, slot, exclude, nullptr);
    // On a Citus coordinator the call was not delegated: its writes meet the
    // overlap guard on the shard's node, which takes this calendar's lock
    // there, where delegated calls take it. A lock here as well would order
    // two locks of two nodes differently from those calls, and Citus's
    // deadlock detector, which sees every delegated call as one transaction,
    // cancels such a wait as a distributed deadlock.
    if (on_coordinator())
        return nullptr;
    if (!lock_calendar(ctx->org_id, calendar_id, static_cast<int>(strlen(calendar_id))))
        return busy_answer(ctx);
    return nullptr;
}

void raise_concurrent_writer() {
    ereport(ERROR,
            (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
             errmsg("could not book: the calendar changed under a concurrent writer"),
             errdetail("A write that bypassed the booking functions touched the same calendar."),
             errhint("Retry the call.")));
    pg_unreachable();
}

}  // namespace booking::pg
