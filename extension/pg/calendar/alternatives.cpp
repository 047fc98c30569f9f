#include "pg/calendar/alternatives.hpp"

#include "core/working_hours.hpp"
#include "pg/calendar/limits.hpp"
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
    const core::SlotShape shape = slot_shape(ctx, rules, duration);

    const core::Micros center = search_center(shape, requested.start);
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
        openings = without_full_periods(ctx, calendar_id, rules, bounds, exclude, openings,
                                        &nopenings);
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

namespace {

// Appends to *busy (room *room, n *n) what blocks a start on calendar c, in
// terms of the slot's own range (see find_set_alternatives).
void add_blocking_of(const CallContext *ctx, const SearchCalendar &c, core::StartBounds bounds,
                     core::Micros duration, bool closed_times, core::TimeRange **busy, int *n,
                     int *room) {
    const CalendarRules &r = *c.rules;
    core::TimeRange window{bounds.lo - r.buffer_before, bounds.hi + duration + r.buffer_after};
    int noccupants = 0;
    core::Occupant *occupants = load_busy(ctx, c.calendar_id, window, c.exclude, &noccupants);
    int nfull = 0;
    core::TimeRange *full = busy_ranges(r, occupants, noccupants, &nfull);
    int nclosed = 0;
    core::TimeRange *closed = nullptr;
    if (closed_times && !r.hours.always_open) {
        // A day each side, as calendar_openings reads them.
        core::StartBounds wide{bounds.lo - core::kMicrosPerDay,
                               bounds.hi + duration + core::kMicrosPerDay};
        int nopenings = 0;
        core::Opening *openings = calendar_openings(r, wide, &nopenings);
        closed = static_cast<core::TimeRange *>(
            palloc(sizeof(core::TimeRange) * (static_cast<std::size_t>(nopenings) + 1)));
        nclosed = static_cast<int>(core::closed_within(
            {openings, static_cast<std::size_t>(nopenings)}, {wide.lo, wide.hi}, closed,
            static_cast<std::size_t>(nopenings) + 1));
        pfree(openings);
    }
    if (*n + nfull + nclosed > *room) {
        while (*n + nfull + nclosed > *room)
            *room *= 2;
        *busy = static_cast<core::TimeRange *>(repalloc(*busy, sizeof(core::TimeRange) * *room));
    }
    for (int i = 0; i < nfull; ++i)
        (*busy)[(*n)++] = {full[i].start - r.buffer_after, full[i].end + r.buffer_before};
    for (int i = 0; i < nclosed; ++i)
        (*busy)[(*n)++] = closed[i];
    pfree(occupants);
    pfree(full);
    if (closed != nullptr)
        pfree(closed);
}

}  // namespace

int find_set_alternatives(const CallContext *ctx, const SearchCalendar *calendars, int n,
                          core::TimeRange requested, core::TimeRange *out, int capacity) {
    if (capacity <= 0 || n <= 0)
        return 0;
    const core::Micros duration = requested.length();
    const core::Micros horizon = settings::search_horizon();
    // The slot's own range is compared (the buffers are in each calendar's
    // busy ranges), from the latest earliest start of them all.
    core::SlotShape shape;
    shape.duration = duration;
    shape.buffer_before = 0;
    shape.buffer_after = 0;
    shape.earliest_start = earliest_start(ctx, *calendars[0].rules);
    for (int i = 1; i < n; ++i) {
        core::Micros e = earliest_start(ctx, *calendars[i].rules);
        if (e > shape.earliest_start)
            shape.earliest_start = e;
    }
    // And to the earliest horizon of them all.
    for (int i = 0; i < n; ++i) {
        core::Micros l = latest_start(ctx, *calendars[i].rules);
        if (l < shape.latest_start)
            shape.latest_start = l;
    }
    const core::Micros center = search_center(shape, requested.start);
    core::Micros reach = kFirstReach < horizon ? kFirstReach : horizon;
    for (;;) {
        core::StartBounds bounds{center - reach, center + reach};
        int room = 64;
        int nbusy = 0;
        core::TimeRange *busy =
            static_cast<core::TimeRange *>(palloc(sizeof(core::TimeRange) * room));
        // The first calendar's hours are the openings (and its grid); the
        // others' hours come in as their closed times.
        for (int i = 0; i < n; ++i)
            add_blocking_of(ctx, calendars[i], bounds, duration, i > 0, &busy, &nbusy, &room);
        int nopenings = 0;
        core::Opening *openings = calendar_openings(*calendars[0].rules, bounds, &nopenings);
        // A start is one instant for all of them: no start in a full day or
        // week of any.
        for (int i = 0; i < n; ++i)
            openings = without_full_periods(ctx, calendars[i].calendar_id, *calendars[i].rules,
                                            bounds, calendars[i].exclude, openings, &nopenings);
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
