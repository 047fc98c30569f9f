// Capacity: how many blocking reservations a calendar accepts at one
// instant, and what is left of it.
//
// Every blocking reservation carries the capacity its calendar had when it
// was written (booking.reservations.capacity, 1 by default). The invariant the
// overlap guard keeps, for every writer, is per row: at every instant of a
// blocking row's range, the blocking rows covering that instant number at
// most that row's capacity. A calendar of capacity 1 is today's calendar (no
// two blocking rows overlap); one of capacity N takes N at once.
//
// A new reservation of capacity c fits at an instant where d rows already
// block, the least capacity among them being m, when d + 1 <= min(c, m): it
// neither exceeds its own capacity nor any covering row's. places_left() is
// the least of min(c, m) - d over the instants of a range (c where nothing
// blocks), so it fits the range exactly when that is at least 1. The guard,
// the functions' answers and the free-slot searches all decide with these two
// functions.
#pragma once

#include <cstddef>

#include "time_range.hpp"

namespace booking::core {

// The most places one calendar may have (set_calendar, the row rule).
constexpr int kMaxCapacity = 1000;

struct Occupant {
    TimeRange blocks;  // its blocking range (buffers included)
    int capacity = 1;  // the capacity it was written with (at least 1)
};

// The places a new reservation of `capacity` finds over range: the least,
// over the instants of range, of min(capacity, the capacities of the
// occupants covering it) less how many cover it. capacity when nothing meets
// range; 0 or less when it does not fit (negative after a calendar's capacity
// was lowered below what it already held). Occupants need not be sorted.
int places_left(Span<Occupant> occupants, TimeRange range, int capacity);

// The instants at which a new reservation of `capacity` finds no place, as
// sorted, disjoint, non-touching ranges written to out (at most `room`);
// returns how many. Never more than occupants.size: each such range begins
// where an occupant does. What a free-slot search takes as its busy ranges.
std::size_t full_ranges(Span<Occupant> occupants, int capacity, TimeRange *out,
                        std::size_t room);

}  // namespace booking::core
