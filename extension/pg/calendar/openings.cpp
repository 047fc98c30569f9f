// A calendar's openings in real time: its weekly hours read in its time zone,
// day by day, as PostgreSQL's own time-zone rules resolve local times.
#include "core/civil_date.hpp"
#include "pg/calendar/rules.hpp"

namespace booking::pg {

namespace {

std::int64_t local_day(pg_tz *zone, TimestampTz ts) {
    struct pg_tm tm;
    fsec_t fsec;
    int offset;
    if (timestamp2tm(ts, &offset, &tm, &fsec, nullptr, zone) != 0)
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("timestamp out of range")));
    return core::days_from_civil(tm.tm_year, static_cast<unsigned>(tm.tm_mon),
                                 static_cast<unsigned>(tm.tm_mday));
}

// The instant a local wall-clock moment names, resolved by PostgreSQL's own
// rules: a time in a spring-forward gap and a repeated fall-back time are
// read exactly as a timestamptz literal in that zone would be.
TimestampTz utc_of(pg_tz *zone, core::LocalMoment m) {
    std::int64_t day = m.day;
    int minute = m.minute;
    if (minute >= core::kMinutesPerDay) {
        day += 1;
        minute -= core::kMinutesPerDay;
    }
    core::CivilDate date = core::civil_from_days(day);
    struct pg_tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = static_cast<int>(date.year);
    tm.tm_mon = static_cast<int>(date.month);
    tm.tm_mday = static_cast<int>(date.day);
    tm.tm_hour = minute / 60;
    tm.tm_min = minute % 60;
    int offset = DetermineTimeZoneOffset(&tm, zone);
    TimestampTz ts;
    if (tm2timestamp(&tm, 0, &offset, &ts) != 0)
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("timestamp out of range")));
    return ts;
}

}  // namespace

core::Opening *calendar_openings(const CalendarRules &rules, core::StartBounds bounds, int *count) {
    // A day of margin each side: an opening that starts the day before can
    // still hold a candidate, and one the day after can extend a chain.
    std::int64_t first = local_day(rules.zone, bounds.lo) - 1;
    std::int64_t last = local_day(rules.zone, bounds.hi) + 1;
    std::size_t capacity = static_cast<std::size_t>(last - first + 1) * 2 * core::kMaxIntervalsPerDay;
    core::LocalMoment *moments =
        static_cast<core::LocalMoment *>(palloc(sizeof(core::LocalMoment) * capacity));
    std::size_t n = core::opening_moments(rules.hours, first, last, moments, capacity);
    core::Micros *utc = static_cast<core::Micros *>(palloc(sizeof(core::Micros) * (n + 1)));
    for (std::size_t i = 0; i < n; ++i)
        utc[i] = utc_of(rules.zone, moments[i]);
    core::Opening *openings =
        static_cast<core::Opening *>(palloc(sizeof(core::Opening) * (n / 2 + 1)));
    *count = static_cast<int>(core::build_openings(utc, n, rules.step, openings));
    pfree(moments);
    pfree(utc);
    return openings;
}

core::Micros earliest_start(const CallContext *ctx, const CalendarRules &rules) {
    return ctx->now + rules.min_notice;
}

bool within_working_hours(const CalendarRules &rules, core::TimeRange slot) {
    if (rules.hours.always_open)
        return true;
    int n = 0;
    core::Opening *openings = calendar_openings(rules, {slot.start, slot.start}, &n);
    bool inside = core::within_openings({openings, static_cast<std::size_t>(n)}, slot);
    pfree(openings);
    return inside;
}

core::TimeRange blocked_range(const CalendarRules &rules, core::TimeRange slot) {
    return {slot.start - rules.buffer_before, slot.end + rules.buffer_after};
}

}  // namespace booking::pg
