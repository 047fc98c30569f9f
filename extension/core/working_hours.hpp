// Working hours: per ISO weekday, intervals of local wall-clock time, as
// set_calendar receives them ({"mon": [["09:00","12:00"],["13:00","17:00"]]}).
//
// The core never converts local time to UTC itself: it lists the local
// moments (date, minute) at which openings start and end, the PostgreSQL
// layer converts each with PostgreSQL's time-zone database, and the core
// builds the openings from the results. So 09:00 stays 09:00 local on both
// sides of a daylight-saving switch, and a nonexistent or repeated local hour
// is resolved the way PostgreSQL resolves it everywhere else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "slot_search.hpp"

namespace booking::core {

constexpr int kMaxIntervalsPerDay = 8;
constexpr int kMinutesPerDay = 24 * 60;

struct DayInterval {
    int start_minute;  // 0 .. 1439
    int end_minute;    // start+1 .. 1440 (24:00)
};

struct WeeklyHours {
    bool always_open = true;  // no working hours set: open at all hours
    int count[7] = {0, 0, 0, 0, 0, 0, 0};
    DayInterval intervals[7][kMaxIntervalsPerDay] = {};
};

enum class HoursError {
    none,
    unknown_weekday,
    bad_time,        // not HH:MM between 00:00 and 24:00
    empty_interval,  // start not before end
    overlapping,     // two intervals of one day overlap
    too_many,        // more than kMaxIntervalsPerDay in a day
};

const char *hours_error_text(HoursError e);

// "mon".."sun" -> 0..6; -1 for anything else.
int weekday_index(std::string_view name);
// "HH:MM" (00:00 .. 24:00) -> minutes since midnight.
HoursError parse_clock(std::string_view text, int *minute);

// Building: start from none_open(), add intervals, then finish() sorts each
// day and refuses overlaps (touching intervals are fine: they chain).
WeeklyHours none_open();
HoursError add_interval(WeeklyHours &hours, int weekday, int start_minute, int end_minute);
HoursError finish(WeeklyHours &hours);

// A local wall-clock moment: a date (days since 1970-01-01) and a minute of
// that day, 0 .. 1440.
struct LocalMoment {
    std::int64_t day;
    int minute;
};

// The opening intervals of the local days first_day..last_day as moments in
// pairs (start, end), in time order; at most capacity written, the count
// returned. A calendar open at all hours opens each day at 00:00 and closes
// at 24:00, so its grid restarts at every local midnight.
std::size_t opening_moments(const WeeklyHours &hours, std::int64_t first_day,
                            std::int64_t last_day, LocalMoment *out, std::size_t capacity);

// Openings from the UTC instants of those moments (utc[i] for moment i):
// each pair is one opening anchored at its start with the given step; a slot
// may start inside it and run on into openings that follow without a gap.
std::size_t build_openings(const Micros *utc, std::size_t moments, Micros step, Opening *out);

// Whether [slot.start, slot.end) may be booked: it starts inside an opening
// and ends by that opening's end_by.
bool within_openings(Span<Opening> openings, TimeRange slot);

// The closed times within window: what no opening's range covers, as sorted
// disjoint ranges written to out (room for openings.size + 1 is enough);
// returns how many. A slot that meets none of them lies in openings that
// chain, which is what within_openings asks of it; a search over several
// calendars takes another calendar's closed times as busy.
std::size_t closed_within(Span<Opening> openings, TimeRange window, TimeRange *out,
                          std::size_t room);

}  // namespace booking::core
