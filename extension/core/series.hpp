// A recurring series (book_series): count occurrences of one booking, the
// k-th starting at first + k * every, stepped in the calendar's local time
// (the PostgreSQL layer does the stepping with PostgreSQL's time-zone
// database: a weekly 09:00 stays 09:00 across a daylight-saving change).
// Here: what an `every` may be.
#pragma once

#include "duration.hpp"

namespace booking::core {

enum class StepError {
    none,
    not_positive,       // a negative part, or nothing at all
    not_whole_minutes,  // seconds in the time part
    shorter_than_duration,
};

// The nominal length of a step, as PostgreSQL compares intervals: a month is
// 30 days, a day 24 hours. Saturates instead of overflowing.
Micros nominal_length(const IntervalParts &every);

// Whether every may step a series of occurrences lasting duration: each part
// not negative and one of them positive, whole minutes, and never shorter
// than duration (occurrences of a series do not overlap one another by
// construction; buffers and a short daylight-saving day are left to the
// overlap guard, which counts a series' own earlier occurrences).
StepError check_step(const IntervalParts &every, Micros duration);

}  // namespace booking::core
