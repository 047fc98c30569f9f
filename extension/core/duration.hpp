// How an SQL interval becomes a fixed length of time.
//
// An appointment of "1 day" lasts 24 hours even across a daylight-saving
// switch, and a month has no fixed length at all: durations, TTLs and buffers
// are therefore read as days of exactly 24 hours plus a time part, and an
// interval with a month part is refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "time_range.hpp"

namespace booking::core {

struct IntervalParts {
    std::int32_t months = 0;
    std::int32_t days = 0;
    std::int64_t time = 0;  // microseconds
};

enum class DurationError { none, has_months, overflow };

struct DurationResult {
    Micros micros = 0;
    DurationError error = DurationError::none;
};

DurationResult fixed_length(const IntervalParts &interval);

// Writes a length as people say it ("1 hour 30 minutes", "500 milliseconds")
// into out (NUL-terminated, truncated to capacity); independent of any
// session's IntervalStyle, so messages read the same everywhere.
void describe_length(Micros micros, char *out, std::size_t capacity);

// A reservation lasts a whole number of minutes, at least one. A length with
// seconds in it is almost always a unit mistake by a client (node-postgres
// sends the number 30 as the text '30', which PostgreSQL reads as 30
// seconds), so it is refused rather than booked; the calendar's step grid is
// where suggestions go, not a rule on lengths (a 50-minute session on a
// 15-minute grid is a real appointment).
bool whole_minutes(Micros length);

// Adds without wrapping; empty when the sum leaves the int64 range.
std::optional<Micros> checked_add(Micros a, Micros b);

}  // namespace booking::core
