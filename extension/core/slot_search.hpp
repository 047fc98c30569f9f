// Finding free slots: the nearest alternatives to a taken request, and the
// free slots of a window.
//
// Inputs are the calendar's busy ranges (blocking ranges of live reservations,
// buffers included), the openings in which appointments may lie (each with the
// grid its start times fall on), and the shape of the wanted slot. A candidate
// start t is free when [t - buffer_before, t + duration + buffer_after) meets
// no busy range; the same test the database's overlap guard makes.
// Work is proportional to the busy ranges crossed and the slots returned:
// a blocked candidate jumps straight past the range that blocks it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "time_range.hpp"

namespace booking::core {

// Appointments start inside range, at anchor + k * step, and end by the
// later of range.end and end_by (end_by lets a slot run on into an opening
// that follows without a gap, such as the next day of a calendar open at all
// hours).
struct Opening {
    TimeRange range;
    Micros anchor = 0;
    Micros step = 0;
    Micros end_by = kNoLaterEnd;

    static constexpr Micros kNoLaterEnd = INT64_MIN;
    constexpr Micros latest_end() const { return range.end > end_by ? range.end : end_by; }
};

struct SlotShape {
    Micros duration = 0;
    Micros buffer_before = 0;
    Micros buffer_after = 0;
    Micros earliest_start = 0;  // nothing starts before this (now, plus any notice)
    Micros latest_start = kNoLatestStart;  // nor after this (a calendar's max_advance)

    static constexpr Micros kNoLatestStart = INT64_MAX;
};

// The latest start a calendar's booking horizon allows at now: now plus
// max_advance, or no limit without the rule (or past the representable).
Micros latest_start(Micros now, bool has_max_advance, Micros max_advance);

// Whether start lies beyond the horizon whose latest start is latest: a
// start exactly at the horizon is still allowed.
constexpr bool beyond_horizon(Micros start, Micros latest) { return start > latest; }

// Where to look for the alternatives to a request (nearest_free_slots'
// requested_start): nearest to a time already too close means the first ones
// from then on; nearest to one beyond the horizon, the last ones before it,
// the horizon's own start included (the requested start is never offered).
Micros search_center(const SlotShape &shape, Micros requested_start);

// Inclusive bounds on candidate start times.
struct StartBounds {
    Micros lo = 0;
    Micros hi = 0;
};

// The range a slot starting at t keeps others off.
TimeRange blocked_range(const SlotShape &shape, Micros t);

// The free slots nearest to requested_start, from both sides (never the
// requested start itself), nearest first and the earlier on a tie; at most
// capacity written to out. Only starts within bounds are considered, so the
// caller controls how far the search looks. Openings must be sorted and
// disjoint.
std::size_t nearest_free_slots(Span<TimeRange> busy, Span<Opening> openings,
                               const SlotShape &shape, Micros requested_start,
                               StartBounds bounds, TimeRange *out, std::size_t capacity);

// The free slots with starts within bounds, in time order; at most capacity.
std::size_t free_slots_forward(Span<TimeRange> busy, Span<Opening> openings,
                               const SlotShape &shape, StartBounds bounds, TimeRange *out,
                               std::size_t capacity);

// Grid arithmetic: the first grid point at or after x, the last at or before.
Micros grid_ceil(Micros x, Micros anchor, Micros step);
Micros grid_floor(Micros x, Micros anchor, Micros step);

}  // namespace booking::core
