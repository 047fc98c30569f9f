// Reading availability: is a slot free, and which slots of a window are.
#include "core/answer_codes.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/alternatives.hpp"
#include "core/pool_choice.hpp"
#include "pg/calendar/free_search.hpp"
#include "pg/operations/pool_path.hpp"
#include "pg/calendar/limits.hpp"
#include "pg/calendar/pools.hpp"
#include "pg/operations/operations.hpp"
#include "pg/settings/settings.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

namespace {

// One calendar's answer to check_availability; *available says which.
// Whose alternatives a refusal offers: the calendar's own (the default);
// none (a pool asking its members, which needs them only if no member is
// free); or the n given (the pool's, for the answer of its first member).
struct PoolAlternatives {
    bool none;
    const core::TimeRange *slots;
    int n;  // how many slots are given; -1: none given
};
BOOKING_PLAIN_DATA(PoolAlternatives);

Jsonb *calendar_availability(const CallContext *ctx, const char *calendar_id_str,
                             core::TimeRange slot, bool *available,
                             PoolAlternatives pool = {false, nullptr, -1}) {
    const TextArg calendar_id{calendar_id_str, static_cast<int>(strlen(calendar_id_str))};
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
    int nalt = 0;
    if (reason != nullptr && pool.n >= 0) {
        nalt = pool.n < capacity ? pool.n : capacity;
        memcpy(alternatives, pool.slots, sizeof(core::TimeRange) * nalt);
    } else if (reason != nullptr && !pool.none) {
        nalt = find_alternatives(ctx, calendar_id.str, rules, slot, nullptr, alternatives,
                                 capacity);
    }
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
    *available = reason == nullptr;
    return answer(ctx, &j);
}

// One calendar's free slots (req's window, duration and max_results) into
// slots and places, allocated by the caller; returns how many.
int calendar_free_slots(const CallContext *ctx, const FreeSlotsRequest &req,
                        const char *calendar_id, core::TimeRange *slots, int *places) {
    CalendarRules rules = calendar_rules(ctx, calendar_id);
    return search_free_slots(ctx, calendar_id, rules, req.from_ts, req.until_ts, req.duration,
                             req.max_results, slots, places);
}

}  // namespace

Jsonb *check_availability(const pg_uuid_t *org_id, TextArg calendar_id, TimestampTz starts_at,
                          core::Micros duration) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        core::TimeRange slot{starts_at, starts_at + duration};
        bool available = false;
        PoolMember *members = nullptr;
        const int n = pool_members(ctx, calendar_id.str, &members);
        if (n == 0)
            return calendar_availability(ctx, calendar_id.str, slot, &available);
        ctx->pool_id = calendar_id.str;
        // A pool: the first member free answers; none free, the first's
        // answer says why, with the nearest slots of any member (the union,
        // as a refused booking of the pool offers them).
        for (int i = 0; i < n; ++i) {
            Jsonb *a = calendar_availability(ctx, members[i].calendar_id, slot, &available,
                                             {true, nullptr, -1});
            if (available)
                return a;
        }
        core::TimeRange *alternatives = nullptr;
        const int nalt = pool_alternatives(ctx, members, n, slot, &alternatives);
        return calendar_availability(ctx, members[0].calendar_id, slot, &available,
                                     {false, alternatives, nalt});
    });
}

int free_slots(const FreeSlotsRequest &req, core::TimeRange **out, int **places_out) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> int {
        PoolMember *members = nullptr;
        const int members_n = pool_members(ctx, req.calendar_id.str, &members);
        const int calendars = members_n == 0 ? 1 : members_n;
        const std::size_t room = static_cast<std::size_t>(req.max_results) * calendars + 1;
        core::TimeRange *slots = static_cast<core::TimeRange *>(
            MemoryContextAlloc(ctx->caller_context, sizeof(core::TimeRange) * room));
        int *places = static_cast<int *>(MemoryContextAlloc(ctx->caller_context, sizeof(int) * room));
        int n = 0;
        if (members_n == 0) {
            n = calendar_free_slots(ctx, req, req.calendar_id.str, slots, places);
        } else {
            // A pool: the union of its members' first max_results (any slot
            // among the union's first is among its member's first), each
            // counting the members free for it.
            for (int i = 0; i < members_n; ++i)
                n += calendar_free_slots(ctx, req, members[i].calendar_id, slots + n, places + n);
            n = static_cast<int>(core::merge_free_slots(slots, static_cast<std::size_t>(n), places,
                                                        static_cast<std::size_t>(req.max_results)));
        }
        *out = slots;
        *places_out = places;
        return n;
    });
}

}  // namespace booking::pg
