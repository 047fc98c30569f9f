// core/duration.hpp: SQL intervals as fixed lengths, checked addition.
#include "core/duration.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

namespace {

using booking::core::checked_add;
using booking::core::describe_length;
using booking::core::kMicrosPerMillisecond;
using booking::core::kMicrosPerSecond;
using booking::core::DurationError;
using booking::core::DurationResult;
using booking::core::fixed_length;
using booking::core::IntervalParts;
using booking::core::kMicrosPerDay;
using booking::core::kMicrosPerHour;
using booking::core::kMicrosPerMinute;
using booking::core::Micros;

constexpr Micros kMax = std::numeric_limits<Micros>::max();
constexpr Micros kMin = std::numeric_limits<Micros>::min();
constexpr std::int32_t kMaxDays = std::numeric_limits<std::int32_t>::max();
constexpr std::int32_t kMinDays = std::numeric_limits<std::int32_t>::min();

IntervalParts interval(std::int32_t months, std::int32_t days, std::int64_t time) {
    IntervalParts p;
    p.months = months;
    p.days = days;
    p.time = time;
    return p;
}

TEST(FixedLength, TimeOnly) {
    DurationResult r = fixed_length(interval(0, 0, 30 * kMicrosPerMinute));
    EXPECT_EQ(r.error, DurationError::none);
    EXPECT_EQ(r.micros, 30 * kMicrosPerMinute);
}

TEST(FixedLength, ZeroInterval) {
    DurationResult r = fixed_length(interval(0, 0, 0));
    EXPECT_EQ(r.error, DurationError::none);
    EXPECT_EQ(r.micros, 0);
}

TEST(FixedLength, OneDayIsExactly24Hours) {
    DurationResult r = fixed_length(interval(0, 1, 0));
    EXPECT_EQ(r.error, DurationError::none);
    EXPECT_EQ(r.micros, 24 * kMicrosPerHour);
    EXPECT_EQ(r.micros, 86400000000LL);
}

TEST(FixedLength, DaysPlusTime) {
    // '2 days 01:30:00'
    DurationResult r = fixed_length(interval(0, 2, kMicrosPerHour + 30 * kMicrosPerMinute));
    EXPECT_EQ(r.error, DurationError::none);
    EXPECT_EQ(r.micros, 49 * kMicrosPerHour + 30 * kMicrosPerMinute);
}

TEST(FixedLength, MixedSigns) {
    // '1 day -01:00:00' is 23 hours.
    DurationResult r = fixed_length(interval(0, 1, -kMicrosPerHour));
    EXPECT_EQ(r.error, DurationError::none);
    EXPECT_EQ(r.micros, 23 * kMicrosPerHour);
    // Negative intervals are converted, not judged: callers check the sign.
    r = fixed_length(interval(0, -1, 0));
    EXPECT_EQ(r.error, DurationError::none);
    EXPECT_EQ(r.micros, -kMicrosPerDay);
}

TEST(FixedLength, MonthsAreRefused) {
    for (std::int32_t months : {1, -1, 12, kMaxDays}) {
        DurationResult r = fixed_length(interval(months, 0, 0));
        EXPECT_EQ(r.error, DurationError::has_months) << months;
        EXPECT_EQ(r.micros, 0) << months;
    }
    // Even when the rest of the interval is fine.
    DurationResult r = fixed_length(interval(1, 3, kMicrosPerHour));
    EXPECT_EQ(r.error, DurationError::has_months);
    EXPECT_EQ(r.micros, 0);
}

TEST(FixedLength, MonthsWinOverOverflow) {
    DurationResult r = fixed_length(interval(1, kMaxDays, kMax));
    EXPECT_EQ(r.error, DurationError::has_months);
}

TEST(FixedLength, DayPartOverflowIsDetected) {
    // 2^31 - 1 days is about 1.9e20 microseconds: beyond int64.
    DurationResult r = fixed_length(interval(0, kMaxDays, 0));
    EXPECT_EQ(r.error, DurationError::overflow);
    EXPECT_EQ(r.micros, 0);
    r = fixed_length(interval(0, kMinDays, 0));
    EXPECT_EQ(r.error, DurationError::overflow);
    EXPECT_EQ(r.micros, 0);
}

TEST(FixedLength, LargestDayCountThatFits) {
    const std::int32_t days = static_cast<std::int32_t>(kMax / kMicrosPerDay);  // 106751991
    ASSERT_EQ(days, 106751991);
    DurationResult r = fixed_length(interval(0, days, 0));
    EXPECT_EQ(r.error, DurationError::none);
    EXPECT_EQ(r.micros, static_cast<Micros>(days) * kMicrosPerDay);
    // One more day does not fit.
    r = fixed_length(interval(0, days + 1, 0));
    EXPECT_EQ(r.error, DurationError::overflow);
}

TEST(FixedLength, SumOverflowIsDetected) {
    const std::int32_t days = static_cast<std::int32_t>(kMax / kMicrosPerDay);
    const Micros day_part = static_cast<Micros>(days) * kMicrosPerDay;
    const Micros room = kMax - day_part;
    DurationResult r = fixed_length(interval(0, days, room));
    EXPECT_EQ(r.error, DurationError::none);
    EXPECT_EQ(r.micros, kMax);
    r = fixed_length(interval(0, days, room + 1));
    EXPECT_EQ(r.error, DurationError::overflow);
    EXPECT_EQ(r.micros, 0);

    r = fixed_length(interval(0, 1, kMax));
    EXPECT_EQ(r.error, DurationError::overflow);
    r = fixed_length(interval(0, -1, kMin));
    EXPECT_EQ(r.error, DurationError::overflow);
    r = fixed_length(interval(0, 0, kMax));
    EXPECT_EQ(r.error, DurationError::none);
    EXPECT_EQ(r.micros, kMax);
}

TEST(CheckedAdd, OrdinarySums) {
    EXPECT_EQ(checked_add(1, 2), 3);
    EXPECT_EQ(checked_add(-5, 3), -2);
    EXPECT_EQ(checked_add(0, 0), 0);
    EXPECT_EQ(checked_add(kMin, kMax), -1);
}

TEST(CheckedAdd, EdgesThatFit) {
    EXPECT_EQ(checked_add(kMax, 0), kMax);
    EXPECT_EQ(checked_add(kMax - 1, 1), kMax);
    EXPECT_EQ(checked_add(kMin, 0), kMin);
    EXPECT_EQ(checked_add(kMin + 1, -1), kMin);
}

TEST(CheckedAdd, OverflowIsEmpty) {
    EXPECT_FALSE(checked_add(kMax, 1).has_value());
    EXPECT_FALSE(checked_add(1, kMax).has_value());
    EXPECT_FALSE(checked_add(kMax, kMax).has_value());
    EXPECT_FALSE(checked_add(kMin, -1).has_value());
    EXPECT_FALSE(checked_add(kMin, kMin).has_value());
}

// --- describe_length -----------------------------------------------------------

std::string describe(Micros micros) {
    char buf[128];
    std::memset(buf, '#', sizeof(buf));
    describe_length(micros, buf, sizeof(buf));
    const void *nul = std::memchr(buf, '\0', sizeof(buf));
    EXPECT_NE(nul, nullptr) << "not NUL-terminated";
    return nul ? std::string(buf) : std::string();
}

TEST(DescribeLength, AsPeopleSayIt) {
    EXPECT_EQ(describe(90 * kMicrosPerMinute), "1 hour 30 minutes");
    EXPECT_EQ(describe(500 * kMicrosPerMillisecond), "500 milliseconds");
    EXPECT_EQ(describe(kMicrosPerDay), "1 day");
    EXPECT_EQ(describe(2 * kMicrosPerDay), "2 days");
    EXPECT_EQ(describe(kMicrosPerSecond), "1 second");
    EXPECT_EQ(describe(15 * kMicrosPerMinute), "15 minutes");
    EXPECT_EQ(describe(1), "1 microsecond");
    EXPECT_EQ(describe(2), "2 microseconds");
}

TEST(DescribeLength, SkipsZeroUnits) {
    EXPECT_EQ(describe(kMicrosPerDay + 1), "1 day 1 microsecond");
    EXPECT_EQ(describe(kMicrosPerHour + 2 * kMicrosPerSecond), "1 hour 2 seconds");
    EXPECT_EQ(describe(kMicrosPerSecond + 500 * kMicrosPerMillisecond), "1 second 500 milliseconds");
}

TEST(DescribeLength, Zero) { EXPECT_EQ(describe(0), "0 seconds"); }

TEST(DescribeLength, NegativeLengthsCarryOneLeadingSign) {
    EXPECT_EQ(describe(-kMicrosPerMinute), "-1 minute");
    EXPECT_EQ(describe(-(90 * kMicrosPerMinute)), "-1 hour 30 minutes");
}

TEST(DescribeLength, LargestLength) {
    // 9223372036854775807 us = 106751991 days + 4 h 0 min 54.775807 s.
    EXPECT_EQ(describe(kMax),
              "106751991 days 4 hours 54 seconds 775 milliseconds 807 microseconds");
}

TEST(DescribeLength, TruncatedToCapacity) {
    const std::string full = describe(kMicrosPerDay + 90 * kMicrosPerMinute + 1);
    ASSERT_EQ(full, "1 day 1 hour 30 minutes 1 microsecond");
    for (std::size_t capacity = 1; capacity <= full.size() + 1; ++capacity) {
        char buf[64];
        std::memset(buf, '#', sizeof(buf));
        describe_length(kMicrosPerDay + 90 * kMicrosPerMinute + 1, buf, capacity);
        const void *nul = std::memchr(buf, '\0', capacity);
        ASSERT_NE(nul, nullptr) << "capacity " << capacity;
        EXPECT_EQ(buf[capacity], '#') << "wrote past capacity " << capacity;
        const std::string got(buf);
        EXPECT_LT(got.size(), capacity);
        EXPECT_EQ(full.compare(0, got.size(), got), 0) << "not a prefix: '" << got << "'";
    }
    char one[2] = {'#', '#'};
    describe_length(kMicrosPerHour, one, 1);
    EXPECT_EQ(one[0], '\0');
    EXPECT_EQ(one[1], '#');
}

TEST(DescribeLength, ZeroCapacityWritesNothing) {
    char buf[4] = {'#', '#', '#', '#'};
    describe_length(kMicrosPerHour, buf, 0);
    EXPECT_EQ(std::string(buf, 4), "####");
}

// The most negative length cannot be negated in int64; it must still be
// described exactly (and without undefined behaviour under UBSan).
TEST(DescribeLength, MostNegativeLength) {
    EXPECT_EQ(describe(kMin),
              "-106751991 days 4 hours 54 seconds 775 milliseconds 808 microseconds");
}

}  // namespace

TEST(WholeMinutes, ReservationLengthsAreWholeMinutes) {
    using booking::core::whole_minutes;
    EXPECT_TRUE(whole_minutes(kMicrosPerMinute));
    EXPECT_TRUE(whole_minutes(30 * kMicrosPerMinute));
    EXPECT_TRUE(whole_minutes(kMicrosPerDay));
    // '30' read as seconds, half a minute, a minute and a second.
    EXPECT_FALSE(whole_minutes(30 * kMicrosPerSecond));
    EXPECT_FALSE(whole_minutes(kMicrosPerMinute / 2));
    EXPECT_FALSE(whole_minutes(kMicrosPerMinute + kMicrosPerSecond));
    EXPECT_FALSE(whole_minutes(kMicrosPerMinute + 1));
    EXPECT_FALSE(whole_minutes(0));
    EXPECT_FALSE(whole_minutes(-kMicrosPerMinute));
}
