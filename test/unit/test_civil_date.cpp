// Civil dates: days since 1970-01-01 to year/month/day and back, weekdays.
#include <gtest/gtest.h>

#include <ctime>

#include "core/civil_date.hpp"

using namespace booking::core;

TEST(CivilDate, KnownDates) {
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
    EXPECT_EQ(days_from_civil(2030, 3, 31), 22004);
    CivilDate d = civil_from_days(-1);
    EXPECT_EQ(d.year, 1969);
    EXPECT_EQ(d.month, 12u);
    EXPECT_EQ(d.day, 31u);
    d = civil_from_days(days_from_civil(2024, 2, 29));
    EXPECT_EQ(d.year, 2024);
    EXPECT_EQ(d.month, 2u);
    EXPECT_EQ(d.day, 29u);
}

TEST(CivilDate, RoundTripsAgainstTheCLibrary) {
    // Every day from 1900 to 2200, checked against gmtime_r.
    for (std::int64_t day = days_from_civil(1900, 1, 1); day <= days_from_civil(2200, 1, 1); ++day) {
        std::time_t t = static_cast<std::time_t>(day) * 86400;
        std::tm tm{};
        ASSERT_NE(gmtime_r(&t, &tm), nullptr);
        CivilDate d = civil_from_days(day);
        ASSERT_EQ(d.year, tm.tm_year + 1900) << day;
        ASSERT_EQ(d.month, static_cast<unsigned>(tm.tm_mon + 1)) << day;
        ASSERT_EQ(d.day, static_cast<unsigned>(tm.tm_mday)) << day;
        ASSERT_EQ(days_from_civil(d.year, d.month, d.day), day);
        ASSERT_EQ(iso_weekday(day), (tm.tm_wday + 6) % 7) << day;
    }
}

TEST(CivilDate, IsoWeekdays) {
    EXPECT_EQ(iso_weekday(0), 3);                              // 1970-01-01 was a Thursday
    EXPECT_EQ(iso_weekday(days_from_civil(2030, 3, 31)), 6);   // a Sunday
    EXPECT_EQ(iso_weekday(days_from_civil(2030, 4, 1)), 0);    // a Monday
    EXPECT_EQ(iso_weekday(-4), 6);                             // 1969-12-28, a Sunday
}
