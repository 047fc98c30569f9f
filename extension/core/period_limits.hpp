// A calendar's limits per local day and per ISO week (set_calendar's
// max_per_day and max_per_week): which local days a start's day or week
// spans, whether a count breaks a limit, and which starts a search must skip
// because their day or week is full. Days are civil_date's day numbers; the
// local midnights that bound them are PostgreSQL's to resolve (its own
// time-zone rules, calendar/openings.cpp), so a day across a daylight-saving
// change is as long as it really is.
#pragma once

#include <cstdint>

#include "slot_search.hpp"

namespace booking::core {

enum class Period { day, week };

// The largest limit set_calendar takes: far above what a calendar can hold
// in a week (capacity 1000 on a five-minute grid is about 2 million, but no
// clinic caps that), small enough that a count never nears int range.
constexpr int kMaxPerPeriod = 100000;

// Local days [first, end).
struct DaySpan {
    std::int64_t first;
    std::int64_t end;
};

// The period of local day `day`: the day itself, or its ISO week, Monday
// first.
DaySpan period_days(std::int64_t day, Period period);

// Counted after the write, the new reservation included: the limit breaks
// only when more than it are there (a limit of 2 admits the second).
constexpr bool over_limit(std::int64_t counted, int limit) { return counted > limit; }

// Whether `bound` starts in a period (at least as many as there are) plus
// `adding` more leave both limits (0: not set) unbroken: when they do, no
// count can break one, so none need be taken. The period must hold every
// period a set limit counts: the week, when a week's limit is set, bounds
// the day's count too.
constexpr bool leaves_room(std::int64_t bound, int adding, int max_per_day, int max_per_week) {
    return (max_per_day == 0 || !over_limit(bound + adding, max_per_day)) &&
           (max_per_week == 0 || !over_limit(bound + adding, max_per_week));
}

// What a count of a calendar's starts in window does with each blocking row
// it walks in the order of the end of the rows' blocking ranges, from the
// first ending after the window starts: a lapsed hold is skipped, a start
// in the window taken; a row of capacity 1 starting at or after the window's
// end closes the walk, for no live row ending later can start before it (it
// would cover that row's whole range, against its one place: the overlap
// guard's invariant), so a calendar of capacity 1 reads the period's rows and
// one more, not the longest blocking range's.
enum class StartStep { skip, take, stop };
StartStep start_step(TimeRange window, Micros start, bool lapsed, int capacity);

// Periods as consecutive instants bounds[0] < bounds[1] < ... (each local
// midnight that starts one), and the starts of the blocking reservations,
// ascending: writes to out the periods holding at least `limit` starts (no
// place left), merged where they meet; returns how many (at most
// bounds.size - 1, and no more than capacity).
std::size_t full_periods(Span<Micros> bounds, Span<Micros> starts, int limit, TimeRange *out,
                         std::size_t capacity);

// The openings with no start inside any of cut (sorted, disjoint): each
// opening split around them, a piece before a cut keeping the opening's
// latest end, so a slot starting before a full day may still run into it,
// and every piece its grid. Writes at most openings.size + cut.size pieces.
std::size_t cut_starts(Span<Opening> openings, Span<TimeRange> cut, Opening *out,
                       std::size_t capacity);

}  // namespace booking::core
