// core/series.hpp: what a series' step may be.
#include "core/series.hpp"

#include <gtest/gtest.h>

namespace {

using namespace booking::core;

constexpr Micros kMin = kMicrosPerMinute;

TEST(SeriesStep, WeeksDaysMonthsAndTimesStep) {
    EXPECT_EQ(check_step({0, 7, 0}, 60 * kMin), StepError::none);
    EXPECT_EQ(check_step({1, 0, 0}, 60 * kMin), StepError::none);
    EXPECT_EQ(check_step({0, 0, 90 * kMin}, 60 * kMin), StepError::none);
    EXPECT_EQ(check_step({0, 0, 60 * kMin}, 60 * kMin), StepError::none) << "back to back";
}

TEST(SeriesStep, RefusesWhatDoesNotStepForward) {
    EXPECT_EQ(check_step({0, 0, 0}, 60 * kMin), StepError::not_positive);
    EXPECT_EQ(check_step({0, -7, 0}, 60 * kMin), StepError::not_positive);
    EXPECT_EQ(check_step({1, -1, 0}, 60 * kMin), StepError::not_positive);
    EXPECT_EQ(check_step({0, 1, -kMin}, 60 * kMin), StepError::not_positive);
}

TEST(SeriesStep, RefusesSecondsAndStepsShorterThanTheDuration) {
    EXPECT_EQ(check_step({0, 0, 30 * kMicrosPerSecond}, kMin), StepError::not_whole_minutes);
    EXPECT_EQ(check_step({0, 0, 30 * kMin}, 60 * kMin), StepError::shorter_than_duration);
    EXPECT_EQ(check_step({0, 1, 0}, 25 * 60 * kMin), StepError::shorter_than_duration);
}

TEST(SeriesStep, NominalLengthIsPostgresIntervalComparison) {
    EXPECT_EQ(nominal_length({1, 0, 0}), 30 * kMicrosPerDay);
    EXPECT_EQ(nominal_length({0, 7, 90 * kMin}), 7 * kMicrosPerDay + 90 * kMin);
    EXPECT_EQ(nominal_length({INT32_MAX, INT32_MAX, INT64_MAX}), INT64_MAX) << "saturates";
}

}  // namespace
