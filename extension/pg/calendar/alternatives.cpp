#include "pg/calendar/alternatives.hpp"

#include "pg/settings/settings.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

namespace {

constexpr core::Micros kFirstReach = core::kMicrosPerDay / 2;
constexpr core::Micros kWidening = 4;

}  // namespace

core::TimeRange *busy_ranges(const CalendarRules &rules, const core::Occupant *occupants, int n,
                             int *count) {
    core::TimeRange *busy =
        static_cast<core::TimeRange *>(palloc(sizeof(core::TimeRange) * (n + 1)));
    if (rules.capacity == 1) {
        for (int i = 0; i < n; ++i)
            busy[i] = occupants[i].blocks;
        *count = n;
    } else {
        *count = static_cast<int>(core::full_ranges({occupants, static_cast<std::size_t>(n)},
                                                    rules.capacity, busy,
                                                    static_cast<std::size_t>(n) + 1));
    }
    return busy;
}

int find_alternatives(const CallContext *ctx, const char *calendar_id, const CalendarRules &rules,
                      core::TimeRange requested, const pg_uuid_t *exclude, core::TimeRange *out,
                      int capacity) {
    if (capacity <= 0)
        return 0;
    const core::Micros duration = requested.length();
    const core::Micros horizon = settings::search_horizon();
    core::SlotShape shape;
    shape.duration = duration;
    shape.buffer_before = rules.buffer_before;
    shape.buffer_after = rules.buffer_after;
    shape.earliest_start = earliest_start(ctx, rules);

    // Nearest to a time already too close means the first ones from then on.
    const core::Micros center =
        requested.start > shape.earliest_start ? requested.start : shape.earliest_start;
    core::Micros reach = kFirstReach < horizon ? kFirstReach : horizon;
    for (;;) {
        core::StartBounds bounds{center - reach, center + reach};
        core::TimeRange busy_window{bounds.lo - shape.buffer_before,
                                    bounds.hi + duration + shape.buffer_after};
        int noccupants = 0;
        core::Occupant *occupants = load_busy(ctx, calendar_id, busy_window, exclude, &noccupants);
        int nbusy = 0;
        core::TimeRange *busy = busy_ranges(rules, occupants, noccupants, &nbusy);
        pfree(occupants);
        int nopenings = 0;
        core::Opening *openings = calendar_openings(rules, bounds, &nopenings);
        std::size_t found = core::nearest_free_slots(
            {busy, static_cast<std::size_t>(nbusy)},
            {openings, static_cast<std::size_t>(nopenings)}, shape, center, bounds, out,
            static_cast<std::size_t>(capacity));
        pfree(busy);
        pfree(openings);
        if (static_cast<int>(found) >= capacity || reach >= horizon)
            return static_cast<int>(found);
        reach = reach * kWidening < horizon ? reach * kWidening : horizon;
    }
}

}  // namespace booking::pg
