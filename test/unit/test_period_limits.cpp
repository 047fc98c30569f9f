// core/period_limits.hpp: a start's day and ISO week, the limit's count, the
// full periods of a window and the openings cut around them.
#include "core/period_limits.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/civil_date.hpp"

namespace {

using namespace booking::core;

constexpr Micros kH = kMicrosPerHour;

TEST(PeriodLimits, ADayIsItselfAndAWeekStartsOnMonday) {
    const std::int64_t thursday = days_from_civil(2026, 12, 10);
    EXPECT_EQ(period_days(thursday, Period::day).first, thursday);
    EXPECT_EQ(period_days(thursday, Period::day).end, thursday + 1);
    const DaySpan week = period_days(thursday, Period::week);
    EXPECT_EQ(week.first, days_from_civil(2026, 12, 7));  // a Monday
    EXPECT_EQ(week.end, days_from_civil(2026, 12, 14));
    // Monday and Sunday belong to the week they end or start.
    const std::int64_t monday = days_from_civil(2026, 12, 7);
    EXPECT_EQ(period_days(monday, Period::week).first, monday);
    EXPECT_EQ(period_days(monday + 6, Period::week).first, monday);
    EXPECT_EQ(period_days(monday + 7, Period::week).first, monday + 7);
    // Before 1970 too (negative day numbers).
    const std::int64_t old = days_from_civil(1969, 12, 31);  // a Wednesday
    EXPECT_EQ(period_days(old, Period::week).first, days_from_civil(1969, 12, 29));
}

TEST(PeriodLimits, TheCountIncludesTheNewReservation) {
    EXPECT_FALSE(over_limit(2, 2));
    EXPECT_TRUE(over_limit(3, 2));
    EXPECT_FALSE(over_limit(1, 1));
}

TEST(PeriodLimits, ABoundLeavesRoomOnlyUnderEveryLimitSet) {
    EXPECT_TRUE(leaves_room(1, 1, 2, 0));   // a day of 2 holding at most 1 takes one more
    EXPECT_FALSE(leaves_room(2, 1, 2, 0));  // at most 2: counted, not assumed
    EXPECT_TRUE(leaves_room(2, 0, 2, 0));   // after the write, the new row counts itself
    EXPECT_FALSE(leaves_room(3, 1, 0, 3));  // the week's limit alone
    EXPECT_FALSE(leaves_room(3, 1, 3, 10)); // the week's bound bounds the day's count too
    EXPECT_TRUE(leaves_room(3, 1, 4, 10));
    EXPECT_FALSE(leaves_room(9, 2, 100, 10));
    EXPECT_TRUE(leaves_room(1000, 1, 0, 0));  // no limit set
}

TEST(PeriodLimits, TheWalkOfStartsTakesTheWindowAndStopsAtAWholePlaceBeyond) {
    const TimeRange day = {10 * kH, 34 * kH};
    EXPECT_EQ(start_step(day, 12 * kH, false, 1), StartStep::take);
    EXPECT_EQ(start_step(day, 10 * kH, false, 1), StartStep::take);  // the window's start is in
    EXPECT_EQ(start_step(day, 12 * kH, true, 1), StartStep::skip);   // a lapsed hold
    EXPECT_EQ(start_step(day, 9 * kH, false, 1), StartStep::skip);   // starts before, ends in it
    // At or past the window's end: a row of capacity 1 closes the walk, one
    // with places for several does not (a row sharing its time may lie
    // beyond it), and neither does a lapsed hold.
    EXPECT_EQ(start_step(day, 34 * kH, false, 1), StartStep::stop);
    EXPECT_EQ(start_step(day, 34 * kH, false, 3), StartStep::skip);
    EXPECT_EQ(start_step(day, 40 * kH, true, 1), StartStep::skip);
}

TEST(PeriodLimits, FullPeriodsAreThoseWithTheLimitReachedMerged) {
    // Four days of unequal length (a daylight-saving day of 23 hours).
    std::vector<Micros> bounds{0, 24 * kH, 47 * kH, 71 * kH, 95 * kH};
    std::vector<Micros> starts{1 * kH, 2 * kH, 25 * kH, 30 * kH, 48 * kH, 72 * kH, 73 * kH};
    std::vector<TimeRange> out(8);
    std::size_t n = full_periods({bounds.data(), bounds.size()}, {starts.data(), starts.size()}, 2,
                                 out.data(), out.size());
    ASSERT_EQ(n, 2u);
    EXPECT_EQ(out[0], (TimeRange{0, 47 * kH}));  // days one and two, merged
    EXPECT_EQ(out[1], (TimeRange{71 * kH, 95 * kH}));
    n = full_periods({bounds.data(), bounds.size()}, {starts.data(), starts.size()}, 3,
                     out.data(), out.size());
    EXPECT_EQ(n, 0u);
    // Starts outside the bounds do not count.
    std::vector<Micros> outside{-5 * kH, -4 * kH, 96 * kH, 97 * kH};
    n = full_periods({bounds.data(), bounds.size()}, {outside.data(), outside.size()}, 1,
                     out.data(), out.size());
    EXPECT_EQ(n, 0u);
}

TEST(PeriodLimits, CutStartsSplitsOpeningsKeepingGridAndEnd) {
    Opening open;
    open.range = {0, 72 * kH};
    open.anchor = 0;
    open.step = kH / 2;
    std::vector<Opening> openings{open};
    std::vector<TimeRange> cut{{24 * kH, 48 * kH}};
    std::vector<Opening> out(4);
    std::size_t n = cut_starts({openings.data(), openings.size()}, {cut.data(), cut.size()},
                               out.data(), out.size());
    ASSERT_EQ(n, 2u);
    EXPECT_EQ(out[0].range, (TimeRange{0, 24 * kH}));
    EXPECT_EQ(out[0].latest_end(), 72 * kH);  // a slot starting before may run into the cut
    EXPECT_EQ(out[1].range, (TimeRange{48 * kH, 72 * kH}));
    EXPECT_EQ(out[1].anchor, 0);
    EXPECT_EQ(out[1].step, kH / 2);

    // A cut covering an opening removes it; openings outside any cut stay.
    Opening morning = open;
    morning.range = {25 * kH, 26 * kH};
    Opening later = open;
    later.range = {50 * kH, 51 * kH};
    std::vector<Opening> two{morning, later};
    n = cut_starts({two.data(), two.size()}, {cut.data(), cut.size()}, out.data(), out.size());
    ASSERT_EQ(n, 1u);
    EXPECT_EQ(out[0].range, later.range);
}

TEST(PeriodLimits, NearestFreeSlotsSkipACutDay) {
    Opening open;
    open.range = {0, 72 * kH};
    open.step = kH;
    std::vector<Opening> openings{open};
    std::vector<TimeRange> cut{{24 * kH, 48 * kH}};
    std::vector<Opening> pieces(4);
    std::size_t n = cut_starts({openings.data(), openings.size()}, {cut.data(), cut.size()},
                               pieces.data(), pieces.size());
    SlotShape shape;
    shape.duration = kH;
    // Nearest to a time early in the cut day: the last start before it; late
    // in it: the first start after it.
    std::vector<TimeRange> out(1);
    ASSERT_EQ(nearest_free_slots({}, {pieces.data(), n}, shape, 30 * kH, {0, 72 * kH}, out.data(), 1),
              1u);
    EXPECT_EQ(out[0].start, 23 * kH);
    ASSERT_EQ(nearest_free_slots({}, {pieces.data(), n}, shape, 40 * kH, {0, 72 * kH}, out.data(), 1),
              1u);
    EXPECT_EQ(out[0].start, 48 * kH);
}

}  // namespace
