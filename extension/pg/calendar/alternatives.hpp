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

// One calendar of a search over several (a booking of several calendars).
struct SearchCalendar {
    const char *calendar_id;
    const CalendarRules *rules;
    const pg_uuid_t *exclude;  // may be null
};
BOOKING_PLAIN_DATA(SearchCalendar);

// Writes up to capacity alternatives to out; returns how many.
int find_alternatives(const CallContext *ctx, const char *calendar_id, const CalendarRules &rules,
                      core::TimeRange requested, const pg_uuid_t *exclude, core::TimeRange *out,
                      int capacity);

// The same for a booking of several calendars: slots on the first one's grid
// that each calendar has free, within its hours, buffers and minimum notice.
// Each calendar's blocking is read in terms of the slot itself: a start t is
// blocked by a calendar's full range F exactly when [t, t + duration) meets
// [F.start - buffer_after, F.end + buffer_before) of that calendar, and by
// its closed times (core::closed_within) when it has working hours.
int find_set_alternatives(const CallContext *ctx, const SearchCalendar *calendars, int n,
                          core::TimeRange requested, core::TimeRange *out, int capacity);

}  // namespace booking::pg
