// core/time_range.hpp: half-open ranges, Span, floor_div, time constants.
#include "core/time_range.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "core/input_limits.hpp"

namespace {

using booking::core::floor_div;
using booking::core::Micros;
using booking::core::Span;
using booking::core::TimeRange;
namespace core = booking::core;

TEST(TimeRange, BackToBackRangesDoNotOverlap) {
    TimeRange a{10, 20};
    TimeRange b{20, 30};
    EXPECT_FALSE(a.overlaps(b));
    EXPECT_FALSE(b.overlaps(a));
}

TEST(TimeRange, OverlapByOneMicrosecond) {
    TimeRange a{10, 20};
    TimeRange b{19, 30};
    EXPECT_TRUE(a.overlaps(b));
    EXPECT_TRUE(b.overlaps(a));
    TimeRange c{0, 11};
    EXPECT_TRUE(a.overlaps(c));
    EXPECT_TRUE(c.overlaps(a));
}

TEST(TimeRange, OverlapCases) {
    TimeRange a{10, 20};
    EXPECT_TRUE(a.overlaps(a));                // identical
    EXPECT_TRUE((a.overlaps(TimeRange{12, 15})));    // inside
    EXPECT_TRUE((a.overlaps(TimeRange{0, 100})));  // around
    EXPECT_TRUE((TimeRange{12, 15}.overlaps(a)));
    EXPECT_TRUE((TimeRange{0, 100}.overlaps(a)));
    EXPECT_FALSE((a.overlaps(TimeRange{21, 30})));  // disjoint after
    EXPECT_FALSE((a.overlaps(TimeRange{0, 9})));    // disjoint before
    EXPECT_FALSE((a.overlaps(TimeRange{0, 10})));   // touching before
}

TEST(TimeRange, OverlapWithNegativeTimes) {
    TimeRange a{-20, -10};
    EXPECT_TRUE((a.overlaps(TimeRange{-11, 5})));
    EXPECT_FALSE((a.overlaps(TimeRange{-10, 5})));
    EXPECT_FALSE((a.overlaps(TimeRange{-30, -20})));
}

TEST(TimeRange, Contains) {
    TimeRange a{10, 20};
    EXPECT_TRUE(a.contains(a));
    EXPECT_TRUE((a.contains(TimeRange{10, 15})));
    EXPECT_TRUE((a.contains(TimeRange{15, 20})));
    EXPECT_TRUE((a.contains(TimeRange{11, 19})));
    EXPECT_FALSE((a.contains(TimeRange{9, 15})));
    EXPECT_FALSE((a.contains(TimeRange{15, 21})));
    EXPECT_FALSE((a.contains(TimeRange{0, 100})));
    EXPECT_FALSE((a.contains(TimeRange{20, 30})));
    EXPECT_FALSE((TimeRange{11, 19}.contains(a)));
}

TEST(TimeRange, Empty) {
    EXPECT_TRUE((TimeRange{5, 5}.empty()));
    EXPECT_TRUE((TimeRange{6, 5}.empty()));
    EXPECT_TRUE((TimeRange{}.empty()));
    EXPECT_FALSE((TimeRange{5, 6}.empty()));
    EXPECT_FALSE((TimeRange{-6, -5}.empty()));
}

// An empty range [t, t) contains no instant, so it overlaps nothing, as in
// PostgreSQL ('empty'::tstzrange && anything is false).
TEST(TimeRange, EmptyRangeOverlapsNothing) {
    EXPECT_FALSE((TimeRange{5, 5}.overlaps(TimeRange{0, 10})));
    EXPECT_FALSE((TimeRange{0, 10}.overlaps(TimeRange{5, 5})));
}

TEST(TimeRange, EmptyRangeAtAnEdgeOverlapsNothing) {
    EXPECT_FALSE((TimeRange{10, 10}.overlaps(TimeRange{0, 10})));
    EXPECT_FALSE((TimeRange{0, 0}.overlaps(TimeRange{0, 10})));
    EXPECT_FALSE((TimeRange{0, 10}.overlaps(TimeRange{10, 10})));
}

TEST(TimeRange, Length) {
    EXPECT_EQ((TimeRange{10, 25}.length()), 15);
    EXPECT_EQ((TimeRange{-10, 5}.length()), 15);
    EXPECT_EQ((TimeRange{7, 7}.length()), 0);
}

TEST(TimeRange, Equality) {
    EXPECT_TRUE((TimeRange{1, 2} == TimeRange{1, 2}));
    EXPECT_FALSE((TimeRange{1, 2} == TimeRange{1, 3}));
    EXPECT_FALSE((TimeRange{0, 2} == TimeRange{1, 2}));
    EXPECT_TRUE((TimeRange{1, 2} != TimeRange{1, 3}));
    EXPECT_FALSE((TimeRange{1, 2} != TimeRange{1, 2}));
}

TEST(Span, ViewsAnArray) {
    std::vector<int> v{3, 1, 4};
    Span<int> s{v.data(), v.size()};
    EXPECT_FALSE(s.empty());
    EXPECT_EQ(s.size, 3u);
    EXPECT_EQ(s[0], 3);
    EXPECT_EQ(s[2], 4);
    int sum = 0;
    for (int x : s)
        sum += x;
    EXPECT_EQ(sum, 8);
    EXPECT_EQ(s.end() - s.begin(), 3);

    Span<int> none{};
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(none.begin(), none.end());
}

TEST(FloorDiv, PositiveOperands) {
    EXPECT_EQ(floor_div(7, 2), 3);
    EXPECT_EQ(floor_div(6, 2), 3);
    EXPECT_EQ(floor_div(0, 5), 0);
    EXPECT_EQ(floor_div(1, 1000), 0);
}

TEST(FloorDiv, RoundsTowardNegativeInfinity) {
    EXPECT_EQ(floor_div(-7, 2), -4);
    EXPECT_EQ(floor_div(-6, 2), -3);  // exact: no adjustment
    EXPECT_EQ(floor_div(-1, 1000), -1);
    EXPECT_EQ(floor_div(-999, 1000), -1);
    EXPECT_EQ(floor_div(-1000, 1000), -1);
    EXPECT_EQ(floor_div(-1001, 1000), -2);
    EXPECT_EQ(floor_div(7, -2), -4);
    EXPECT_EQ(floor_div(-7, -2), 3);
    EXPECT_EQ(floor_div(-6, -2), 3);
}

TEST(FloorDiv, MatchesDefinitionOverASweep) {
    for (Micros b : {1, 2, 3, 7, 30, 1000}) {
        for (Micros a = -3000; a <= 3000; ++a) {
            Micros q = floor_div(a, b);
            // q is the largest integer with q * b <= a.
            ASSERT_LE(q * b, a) << a << " / " << b;
            ASSERT_GT((q + 1) * b, a) << a << " / " << b;
        }
    }
}

TEST(FloorDiv, LargeValues) {
    constexpr Micros kMax = std::numeric_limits<Micros>::max();
    constexpr Micros kMin = std::numeric_limits<Micros>::min();
    EXPECT_EQ(floor_div(kMax, 1000), kMax / 1000);
    EXPECT_EQ(floor_div(kMin, 1000), kMin / 1000 - 1);  // kMin is not a multiple of 1000
    EXPECT_EQ(floor_div(kMin, 2), kMin / 2);             // but it is one of 2
}

TEST(TimeConstants, Values) {
    EXPECT_EQ(core::kMicrosPerMillisecond, 1000);
    EXPECT_EQ(core::kMicrosPerSecond, 1000000);
    EXPECT_EQ(core::kMicrosPerMinute, 60000000);
    EXPECT_EQ(core::kMicrosPerHour, 3600000000LL);
    EXPECT_EQ(core::kMicrosPerDay, 86400000000LL);
    // 2000-01-01T00:00:00Z is 946684800 seconds after the Unix epoch.
    EXPECT_EQ(core::kPostgresEpochInUnixMicros, 946684800000000LL);
}

TEST(InputLimits, TimestampBoundsAre1970And2200) {
    // 1970-01-01 and 2200-01-01 (7258118400 Unix seconds) as PostgreSQL micros.
    EXPECT_EQ(core::limits::kEarliestTimestamp + core::kPostgresEpochInUnixMicros, 0);
    EXPECT_EQ(core::limits::kLatestTimestamp + core::kPostgresEpochInUnixMicros,
              7258118400LL * core::kMicrosPerSecond);
}

}  // namespace
