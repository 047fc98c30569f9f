#include "period_limits.hpp"

#include "civil_date.hpp"

namespace booking::core {

DaySpan period_days(std::int64_t day, Period period) {
    if (period == Period::day)
        return {day, day + 1};
    std::int64_t monday = day - iso_weekday(day);
    return {monday, monday + 7};
}

std::size_t full_periods(Span<Micros> bounds, Span<Micros> starts, int limit, TimeRange *out,
                         std::size_t capacity) {
    std::size_t n = 0;
    std::size_t s = 0;
    for (std::size_t p = 0; p + 1 < bounds.size; ++p) {
        const TimeRange period{bounds[p], bounds[p + 1]};
        while (s < starts.size && starts[s] < period.start)
            ++s;
        std::int64_t counted = 0;
        while (s < starts.size && starts[s] < period.end) {
            ++counted;
            ++s;
        }
        // Full when one more would break it.
        if (!over_limit(counted + 1, limit))
            continue;
        if (n > 0 && out[n - 1].end == period.start)
            out[n - 1].end = period.end;
        else if (n < capacity)
            out[n++] = period;
        else
            break;
    }
    return n;
}

std::size_t cut_starts(Span<Opening> openings, Span<TimeRange> cut, Opening *out,
                       std::size_t capacity) {
    std::size_t n = 0;
    std::size_t c = 0;
    for (const Opening &opening : openings) {
        Opening rest = opening;
        // The cuts ending before this opening cannot touch a later one either.
        while (c < cut.size && cut[c].end <= rest.range.start)
            ++c;
        for (std::size_t k = c; k < cut.size && cut[k].start < rest.range.end && !rest.range.empty();
             ++k) {
            if (cut[k].start > rest.range.start && n < capacity) {
                Opening before = rest;
                before.range.end = cut[k].start;
                before.end_by = rest.latest_end();
                out[n++] = before;
            }
            rest.range.start = cut[k].end > rest.range.start ? cut[k].end : rest.range.start;
        }
        if (!rest.range.empty() && n < capacity)
            out[n++] = rest;
    }
    return n;
}

StartStep start_step(TimeRange window, Micros start, bool lapsed, int capacity) {
    if (lapsed)
        return StartStep::skip;
    if (start >= window.end)
        return capacity == 1 ? StartStep::stop : StartStep::skip;
    return start < window.start ? StartStep::skip : StartStep::take;
}

}  // namespace booking::core
