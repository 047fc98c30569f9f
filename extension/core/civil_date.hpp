// Calendar dates without time zones: days since 1970-01-01 in the proleptic
// Gregorian calendar. Time zones (offsets, daylight saving) are PostgreSQL's
// business; the core only needs to step through dates and weekdays.
#pragma once

#include <cstdint>

namespace booking::core {

struct CivilDate {
    std::int64_t year;
    unsigned month;  // 1..12
    unsigned day;    // 1..31
};

CivilDate civil_from_days(std::int64_t days);
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

// ISO weekday index: 0 = Monday ... 6 = Sunday.
int iso_weekday(std::int64_t days);

}  // namespace booking::core
