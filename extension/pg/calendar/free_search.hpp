// The free slots of one calendar in a window, earliest first, as its rules
// allow them now (notice, horizon, working hours, buffers, capacity, limits
// per day and week): what free_slots answers, and where a waitlist offer is
// placed. Reads only; the caller holds the calendar lock when it means to
// write what it found.
#pragma once

#include "core/time_range.hpp"
#include "pg/calendar/rules.hpp"
#include "pg/call/call_scope.hpp"

namespace booking::pg {

// Writes up to max_results slots of duration starting in [from, until -
// duration] to slots, and the places each has left to places (may be null);
// returns how many. The window is read a day at a time, and no further than
// booking.search_horizon past from.
int search_free_slots(const CallContext *ctx, const char *calendar_id,
                      const CalendarRules &rules, TimestampTz from, TimestampTz until,
                      core::Micros duration, int max_results, core::TimeRange *slots,
                      int *places);

}  // namespace booking::pg
