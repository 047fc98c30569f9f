#include "pg/calendar/limits.hpp"

#include "pg/store/overlap_guard.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

namespace {

int limit_of(const CalendarRules &rules, core::Period period) {
    return period == core::Period::day ? rules.max_per_day : rules.max_per_week;
}

constexpr core::Period kPeriods[] = {core::Period::day, core::Period::week};

}  // namespace

bool breaks_limit(const CallContext *ctx, const char *calendar_id, const CalendarRules &rules,
                  TimestampTz start, const pg_uuid_t *exclude, int adding, core::Period *which,
                  bool *in_flight) {
    const core::TimeRange day = limit_period(rules, start, core::Period::day);
    const core::TimeRange week =
        rules.max_per_week == 0 ? day : limit_period(rules, start, core::Period::week);
    *which = rules.max_per_week == 0 ? core::Period::day : core::Period::week;
    // A bound first, from the index's entries (store's bound_starts_in): a
    // calendar short of its limits is told so without fetching every row of
    // its week (at every booking, that was most of what the limits cost); a
    // day or week near its limit is counted.
    const int64 bound = bound_starts_in(ctx, calendar_id, week);
    if (bound >= 0 && core::leaves_room(bound, adding, rules.max_per_day, rules.max_per_week))
        return false;
    // (The bound counts a writer's rows in flight: their entries are there.)
    if (writer_in_flight(ctx, calendar_id, week)) {
        if (in_flight != nullptr)
            *in_flight = true;
        return true;
    }
    if (rules.max_per_week == 0)
        return core::over_limit(count_starts_in(ctx, calendar_id, day, exclude) + adding,
                                rules.max_per_day);
    // Both limits from one walk of the week, which holds the day: a walk is
    // a statement's execution, the larger part of what a count costs.
    int n = 0;
    core::Micros *starts = find_starts_in(ctx, calendar_id, week, exclude, &n);
    int in_day = 0;
    for (int i = 0; i < n; ++i)
        in_day += starts[i] >= day.start && starts[i] < day.end ? 1 : 0;
    pfree(starts);
    if (rules.max_per_day > 0 && core::over_limit(in_day + adding, rules.max_per_day)) {
        *which = core::Period::day;
        return true;
    }
    return core::over_limit(n + adding, rules.max_per_week);
}

core::Opening *without_full_periods(const CallContext *ctx, const char *calendar_id,
                                    const CalendarRules &rules, core::StartBounds bounds,
                                    const pg_uuid_t *exclude, core::Opening *openings,
                                    int *count) {
    for (core::Period period : kPeriods) {
        const int limit = limit_of(rules, period);
        if (limit == 0 || *count == 0)
            continue;
        int nbounds = 0;
        core::Micros *edges = period_bounds(rules, bounds, period, &nbounds);
        int nstarts = 0;
        core::Micros *starts = find_starts_in(ctx, calendar_id, {edges[0], edges[nbounds - 1]},
                                              exclude, &nstarts);
        core::TimeRange *full =
            static_cast<core::TimeRange *>(palloc(sizeof(core::TimeRange) * nbounds));
        const std::size_t nfull = core::full_periods(
            {edges, static_cast<std::size_t>(nbounds)}, {starts, static_cast<std::size_t>(nstarts)},
            limit, full, static_cast<std::size_t>(nbounds));
        if (nfull > 0) {
            const std::size_t room = static_cast<std::size_t>(*count) + nfull;
            core::Opening *cut = static_cast<core::Opening *>(palloc(sizeof(core::Opening) * room));
            *count = static_cast<int>(core::cut_starts(
                {openings, static_cast<std::size_t>(*count)}, {full, nfull}, cut, room));
            openings = cut;
        }
        pfree(edges);
        pfree(starts);
        pfree(full);
    }
    return openings;
}

}  // namespace booking::pg
