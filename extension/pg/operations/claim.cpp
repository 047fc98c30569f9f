// claim_slot: a hold on a slot while the caller is verified.
#include "core/answer_codes.hpp"
#include "core/caller_hold.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/lock_or_refuse.hpp"
#include "pg/operations/new_reservation.hpp"
#include "pg/operations/operations.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/stale_holds.hpp"

namespace booking::pg {

namespace {

Jsonb *hold_answer(const CallContext *ctx, const pg_uuid_t *id, const char *calendar_id,
                   TimestampTz starts_at, TimestampTz ends_at, TimestampTz expires_at) {
    JsonOut j;
    begin_success(&j);
    j.put_uuid("hold_id", id);
    j.put_string("calendar_id", calendar_id);
    j.put_timestamp("starts_at", starts_at);
    j.put_timestamp("ends_at", ends_at);
    j.put_timestamp("expires_at", expires_at);
    j.put_string("status", "held");
    return answer(ctx, &j);
}

bool same_slot(const Reservation &r, const char *calendar_id, core::TimeRange slot) {
    return strcmp(r.calendar_id, calendar_id) == 0 && r.starts_at == slot.start &&
           r.ends_at == slot.end;
}

}  // namespace

Jsonb *claim_slot(const ClaimRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        CalendarRules rules;
        NewHold hold;
        if (Jsonb *refused = open_new_reservation(ctx, req.calendar_id, req.starts_at, req.duration,
                                                  &rules, &hold.r))
            return refused;
        const char *calendar_id = hold.r.calendar_id;
        const core::TimeRange slot = hold.r.slot;
        hold.expires_at = ctx->now + req.ttl;
        hold.caller_ref = req.caller_ref.str;
        hold.patient_phone = req.patient_phone.str;
        hold.patient_name = req.patient_name.str;

        bool released_previous = false;
        for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
            // A fresh id each attempt: the audit log orders by id, and a
            // move's release is written between attempts.
            PendingAudit claimed = pending_audit(ctx, ctx->org_id, "claimed", &hold.r.id,
                                                 range_details(calendar_id, slot.start, slot.end));
            if (insert_hold(ctx, hold, &claimed))
                return hold_answer(ctx, &hold.r.id, calendar_id, slot.start, slot.end,
                                   hold.expires_at);

            // Something stood in the way: the caller's own hold, a stale hold, or
            // a live reservation. Find out which, under the calendar lock.
            Reservation previous;
            bool moving = false;
            const pg_uuid_t *exclude = nullptr;
            if (req.caller_ref.present() && find_caller_hold(ctx, req.caller_ref.str, &previous)) {
                core::CallerHold existing{previous.status, previous.expires_at,
                                          same_slot(previous, calendar_id, slot)};
                switch (core::plan_caller_hold(existing, ctx->now)) {
                case core::CallerHoldPlan::locked:
                    return failure_answer(
                        ctx, core::codes::kOtpLocked,
                        "this caller's hold awaits staff after failed verification",
                        core::codes::kEscalateToHuman);
                case core::CallerHoldPlan::reuse:
                    return hold_answer(ctx, &previous.id, previous.calendar_id, previous.starts_at,
                                       previous.ends_at, previous.expires_at);
                case core::CallerHoldPlan::claim_new:
                    expire_if_stale(ctx, previous);
                    break;
                case core::CallerHoldPlan::move:
                    moving = true;
                    if (strcmp(previous.calendar_id, calendar_id) == 0)
                        exclude = &previous.id;
                    break;
                }
            }

            ConflictScan scan =
                clear_stale_conflicts(ctx, calendar_id, blocked_range(rules, slot), exclude, rules.capacity);
            if (scan.full) {
                if (released_previous)
                    raise_concurrent_writer();
                return unavailable_answer(ctx, core::codes::kSlotUnavailable,
                                          "that time is already taken", calendar_id, slot, exclude,
                                          nullptr);
            }
            if (moving) {
                mark_released(ctx, &previous.id, "moved");
                write_audit(
                    ctx, ctx->org_id, "released", &previous.id,
                    range_details(previous.calendar_id, previous.starts_at, previous.ends_at));
                released_previous = true;
            }
        }
        raise_concurrent_writer();
    });
}

}  // namespace booking::pg
