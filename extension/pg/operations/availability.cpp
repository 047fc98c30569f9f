// Reading availability: is a slot free, and which slots of a window are.
#include "core/answer_codes.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/alternatives.hpp"
#include "pg/calendar/free_search.hpp"
#include "pg/calendar/limits.hpp"
#include "pg/operations/operations.hpp"
#include "pg/settings/settings.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

Jsonb *check_availability(const pg_uuid_t *org_id, TextArg calendar_id, TimestampTz starts_at,
                          core::Micros duration) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        core::TimeRange slot{starts_at, starts_at + duration};
        CalendarRules rules = calendar_rules(ctx, calendar_id.str);
        core::TimeRange blocked = blocked_range(rules, slot);

        int n = 0;
        Reservation *found = find_overlapping(ctx, calendar_id.str, blocked, nullptr, &n);
        int live = 0;
        core::Occupant *occupants =
            static_cast<core::Occupant *>(palloc(sizeof(core::Occupant) * (n + 1)));
        for (int i = 0; i < n; ++i) {
            if (core::is_blocking(found[i].status, found[i].expires_at, ctx->now)) {
                occupants[live].blocks = found[i].blocks;
                occupants[live].capacity = found[i].capacity;
                found[live++] = found[i];
            }
        }
        // At capacity 1 anything live fills the slot; else count the places.
        const int places =
            rules.capacity == 1
                ? (live > 0 ? 0 : 1)
                : core::places_left({occupants, static_cast<std::size_t>(live)}, blocked,
                                    rules.capacity);
        const char *reason = nullptr;
        if (slot.start < ctx->now)
            reason = core::codes::kSlotInPast;
        else if (slot.start < earliest_start(ctx, rules))
            reason = core::codes::kTooSoon;
        else if (core::beyond_horizon(slot.start, latest_start(ctx, rules)))
            reason = core::codes::kTooFarAhead;
        else if (!within_working_hours(rules, slot))
            reason = core::codes::kOutsideWorkingHours;
        else if (places < 1)
            reason = core::codes::kSlotUnavailable;
        core::Period full_period = core::Period::day;
        if (reason == nullptr && has_limits(rules) &&
            breaks_limit(ctx, calendar_id.str, rules, slot.start, nullptr, 1, &full_period))
            reason = core::codes::kLimitReached;

        int capacity = settings::alternatives_count;
        core::TimeRange *alternatives =
            static_cast<core::TimeRange *>(palloc(sizeof(core::TimeRange) * (capacity + 1)));
        int nalt = reason == nullptr ? 0
                                     : find_alternatives(ctx, calendar_id.str, rules, slot, nullptr,
                                                         alternatives, capacity);
        JsonOut j;
        begin_success(&j);
        j.put_bool("available", reason == nullptr);
        if (reason != nullptr)
            j.put_string("reason", reason);
        if (reason == core::codes::kLimitReached)
            j.put_string("limit", limit_name(full_period));
        j.put_string("calendar_id", calendar_id.str);
        j.put_timestamp("starts_at", slot.start);
        j.put_timestamp("ends_at", slot.end);
        j.begin_array("conflicts");
        for (int i = 0; i < live; ++i) {
            j.begin_element_object();
            j.put_uuid("id", &found[i].id);
            j.put_timestamp("starts_at", found[i].starts_at);
            j.put_timestamp("ends_at", found[i].ends_at);
            j.put_string("status", core::status_name(found[i].status));
            j.end_object();
        }
        j.end_array();
        // Said only where a slot can have several places, so the answers of
        // a calendar of capacity 1 stay as they were.
        if (rules.capacity != 1) {
            j.put_int("capacity", rules.capacity);
            j.put_int("places_left", places > 0 ? places : 0);
        }
        if (reason != nullptr)
            put_alternatives(&j, alternatives, nalt);
        return answer(ctx, &j);
    });
}

int free_slots(const FreeSlotsRequest &req, core::TimeRange **out, int **places_out) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> int {
        CalendarRules rules = calendar_rules(ctx, req.calendar_id.str);
        core::TimeRange *slots = static_cast<core::TimeRange *>(MemoryContextAlloc(
            ctx->caller_context, sizeof(core::TimeRange) * (req.max_results + 1)));
        int *places = static_cast<int *>(
            MemoryContextAlloc(ctx->caller_context, sizeof(int) * (req.max_results + 1)));
        int n = search_free_slots(ctx, req.calendar_id.str, rules, req.from_ts, req.until_ts,
                                  req.duration, req.max_results, slots, places);
        *out = slots;
        *places_out = places;
        return n;
    });
}

}  // namespace booking::pg
