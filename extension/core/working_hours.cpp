#include "working_hours.hpp"

#include <algorithm>

#include "civil_date.hpp"

namespace booking::core {

namespace {

constexpr std::string_view kWeekdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool two_digits(std::string_view s, int *out) {
    if (s.size() != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    return true;
}

}  // namespace

const char *hours_error_text(HoursError e) {
    switch (e) {
    case HoursError::none:
        return "no error";
    case HoursError::unknown_weekday:
        return "weekdays are mon, tue, wed, thu, fri, sat and sun";
    case HoursError::bad_time:
        return "times are \"HH:MM\" from \"00:00\" to \"24:00\"";
    case HoursError::empty_interval:
        return "an interval must start before it ends";
    case HoursError::overlapping:
        return "the intervals of a day must not overlap";
    case HoursError::too_many:
        return "at most 8 intervals a day";
    }
    return "invalid working hours";
}

int weekday_index(std::string_view name) {
    for (int i = 0; i < 7; ++i) {
        if (name == kWeekdays[i])
            return i;
    }
    return -1;
}

HoursError parse_clock(std::string_view text, int *minute) {
    int h = 0;
    int m = 0;
    if (text.size() != 5 || text[2] != ':' || !two_digits(text.substr(0, 2), &h) ||
        !two_digits(text.substr(3, 2), &m) || m > 59 || h > 24 || (h == 24 && m != 0))
        return HoursError::bad_time;
    *minute = h * 60 + m;
    return HoursError::none;
}

WeeklyHours none_open() {
    WeeklyHours hours;
    hours.always_open = false;
    return hours;
}

HoursError add_interval(WeeklyHours &hours, int weekday, int start_minute, int end_minute) {
    if (weekday < 0 || weekday > 6)
        return HoursError::unknown_weekday;
    if (start_minute < 0 || end_minute > kMinutesPerDay)
        return HoursError::bad_time;
    if (start_minute >= end_minute)
        return HoursError::empty_interval;
    if (hours.count[weekday] >= kMaxIntervalsPerDay)
        return HoursError::too_many;
    hours.intervals[weekday][hours.count[weekday]++] = {start_minute, end_minute};
    hours.always_open = false;
    return HoursError::none;
}

HoursError finish(WeeklyHours &hours) {
    for (int d = 0; d < 7; ++d) {
        DayInterval *first = hours.intervals[d];
        DayInterval *last = first + hours.count[d];
        std::sort(first, last, [](const DayInterval &a, const DayInterval &b) {
            return a.start_minute < b.start_minute;
        });
        for (int i = 1; i < hours.count[d]; ++i) {
            if (hours.intervals[d][i].start_minute < hours.intervals[d][i - 1].end_minute)
                return HoursError::overlapping;
        }
    }
    return HoursError::none;
}

std::size_t opening_moments(const WeeklyHours &hours, std::int64_t first_day,
                            std::int64_t last_day, LocalMoment *out, std::size_t capacity) {
    std::size_t n = 0;
    for (std::int64_t day = first_day; day <= last_day; ++day) {
        if (hours.always_open) {
            if (n + 2 > capacity)
                break;
            out[n++] = {day, 0};
            out[n++] = {day, kMinutesPerDay};
            continue;
        }
        const int w = iso_weekday(day);
        for (int i = 0; i < hours.count[w]; ++i) {
            if (n + 2 > capacity)
                return n;
            out[n++] = {day, hours.intervals[w][i].start_minute};
            out[n++] = {day, hours.intervals[w][i].end_minute};
        }
    }
    return n;
}

std::size_t build_openings(const Micros *utc, std::size_t moments, Micros step, Opening *out) {
    std::size_t n = 0;
    for (std::size_t i = 0; i + 1 < moments; i += 2) {
        // A local interval that vanished in a daylight-saving gap opens nothing.
        if (utc[i + 1] <= utc[i])
            continue;
        out[n].range = {utc[i], utc[i + 1]};
        out[n].anchor = utc[i];
        out[n].step = step;
        out[n].end_by = utc[i + 1];
        ++n;
    }
    // Openings that touch let a slot run on: each one's end_by reaches the
    // end of the chain it starts.
    for (std::size_t i = n; i-- > 1;) {
        if (out[i - 1].range.end == out[i].range.start)
            out[i - 1].end_by = out[i].end_by;
    }
    return n;
}

bool within_openings(Span<Opening> openings, TimeRange slot) {
    for (const Opening &o : openings) {
        if (slot.start >= o.range.start && slot.start < o.range.end &&
            slot.end <= std::max(o.range.end, o.end_by))
            return true;
    }
    return false;
}

std::size_t closed_within(Span<Opening> openings, TimeRange window, TimeRange *out,
                          std::size_t room) {
    std::size_t n = 0;
    Micros open_until = window.start;  // the window is closed before this
    auto close = [&](Micros from, Micros to) {
        if (from < to && n < room)
            out[n++] = {from, to};
    };
    for (const Opening &o : openings) {
        if (o.range.empty() || o.range.end <= window.start)
            continue;
        if (o.range.start >= window.end)
            break;
        close(open_until, std::min(o.range.start, window.end));
        open_until = std::max(open_until, o.range.end);
    }
    close(open_until, window.end);
    return n;
}

}  // namespace booking::core
