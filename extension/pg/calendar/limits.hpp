// A calendar's limits per local day and per ISO week (max_per_day,
// max_per_week): at most that many blocking reservations start in one local
// day or week of its time zone (core/period_limits.hpp). Each reservation
// counts once, whatever the capacity; a booking of several calendars counts
// once on each, against each one's own limits; lapsed holds do not count.
//
// The counts are only as good as the moment they are taken: the write path
// counts after writing, while its lock on the calendar is held
// (operations/write_path.hpp says which lock, where), so racing writers
// count each other. Searches count to leave out full days and weeks.
#pragma once

#include "pg/calendar/rules.hpp"

namespace booking::pg {

inline bool has_limits(const CalendarRules &rules) {
    return rules.max_per_day > 0 || rules.max_per_week > 0;
}

// The limit's name in answers: "max_per_day" or "max_per_week".
inline const char *limit_name(core::Period period) {
    return period == core::Period::day ? "max_per_day" : "max_per_week";
}

// Whether the reservations starting in start's day or week, plus `adding`
// more, break one of the calendar's limits (the day's first); *which names
// it. exclude (may be null) is not counted. After a write, adding is 0: the
// new row counts itself.
//
// A writer in flight in that week (store/overlap_guard.hpp's
// writer_in_flight) makes the count unknowable: near the limit, that is
// breaking it, and *in_flight (when given) says so, for the count after a
// write to answer busy rather than limit_reached.
bool breaks_limit(const CallContext *ctx, const char *calendar_id, const CalendarRules &rules,
                  TimestampTz start, const pg_uuid_t *exclude, int adding, core::Period *which,
                  bool *in_flight = nullptr);

// openings (*count of them), with every start that falls in a full day or
// week of the calendar within bounds cut out, exclude not counted: what a
// search may offer. Without limits, openings itself.
core::Opening *without_full_periods(const CallContext *ctx, const char *calendar_id,
                                    const CalendarRules &rules, core::StartBounds bounds,
                                    const pg_uuid_t *exclude, core::Opening *openings,
                                    int *count);

}  // namespace booking::pg
