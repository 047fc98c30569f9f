#include "pg/calendar/free_search.hpp"

#include "pg/calendar/alternatives.hpp"
#include "pg/calendar/limits.hpp"
#include "pg/settings/settings.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

int search_free_slots(const CallContext *ctx, const char *calendar_id,
                      const CalendarRules &rules, TimestampTz from, TimestampTz until,
                      core::Micros duration, int max_results, core::TimeRange *slots,
                      int *places) {
    const core::SlotShape shape = slot_shape(ctx, rules, duration);

    // The answer is bounded twice: by max_results and by the horizon; the
    // window is read a day at a time so a short answer costs a short scan.
    const core::Micros horizon = settings::search_horizon();
    if (until - from > horizon)
        until = from + horizon;
    const core::Micros last_start = until - duration;

    int n = 0;
    for (core::Micros lo = from; lo <= last_start && n < max_results; lo += core::kMicrosPerDay) {
        core::StartBounds bounds{lo, lo + core::kMicrosPerDay - 1};
        if (bounds.hi > last_start)
            bounds.hi = last_start;
        if (bounds.hi < shape.earliest_start)
            continue;
        // Past the calendar's booking horizon no day has a slot.
        if (core::beyond_horizon(bounds.lo, shape.latest_start))
            break;
        core::TimeRange window{bounds.lo - shape.buffer_before,
                               bounds.hi + shape.duration + shape.buffer_after};
        int noccupants = 0;
        core::Occupant *occupants = load_busy(ctx, calendar_id, window, nullptr, &noccupants);
        int nbusy = 0;
        core::TimeRange *busy = busy_ranges(rules, occupants, noccupants, &nbusy);
        int nopenings = 0;
        core::Opening *openings = calendar_openings(rules, bounds, &nopenings);
        openings = without_full_periods(ctx, calendar_id, rules, bounds, nullptr, openings,
                                        &nopenings);
        int found = static_cast<int>(core::free_slots_forward(
            {busy, static_cast<std::size_t>(nbusy)},
            {openings, static_cast<std::size_t>(nopenings)}, shape, bounds, slots + n,
            static_cast<std::size_t>(max_results - n)));
        // At capacity 1 a free slot has its one place; else count.
        for (int i = n; places != nullptr && i < n + found; ++i) {
            places[i] = rules.capacity == 1
                            ? 1
                            : core::places_left({occupants, static_cast<std::size_t>(noccupants)},
                                                blocked_range(rules, slots[i]), rules.capacity);
        }
        n += found;
        pfree(occupants);
        pfree(busy);
        pfree(openings);
    }
    return n;
}

}  // namespace booking::pg
