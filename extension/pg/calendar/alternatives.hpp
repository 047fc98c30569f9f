// Alternatives for a conflict answer: the free slots of the same duration
// nearest to the requested time, on the calendar's grid, from both sides.
//
// The search starts 12 hours either side and widens fourfold (up to
// booking.search_horizon) only when that does not hold enough: when n slots
// are found within distance W, nothing farther than W can be nearer, so a
// calendar with 100,000 reservations costs what its next hours cost. (The
// busy ranges read grow with the reach: starting at a whole day cost a
// conflict answer on a full calendar 40% more, for answers that are almost
// always within the same half day.)
#pragma once

#include "core/capacity.hpp"
#include "pg/calendar/rules.hpp"

namespace booking::pg {

// What a free-slot search takes as busy: at capacity 1 the blocking ranges
// themselves, else the ranges where no place is left (core/capacity.hpp).
// Returns a palloc'd array.
core::TimeRange *busy_ranges(const CalendarRules &rules, const core::Occupant *occupants, int n,
                             int *count);

// Writes up to capacity alternatives to out; returns how many.
int find_alternatives(const CallContext *ctx, const char *calendar_id, const CalendarRules &rules,
                      core::TimeRange requested, const pg_uuid_t *exclude, core::TimeRange *out,
                      int capacity);

}  // namespace booking::pg
