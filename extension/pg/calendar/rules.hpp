// The rules a calendar's slots follow: its time zone, step grid, buffers,
// minimum notice, booking horizon, working hours and capacity, as
// set_calendar stored them. A calendar nobody configured is open at all hours in UTC on the booking.slot_step grid.
//
// Rules are cached per backend and dropped whenever booking.calendars
// changes (a trigger sends PostgreSQL's relcache invalidation, which every
// backend receives at its next transaction), so the hot path reads no table.
#pragma once

#include "core/period_limits.hpp"
#include "core/slot_search.hpp"
#include "core/working_hours.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

struct CalendarRules {
    bool configured;
    pg_tz *zone;
    core::Micros step;
    core::Micros buffer_before;
    core::Micros buffer_after;
    core::Micros min_notice;
    bool has_max_advance;      // false: no booking horizon
    core::Micros max_advance;  // nothing starts later than now plus this
    bool has_change_notice;      // false: an appointment may be changed until it starts
    core::Micros change_notice;  // cancel or move only this long before the start
    int capacity;  // reservations it accepts at one instant (core/capacity.hpp)
    int max_per_day;   // blocking reservations starting on one local day; 0: no limit
    int max_per_week;  // the same per ISO week, Monday first; 0: no limit
    core::WeeklyHours hours;
};
BOOKING_PLAIN_DATA(CalendarRules);

CalendarRules calendar_rules(const CallContext *ctx, const char *calendar_id);

// The openings that hold candidate starts within bounds; palloc'd.
core::Opening *calendar_openings(const CalendarRules &rules, core::StartBounds bounds, int *count);

// The earliest start the rules allow now (now plus the minimum notice).
core::Micros earliest_start(const CallContext *ctx, const CalendarRules &rules);

// The latest start the rules allow now (now plus the booking horizon), or
// core::SlotShape::kNoLatestStart without one.
core::Micros latest_start(const CallContext *ctx, const CalendarRules &rules);

// The shape every slot of duration on the calendar takes now: its buffers,
// and the earliest and latest start its notice and horizon allow.
core::SlotShape slot_shape(const CallContext *ctx, const CalendarRules &rules,
                           core::Micros duration);

// The local day or ISO week (Monday first) of the calendar's time zone that
// start falls in: from its first local midnight to the next period's, as
// PostgreSQL's time-zone rules place them (a day across a daylight-saving
// change lasts 23 or 25 hours).
core::TimeRange limit_period(const CalendarRules &rules, TimestampTz start, core::Period period);

// The local midnights that start each period meeting [lo, hi], and the one
// after the last: consecutive bounds for core::full_periods; palloc'd.
core::Micros *period_bounds(const CalendarRules &rules, core::StartBounds bounds,
                            core::Period period, int *count);

// Whether slot lies within the calendar's working hours.
bool within_working_hours(const CalendarRules &rules, core::TimeRange slot);

// first + k * every in the calendar's local time, as PostgreSQL adds an
// interval to a timestamptz in that time zone: the months (the day of month
// kept, or the month's last) and the days move the local date and keep the
// local time of day, resolved by PostgreSQL's time-zone rules (a weekly
// 09:00 stays 09:00 across a daylight-saving change); the time part is then
// added as real time. 22008 past PostgreSQL's timestamp range.
TimestampTz local_step(pg_tz *zone, TimestampTz first, int64 k, int32 months, int32 days,
                       int64 micros);

// The range a slot keeps others off: its own range widened by the buffers.
core::TimeRange blocked_range(const CalendarRules &rules, core::TimeRange slot);

// Reads working hours from set_calendar's jsonb form; on failure returns
// false and sets *problem to a message naming the weekday or time at fault.
bool parse_working_hours(Jsonb *json, core::WeeklyHours *out, const char **problem);

}  // namespace booking::pg
