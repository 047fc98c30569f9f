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

namespace {

[[noreturn]] void out_of_range() {
    ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                    errmsg("a series occurrence is out of range")));
    pg_unreachable();
}

int64 times(int64 k, int64 part) {
    int64 product;
    if (pg_mul_s64_overflow(k, part, &product))
        out_of_range();
    return product;
}

}  // namespace

// What timestamptz_pl_interval does, in the calendar's zone rather than the
// session's.
TimestampTz local_step(pg_tz *zone, TimestampTz first, int64 k, int32 months, int32 days,
                       int64 micros) {
    TimestampTz ts = first;
    struct pg_tm tm;
    fsec_t fsec;
    int offset;
    const int64 add_months = times(k, months);
    const int64 add_days = times(k, days);
    const int64 add_micros = times(k, micros);
    // Far past PostgreSQL's last timestamp (294276 AD) either way, and small
    // enough for the Julian day arithmetic below.
    constexpr int64 kMostMonths = 3600000;  // 300,000 years
    constexpr int64 kMostDays = 100000000;
    if (add_months > kMostMonths || add_days > kMostDays)
        out_of_range();
    if (add_months != 0) {
        if (timestamp2tm(ts, &offset, &tm, &fsec, nullptr, zone) != 0)
            out_of_range();
        int64 month = tm.tm_mon + add_months;  // 1-based
        int64 year = tm.tm_year + (month - 1) / MONTHS_PER_YEAR;
        month = (month - 1) % MONTHS_PER_YEAR + 1;
        if (year > INT32_MAX)
            out_of_range();
        tm.tm_year = static_cast<int>(year);
        tm.tm_mon = static_cast<int>(month);
        const int last = day_tab[isleap(tm.tm_year)][tm.tm_mon - 1];
        if (tm.tm_mday > last)
            tm.tm_mday = last;
        offset = DetermineTimeZoneOffset(&tm, zone);
        if (tm2timestamp(&tm, fsec, &offset, &ts) != 0)
            out_of_range();
    }
    if (add_days != 0) {
        if (timestamp2tm(ts, &offset, &tm, &fsec, nullptr, zone) != 0)
            out_of_range();
        int julian = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) + static_cast<int>(add_days);
        j2date(julian, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
        offset = DetermineTimeZoneOffset(&tm, zone);
        if (tm2timestamp(&tm, fsec, &offset, &ts) != 0)
            out_of_range();
    }
    if (pg_add_s64_overflow(ts, add_micros, &ts) || !IS_VALID_TIMESTAMP(ts))
        out_of_range();
    return ts;
}

core::TimeRange limit_period(const CalendarRules &rules, TimestampTz start, core::Period period) {
    core::DaySpan days = core::period_days(local_day(rules.zone, start), period);
    return {utc_of(rules.zone, {days.first, 0}), utc_of(rules.zone, {days.end, 0})};
}

core::Micros *period_bounds(const CalendarRules &rules, core::StartBounds bounds,
                            core::Period period, int *count) {
    core::DaySpan first = core::period_days(local_day(rules.zone, bounds.lo), period);
    core::DaySpan last = core::period_days(local_day(rules.zone, bounds.hi), period);
    const std::int64_t length = first.end - first.first;
    const int n = static_cast<int>((last.end - first.first) / length) + 1;
    core::Micros *out = static_cast<core::Micros *>(palloc(sizeof(core::Micros) * n));
    for (int i = 0; i < n; ++i)
        out[i] = utc_of(rules.zone, {first.first + i * length, 0});
    *count = n;
    return out;
}

core::Micros earliest_start(const CallContext *ctx, const CalendarRules &rules) {
    return ctx->now + rules.min_notice;
}

core::Micros latest_start(const CallContext *ctx, const CalendarRules &rules) {
    return core::latest_start(ctx->now, rules.has_max_advance, rules.max_advance);
}

core::SlotShape slot_shape(const CallContext *ctx, const CalendarRules &rules,
                           core::Micros duration) {
    core::SlotShape shape;
    shape.duration = duration;
    shape.buffer_before = rules.buffer_before;
    shape.buffer_after = rules.buffer_after;
    shape.earliest_start = earliest_start(ctx, rules);
    shape.latest_start = latest_start(ctx, rules);
    return shape;
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
