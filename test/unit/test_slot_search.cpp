// core/slot_search.hpp: grid arithmetic, nearest free slots, free slots of a
// window; hand-written cases and a randomized comparison with a brute-force
// scan of every grid point.
#include "core/slot_search.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace booking::core;

// 2026-01-15T00:00:00Z as PostgreSQL micros: the day the examples live on.
constexpr Micros kDay = (1768435200LL - 946684800LL) * kMicrosPerSecond;
constexpr Micros kMin = kMicrosPerMinute;

constexpr Micros at(int hour, int minute) { return kDay + hour * kMicrosPerHour + minute * kMin; }

std::string show(Micros t) {
    Micros rel = t - kDay;
    std::ostringstream os;
    if (rel >= 0 && rel % kMin == 0) {
        const Micros minute = (rel % kMicrosPerHour) / kMin;
        os << rel / kMicrosPerHour << ':' << (minute < 10 ? "0" : "") << minute;
    } else {
        os << "day+" << rel << "us";
    }
    return os.str();
}

std::string show(const std::vector<Micros> &v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        s += (i ? ", " : "") + show(v[i]);
    return s + "]";
}

const TimeRange kGuard{-777, -777};

// Runs nearest_free_slots and returns the starts; checks that each slot is
// duration long and that nothing was written past the count returned.
std::vector<Micros> nearest(const std::vector<TimeRange> &busy, const std::vector<Opening> &openings,
                            const SlotShape &shape, Micros requested, StartBounds bounds,
                            std::size_t capacity) {
    std::vector<TimeRange> out(capacity + 2, kGuard);
    std::size_t n = nearest_free_slots({busy.data(), busy.size()}, {openings.data(), openings.size()},
                                       shape, requested, bounds, out.data(), capacity);
    EXPECT_LE(n, capacity);
    std::vector<Micros> starts;
    for (std::size_t i = 0; i < std::min(n, capacity); ++i) {
        EXPECT_EQ(out[i].end - out[i].start, shape.duration) << "slot " << i;
        starts.push_back(out[i].start);
    }
    for (std::size_t i = std::min(n, capacity); i < out.size(); ++i)
        EXPECT_EQ(out[i], kGuard) << "written past the result at " << i;
    return starts;
}

std::vector<Micros> forward(const std::vector<TimeRange> &busy, const std::vector<Opening> &openings,
                            const SlotShape &shape, StartBounds bounds, std::size_t capacity) {
    std::vector<TimeRange> out(capacity + 2, kGuard);
    std::size_t n = free_slots_forward({busy.data(), busy.size()}, {openings.data(), openings.size()},
                                       shape, bounds, out.data(), capacity);
    EXPECT_LE(n, capacity);
    std::vector<Micros> starts;
    for (std::size_t i = 0; i < std::min(n, capacity); ++i) {
        EXPECT_EQ(out[i].end - out[i].start, shape.duration) << "slot " << i;
        starts.push_back(out[i].start);
    }
    for (std::size_t i = std::min(n, capacity); i < out.size(); ++i)
        EXPECT_EQ(out[i], kGuard) << "written past the result at " << i;
    return starts;
}

// A working day 08:00-18:00 on a half-hour grid from midnight.
Opening working_day(Micros step = 30 * kMin) { return Opening{{at(8, 0), at(18, 0)}, kDay, step}; }

SlotShape shape_of(Micros duration, Micros before = 0, Micros after = 0, Micros earliest = 0) {
    SlotShape s;
    s.duration = duration;
    s.buffer_before = before;
    s.buffer_after = after;
    s.earliest_start = earliest;
    return s;
}

const StartBounds kWholeDay{at(0, 0), at(23, 59)};

#define EXPECT_STARTS(actual, ...)                                        \
    do {                                                                  \
        const std::vector<Micros> expected_{__VA_ARGS__};                 \
        const std::vector<Micros> actual_ = (actual);                     \
        EXPECT_EQ(actual_, expected_) << "  actual:   " << show(actual_)  \
                                      << "\n  expected: " << show(expected_); \
    } while (0)

// --- grid arithmetic ---------------------------------------------------------

TEST(Grid, ExactGridPointsMapToThemselves) {
    for (Micros x : {-60, -30, 0, 30, 60, 900}) {
        EXPECT_EQ(grid_ceil(x, 0, 30), x);
        EXPECT_EQ(grid_floor(x, 0, 30), x);
    }
    EXPECT_EQ(grid_ceil(at(9, 30), kDay, 30 * kMin), at(9, 30));
    EXPECT_EQ(grid_floor(at(9, 30), kDay, 30 * kMin), at(9, 30));
}

TEST(Grid, BetweenGridPoints) {
    EXPECT_EQ(grid_ceil(1, 0, 30), 30);
    EXPECT_EQ(grid_floor(1, 0, 30), 0);
    EXPECT_EQ(grid_ceil(29, 0, 30), 30);
    EXPECT_EQ(grid_floor(29, 0, 30), 0);
    EXPECT_EQ(grid_ceil(at(9, 31), kDay, 30 * kMin), at(10, 0));
    EXPECT_EQ(grid_floor(at(9, 59), kDay, 30 * kMin), at(9, 30));
    EXPECT_EQ(grid_ceil(at(9, 30) + 1, kDay, 30 * kMin), at(10, 0));
    EXPECT_EQ(grid_floor(at(9, 30) - 1, kDay, 30 * kMin), at(9, 0));
}

TEST(Grid, NegativeValues) {
    EXPECT_EQ(grid_ceil(-1, 0, 30), 0);
    EXPECT_EQ(grid_floor(-1, 0, 30), -30);
    EXPECT_EQ(grid_ceil(-29, 0, 30), 0);
    EXPECT_EQ(grid_floor(-29, 0, 30), -30);
    EXPECT_EQ(grid_ceil(-31, 0, 30), -30);
    EXPECT_EQ(grid_floor(-31, 0, 30), -60);
}

TEST(Grid, AnchorNotAtZero) {
    // Grid points 7 + 10k: ..., -13, -3, 7, 17, ...
    EXPECT_EQ(grid_ceil(7, 7, 10), 7);
    EXPECT_EQ(grid_floor(8, 7, 10), 7);
    EXPECT_EQ(grid_ceil(8, 7, 10), 17);
    EXPECT_EQ(grid_ceil(-3, 7, 10), -3);
    EXPECT_EQ(grid_floor(-4, 7, 10), -13);
    EXPECT_EQ(grid_ceil(-4, 7, 10), -3);
    // Anchor after x.
    EXPECT_EQ(grid_floor(45, 100, 30), 40);
    EXPECT_EQ(grid_ceil(45, 100, 30), 70);
    // Negative anchor.
    EXPECT_EQ(grid_floor(0, -5, 10), -5);
    EXPECT_EQ(grid_ceil(0, -5, 10), 5);
}

TEST(Grid, SweepAgainstDefinition) {
    for (Micros step : {1, 2, 5, 30}) {
        for (Micros anchor : {-37, 0, 11}) {
            for (Micros x = -200; x <= 200; ++x) {
                const Micros c = grid_ceil(x, anchor, step);
                const Micros f = grid_floor(x, anchor, step);
                ASSERT_EQ(((c - anchor) % step + step) % step, 0);
                ASSERT_EQ(((f - anchor) % step + step) % step, 0);
                ASSERT_GE(c, x);
                ASSERT_LT(c - step, x);
                ASSERT_LE(f, x);
                ASSERT_GT(f + step, x);
            }
        }
    }
}

TEST(BlockedRange, WidensByTheBuffers) {
    EXPECT_EQ(blocked_range(shape_of(30 * kMin, 10 * kMin, 5 * kMin), at(10, 0)),
              (TimeRange{at(9, 50), at(10, 35)}));
    EXPECT_EQ(blocked_range(shape_of(30 * kMin), at(10, 0)), (TimeRange{at(10, 0), at(10, 30)}));
}

// --- nearest_free_slots: empty calendar --------------------------------------

TEST(NearestFreeSlots, EmptyCalendarNearestFirstEarlierOnTie) {
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin), at(12, 0), kWholeDay, 5),
                  at(11, 30), at(12, 30), at(11, 0), at(13, 0), at(10, 30));
}

TEST(NearestFreeSlots, NeverTheRequestedStartItself) {
    const auto slots = nearest({}, {working_day()}, shape_of(30 * kMin), at(12, 0), kWholeDay, 100);
    EXPECT_EQ(slots.size(), 19u);  // 20 half-hours in the day, minus the requested one
    EXPECT_EQ(std::count(slots.begin(), slots.end(), at(12, 0)), 0);
}

TEST(NearestFreeSlots, RequestOffTheGrid) {
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin), at(12, 10), kWholeDay, 4),
                  at(12, 0), at(12, 30), at(11, 30), at(13, 0));
}

TEST(NearestFreeSlots, RequestAtTheStartOfTheOpening) {
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin), at(8, 0), kWholeDay, 3),
                  at(8, 30), at(9, 0), at(9, 30));
}

TEST(NearestFreeSlots, RequestOutsideTheOpening) {
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin), at(20, 0), kWholeDay, 2),
                  at(17, 30), at(17, 0));
}

// --- busy calendars ------------------------------------------------------------

TEST(NearestFreeSlots, FullyBookedWindowHasNoSlots) {
    EXPECT_STARTS(nearest({{at(8, 0), at(18, 0)}}, {working_day()}, shape_of(30 * kMin), at(12, 0),
                          kWholeDay, 10));
    EXPECT_STARTS(nearest({{at(6, 0), at(20, 0)}}, {working_day()}, shape_of(30 * kMin), at(12, 0),
                          kWholeDay, 10));
    EXPECT_STARTS(forward({{at(8, 0), at(18, 0)}}, {working_day()}, shape_of(30 * kMin), kWholeDay,
                          10));
}

TEST(NearestFreeSlots, GapExactlyTheSizeOfTheRequestFits) {
    // A grid of one microsecond: only the size of the gap decides.
    const std::vector<TimeRange> busy{{at(8, 0), at(10, 0)}, {at(10, 30), at(18, 0)}};
    EXPECT_STARTS(nearest(busy, {working_day(1)}, shape_of(30 * kMin), at(12, 0), kWholeDay, 5),
                  at(10, 0));
    EXPECT_STARTS(forward(busy, {working_day(1)}, shape_of(30 * kMin), kWholeDay, 5), at(10, 0));
    // On the half-hour grid too.
    EXPECT_STARTS(nearest(busy, {working_day()}, shape_of(30 * kMin), at(12, 0), kWholeDay, 5),
                  at(10, 0));
}

TEST(NearestFreeSlots, GapOneMicrosecondShortDoesNotFit) {
    const std::vector<TimeRange> short_end{{at(8, 0), at(10, 0)}, {at(10, 30) - 1, at(18, 0)}};
    EXPECT_STARTS(
        nearest(short_end, {working_day(1)}, shape_of(30 * kMin), at(12, 0), kWholeDay, 5));
    EXPECT_STARTS(forward(short_end, {working_day(1)}, shape_of(30 * kMin), kWholeDay, 5));
    const std::vector<TimeRange> short_start{{at(8, 0), at(10, 0) + 1}, {at(10, 30), at(18, 0)}};
    EXPECT_STARTS(
        nearest(short_start, {working_day(1)}, shape_of(30 * kMin), at(12, 0), kWholeDay, 5));
    EXPECT_STARTS(forward(short_start, {working_day(1)}, shape_of(30 * kMin), kWholeDay, 5));
}

TEST(NearestFreeSlots, SlotsMayTouchBusyRanges) {
    // Half-open: 10:00-10:30 busy leaves 09:30 and 10:30 free.
    EXPECT_STARTS(nearest({{at(10, 0), at(10, 30)}}, {working_day()}, shape_of(30 * kMin),
                          at(10, 0), kWholeDay, 2),
                  at(9, 30), at(10, 30));
}

TEST(NearestFreeSlots, BackToBackBusyRanges) {
    const std::vector<TimeRange> busy{{at(9, 0), at(10, 0)}, {at(10, 0), at(11, 0)}};
    // 11:00 is 60 minutes away; 08:30 and 11:30 are both 90 (earlier first).
    EXPECT_STARTS(nearest(busy, {working_day()}, shape_of(30 * kMin), at(10, 0), kWholeDay, 4),
                  at(11, 0), at(8, 30), at(11, 30), at(8, 0));
}

TEST(NearestFreeSlots, OverlappingUnsortedBusyRangesAreMerged) {
    const std::vector<TimeRange> busy{
        {at(11, 0), at(12, 0)},
        {at(9, 0), at(10, 30)},
        {at(10, 0), at(11, 30)},
        {at(9, 30), at(9, 45)},
    };
    const std::vector<Micros> expected{at(12, 0), at(8, 30), at(12, 30), at(8, 0), at(13, 0)};
    EXPECT_EQ(nearest(busy, {working_day()}, shape_of(30 * kMin), at(10, 30), kWholeDay, 5),
              expected);
    // The same as the merged range.
    EXPECT_EQ(nearest({{at(9, 0), at(12, 0)}}, {working_day()}, shape_of(30 * kMin), at(10, 30),
                      kWholeDay, 5),
              expected);
    EXPECT_STARTS(forward(busy, {working_day()}, shape_of(30 * kMin), {at(8, 0), at(13, 0)}, 10),
                  at(8, 0), at(8, 30), at(12, 0), at(12, 30), at(13, 0));
}

TEST(NearestFreeSlots, EmptyBusyRangesBlockNothing) {
    // An empty range overlaps nothing (as PostgreSQL's 'empty' range).
    const std::vector<TimeRange> busy{{at(11, 45), at(11, 45)}, {at(12, 40), at(12, 40)}};
    EXPECT_STARTS(nearest(busy, {working_day()}, shape_of(30 * kMin), at(12, 0), kWholeDay, 4),
                  at(11, 30), at(12, 30), at(11, 0), at(13, 0));
}

TEST(NearestFreeSlots, EarliestStartCutsCandidates) {
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin, 0, 0, at(11, 45)), at(12, 0),
                          kWholeDay, 3),
                  at(12, 30), at(13, 0), at(13, 30));
    // A start exactly at earliest_start is allowed.
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin, 0, 0, at(11, 30)), at(12, 0),
                          kWholeDay, 3),
                  at(11, 30), at(12, 30), at(13, 0));
    // Entirely after the requested start.
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin, 0, 0, at(13, 10)), at(12, 0),
                          kWholeDay, 2),
                  at(13, 30), at(14, 0));
    // After the whole opening.
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin, 0, 0, at(17, 31)), at(12, 0),
                          kWholeDay, 2));
}

TEST(NearestFreeSlots, BoundsAreInclusive) {
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin), at(12, 0),
                          {at(11, 0), at(13, 0)}, 10),
                  at(11, 30), at(12, 30), at(11, 0), at(13, 0));
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin), at(12, 0),
                          {at(11, 0) + 1, at(13, 0) - 1}, 10),
                  at(11, 30), at(12, 30));
}

TEST(NearestFreeSlots, BoundsLimitHowFarItLooks) {
    const std::vector<TimeRange> busy{{at(9, 0), at(15, 0)}};
    EXPECT_STARTS(nearest(busy, {working_day()}, shape_of(30 * kMin), at(12, 0),
                          {at(10, 0), at(14, 0)}, 10));
    EXPECT_STARTS(nearest(busy, {working_day()}, shape_of(30 * kMin), at(12, 0),
                          {at(8, 0), at(16, 0)}, 10),
                  at(15, 0), at(8, 30), at(15, 30), at(8, 0), at(16, 0));
}

TEST(NearestFreeSlots, CapacityIsRespected) {
    const auto all = nearest({}, {working_day()}, shape_of(30 * kMin), at(12, 0), kWholeDay, 100);
    ASSERT_EQ(all.size(), 19u);
    for (std::size_t cap : {1u, 2u, 3u, 7u, 19u, 20u}) {
        const auto some = nearest({}, {working_day()}, shape_of(30 * kMin), at(12, 0), kWholeDay, cap);
        ASSERT_EQ(some.size(), std::min<std::size_t>(cap, 19)) << cap;
        EXPECT_TRUE(std::equal(some.begin(), some.end(), all.begin())) << cap;
    }
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin), at(12, 0), kWholeDay, 0));
}

TEST(NearestFreeSlots, NonPositiveDurationFindsNothing) {
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(0), at(12, 0), kWholeDay, 5));
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(-kMin), at(12, 0), kWholeDay, 5));
    EXPECT_STARTS(forward({}, {working_day()}, shape_of(0), kWholeDay, 5));
}

TEST(NearestFreeSlots, NoOpeningsNoSlots) {
    EXPECT_STARTS(nearest({}, {}, shape_of(30 * kMin), at(12, 0), kWholeDay, 5));
    EXPECT_STARTS(forward({}, {}, shape_of(30 * kMin), kWholeDay, 5));
    // An opening without a grid step offers nothing.
    EXPECT_STARTS(nearest({}, {working_day(0)}, shape_of(30 * kMin), at(12, 0), kWholeDay, 5));
}

// --- buffers ---------------------------------------------------------------------

TEST(NearestFreeSlots, BuffersKeepDistanceFromBusyRanges) {
    // 10:00-11:00 busy; 15 minutes on either side of a 30 minute slot.
    const std::vector<TimeRange> busy{{at(10, 0), at(11, 0)}};
    const SlotShape shape = shape_of(30 * kMin, 15 * kMin, 15 * kMin);
    EXPECT_STARTS(nearest(busy, {working_day(15 * kMin)}, shape, at(10, 30), kWholeDay, 4),
                  at(11, 15), at(11, 30), at(9, 15), at(11, 45));
}

TEST(NearestFreeSlots, GapMustHoldBuffersAndDuration) {
    const SlotShape shape = shape_of(30 * kMin, 15 * kMin, 15 * kMin);
    // 10:00-11:00 holds 15 + 30 + 15 minutes exactly: only 10:15.
    const std::vector<TimeRange> exact{{at(8, 0), at(10, 0)}, {at(11, 0), at(18, 0)}};
    EXPECT_STARTS(nearest(exact, {working_day(1)}, shape, at(12, 0), kWholeDay, 5), at(10, 15));
    EXPECT_STARTS(forward(exact, {working_day(1)}, shape, kWholeDay, 5), at(10, 15));
    // One microsecond less does not.
    const std::vector<TimeRange> short_gap{{at(8, 0), at(10, 0)}, {at(11, 0) - 1, at(18, 0)}};
    EXPECT_STARTS(nearest(short_gap, {working_day(1)}, shape, at(12, 0), kWholeDay, 5));
    EXPECT_STARTS(forward(short_gap, {working_day(1)}, shape, kWholeDay, 5));
    // Asymmetric buffers: 20 before, 10 after.
    EXPECT_STARTS(nearest(exact, {working_day(1)}, shape_of(30 * kMin, 20 * kMin, 10 * kMin),
                          at(12, 0), kWholeDay, 5),
                  at(10, 20));
}

TEST(NearestFreeSlots, BuffersMayReachOutsideTheOpening) {
    // Only the appointment itself must lie in the opening.
    const SlotShape shape = shape_of(30 * kMin, 15 * kMin, 15 * kMin);
    const auto slots = forward({}, {working_day()}, shape, kWholeDay, 100);
    ASSERT_EQ(slots.size(), 20u);
    EXPECT_EQ(slots.front(), at(8, 0));
    EXPECT_EQ(slots.back(), at(17, 30));
}

// --- several openings ------------------------------------------------------------

std::vector<Opening> two_openings() {
    return {
        // 08:00-12:00 on the hour.
        Opening{{at(8, 0), at(12, 0)}, at(8, 0), 60 * kMin},
        // 13:00-17:00 at twenty past, anchored long before the opening.
        Opening{{at(13, 0), at(17, 0)}, kDay + 20 * kMin - 30 * kMicrosPerDay, 60 * kMin},
    };
}

TEST(NearestFreeSlots, SeveralOpeningsWithTheirOwnGrids) {
    EXPECT_STARTS(nearest({}, two_openings(), shape_of(30 * kMin), at(12, 30), kWholeDay, 20),
                  at(13, 20), at(11, 0), at(14, 20), at(10, 0), at(15, 20), at(9, 0), at(16, 20),
                  at(8, 0));
    EXPECT_STARTS(forward({}, two_openings(), shape_of(30 * kMin), kWholeDay, 20), at(8, 0),
                  at(9, 0), at(10, 0), at(11, 0), at(13, 20), at(14, 20), at(15, 20), at(16, 20));
}

TEST(NearestFreeSlots, SlotMustLieInsideAnOpening) {
    // A slot ending exactly at the opening's end fits...
    const std::vector<Opening> ends_at_1130{Opening{{at(8, 0), at(11, 30)}, at(8, 0), 60 * kMin}};
    EXPECT_STARTS(forward({}, ends_at_1130, shape_of(30 * kMin), kWholeDay, 10), at(8, 0), at(9, 0),
                  at(10, 0), at(11, 0));
    // ...one microsecond past it does not.
    const std::vector<Opening> short_by_one{Opening{{at(8, 0), at(11, 30) - 1}, at(8, 0), 60 * kMin}};
    EXPECT_STARTS(forward({}, short_by_one, shape_of(30 * kMin), kWholeDay, 10), at(8, 0), at(9, 0),
                  at(10, 0));
    EXPECT_STARTS(nearest({}, short_by_one, shape_of(30 * kMin), at(12, 0), kWholeDay, 10), at(10, 0),
                  at(9, 0), at(8, 0));
    // Grid points before the opening's start are not used either.
    const std::vector<Opening> late_start{Opening{{at(8, 10), at(10, 0)}, at(8, 0), 30 * kMin}};
    EXPECT_STARTS(forward({}, late_start, shape_of(30 * kMin), kWholeDay, 10), at(8, 30), at(9, 0),
                  at(9, 30));
}

TEST(NearestFreeSlots, BusyRangeSpanningTwoOpenings) {
    const std::vector<TimeRange> busy{{at(10, 30), at(14, 0)}};
    EXPECT_STARTS(nearest(busy, two_openings(), shape_of(30 * kMin), at(12, 30), kWholeDay, 4),
                  at(14, 20), at(10, 0), at(15, 20), at(9, 0));
}

// --- free_slots_forward ------------------------------------------------------------

TEST(FreeSlotsForward, InTimeOrder) {
    const auto slots = forward({}, {working_day()}, shape_of(30 * kMin), kWholeDay, 100);
    ASSERT_EQ(slots.size(), 20u);
    for (std::size_t i = 0; i < slots.size(); ++i)
        EXPECT_EQ(slots[i], at(8, 0) + static_cast<Micros>(i) * 30 * kMin) << i;
}

TEST(FreeSlotsForward, CapacityIsRespected) {
    EXPECT_STARTS(forward({}, {working_day()}, shape_of(30 * kMin), kWholeDay, 3), at(8, 0),
                  at(8, 30), at(9, 0));
    EXPECT_STARTS(forward({}, {working_day()}, shape_of(30 * kMin), kWholeDay, 0));
    // Capacity reached inside the first of two openings.
    EXPECT_STARTS(forward({}, two_openings(), shape_of(30 * kMin), kWholeDay, 5), at(8, 0),
                  at(9, 0), at(10, 0), at(11, 0), at(13, 20));
}

TEST(FreeSlotsForward, SkipsBusyAndHonoursBoundsAndEarliestStart) {
    const std::vector<TimeRange> busy{{at(9, 0), at(10, 0)}};
    EXPECT_STARTS(forward(busy, {working_day()}, shape_of(30 * kMin), {at(8, 10), at(11, 0)}, 10),
                  at(8, 30), at(10, 0), at(10, 30), at(11, 0));
    EXPECT_STARTS(forward(busy, {working_day()}, shape_of(30 * kMin, 0, 0, at(10, 1)),
                          {at(8, 0), at(11, 0)}, 10),
                  at(10, 30), at(11, 0));
    EXPECT_STARTS(forward(busy, {working_day()}, shape_of(30 * kMin), {at(9, 0), at(9, 59)}, 10));
}

// --- scale -------------------------------------------------------------------------

TEST(SlotSearch, BlockedCandidatesJumpPastBusyRanges) {
    // A microsecond grid over a year, busy but for the last hour: a scan
    // that stepped through the grid would not finish.
    const Micros year = 365 * kMicrosPerDay;
    const std::vector<Opening> openings{Opening{{kDay, kDay + year}, kDay, 1}};
    const std::vector<TimeRange> busy{{kDay, kDay + year - kMicrosPerHour}};
    const StartBounds bounds{kDay, kDay + year};
    const Micros free_from = kDay + year - kMicrosPerHour;
    EXPECT_STARTS(forward(busy, openings, shape_of(30 * kMin), bounds, 3), free_from, free_from + 1,
                  free_from + 2);
    EXPECT_STARTS(nearest(busy, openings, shape_of(30 * kMin), kDay, bounds, 2), free_from,
                  free_from + 1);
    // And backwards.
    const std::vector<TimeRange> busy_late{{kDay + kMicrosPerHour, kDay + year}};
    const Micros last_free = kDay + 30 * kMin;
    EXPECT_STARTS(nearest(busy_late, openings, shape_of(30 * kMin), kDay + year - 1, bounds, 2),
                  last_free, last_free - 1);
}

TEST(SlotSearch, ManyBusyRanges) {
    // Every other half hour of a year booked.
    std::vector<TimeRange> busy;
    for (Micros t = kDay; t < kDay + 365 * kMicrosPerDay; t += kMicrosPerHour)
        busy.push_back({t, t + 30 * kMin});
    std::reverse(busy.begin(), busy.end());
    const std::vector<Opening> openings{Opening{{kDay, kDay + 365 * kMicrosPerDay}, kDay, 15 * kMin}};
    const StartBounds bounds{kDay, kDay + 365 * kMicrosPerDay};
    const Micros mid = kDay + 180 * kMicrosPerDay;  // on the hour: busy
    EXPECT_STARTS(nearest(busy, openings, shape_of(30 * kMin), mid, bounds, 3), mid - 30 * kMin,
                  mid + 30 * kMin, mid - 90 * kMin);
}

// --- randomized comparison with a brute-force scan ---------------------------------

struct Case {
    std::vector<TimeRange> busy;
    std::vector<Opening> openings;
    SlotShape shape;
    Micros requested = 0;
    StartBounds bounds;
    std::size_t capacity = 0;

    std::string describe() const {
        std::ostringstream os;
        os << "busy:";
        for (const TimeRange &b : busy)
            os << " [" << b.start << "," << b.end << ")";
        os << "\nopenings:";
        for (const Opening &o : openings)
            os << " [" << o.range.start << "," << o.range.end << ") anchor " << o.anchor << " step "
               << o.step << ";";
        os << "\nduration " << shape.duration << " before " << shape.buffer_before << " after "
           << shape.buffer_after << " earliest " << shape.earliest_start << "\nrequested "
           << requested << " bounds [" << bounds.lo << "," << bounds.hi << "] capacity " << capacity;
        return os.str();
    }
};

Micros mod(Micros a, Micros b) { return ((a % b) + b) % b; }

bool brute_free(const Case &c, Micros t) {
    const Micros lo = t - c.shape.buffer_before;
    const Micros hi = t + c.shape.duration + c.shape.buffer_after;
    for (const TimeRange &b : c.busy) {
        if (b.end <= b.start)
            continue;  // empty
        if (b.start < hi && lo < b.end)
            return false;
    }
    return true;
}

bool brute_on_grid_inside_opening(const Case &c, Micros t) {
    for (const Opening &o : c.openings) {
        if (o.step > 0 && mod(t - o.anchor, o.step) == 0 && t >= o.range.start &&
            t + c.shape.duration <= o.range.end)
            return true;
    }
    return false;
}

bool brute_eligible(const Case &c, Micros t) {
    return t >= c.bounds.lo && t <= c.bounds.hi && t >= c.shape.earliest_start &&
           brute_on_grid_inside_opening(c, t) && brute_free(c, t);
}

// Every eligible start, by brute force over every point from the first
// opening's start to the last one's end.
std::vector<Micros> brute_candidates(const Case &c) {
    std::vector<Micros> out;
    if (c.openings.empty())
        return out;
    for (Micros t = c.openings.front().range.start; t <= c.openings.back().range.end; ++t) {
        if (brute_eligible(c, t))
            out.push_back(t);
    }
    return out;
}

Case random_case(std::mt19937_64 &rng) {
    auto uniform = [&rng](Micros lo, Micros hi) {
        return std::uniform_int_distribution<Micros>(lo, hi)(rng);
    };
    Case c;
    // Sorted, disjoint openings (possibly touching), each with its own grid.
    Micros cursor = uniform(-100, -40);
    const int nopenings = static_cast<int>(uniform(1, 3));
    for (int i = 0; i < nopenings; ++i) {
        Opening o;
        o.range.start = cursor + uniform(0, 20);
        o.range.end = o.range.start + uniform(1, 110);
        o.anchor = uniform(-300, 300);
        o.step = uniform(1, 9);
        cursor = o.range.end + uniform(0, 12);
        c.openings.push_back(o);
    }
    // Busy ranges: unsorted, overlapping, sometimes empty or inverted.
    const int nbusy = static_cast<int>(uniform(0, 9));
    for (int i = 0; i < nbusy; ++i) {
        const Micros s = uniform(-130, 280);
        c.busy.push_back({s, s + uniform(-3, 45)});
    }
    c.shape.duration = uniform(1, 25);
    c.shape.buffer_before = uniform(0, 3) == 0 ? uniform(1, 8) : 0;
    c.shape.buffer_after = uniform(0, 3) == 0 ? uniform(1, 8) : 0;
    c.shape.earliest_start = uniform(0, 2) == 0 ? uniform(-150, 260) : -1000;
    c.requested = uniform(-130, 290);
    // Bounds around the requested start, as the PostgreSQL layer passes them.
    c.bounds.lo = c.requested - uniform(0, 160);
    c.bounds.hi = c.requested + uniform(0, 160);
    c.capacity = static_cast<std::size_t>(uniform(1, 9));
    return c;
}

TEST(SlotSearchProperty, NearestMatchesBruteForce) {
    std::mt19937_64 rng(0x5107);
    for (int iteration = 0; iteration < 4000; ++iteration) {
        const Case c = random_case(rng);
        SCOPED_TRACE("iteration " + std::to_string(iteration) + "\n" + c.describe());
        const std::vector<Micros> got =
            nearest(c.busy, c.openings, c.shape, c.requested, c.bounds, c.capacity);

        // Each returned slot: free, on a grid inside an opening, inside the
        // bounds, not before earliest_start, not the requested start.
        Micros farthest = 0;
        for (Micros t : got) {
            ASSERT_NE(t, c.requested);
            ASSERT_TRUE(brute_free(c, t)) << "not free: " << t;
            ASSERT_TRUE(brute_on_grid_inside_opening(c, t)) << "off grid or outside: " << t;
            ASSERT_GE(t, c.bounds.lo) << t;
            ASSERT_LE(t, c.bounds.hi) << t;
            ASSERT_GE(t, c.shape.earliest_start) << t;
            farthest = std::max(farthest, std::abs(t - c.requested));
        }
        for (std::size_t i = 1; i < got.size(); ++i) {
            const Micros d0 = std::abs(got[i - 1] - c.requested);
            const Micros d1 = std::abs(got[i] - c.requested);
            ASSERT_TRUE(d0 < d1 || (d0 == d1 && got[i - 1] < got[i])) << "order at " << i;
        }

        std::vector<Micros> all = brute_candidates(c);
        all.erase(std::remove(all.begin(), all.end(), c.requested), all.end());
        // Nothing nearer than the farthest returned slot was skipped, and a
        // short answer means there was nothing more to find.
        for (Micros t : all) {
            if (got.size() < c.capacity || std::abs(t - c.requested) < farthest) {
                ASSERT_NE(std::find(got.begin(), got.end(), t), got.end()) << "skipped " << t;
            }
        }

        // Altogether: exactly the first capacity candidates by (distance, time).
        std::sort(all.begin(), all.end(), [&c](Micros a, Micros b) {
            const Micros da = std::abs(a - c.requested), db = std::abs(b - c.requested);
            return da != db ? da < db : a < b;
        });
        if (all.size() > c.capacity)
            all.resize(c.capacity);
        ASSERT_EQ(got, all);
    }
}

TEST(SlotSearchProperty, ForwardMatchesBruteForce) {
    std::mt19937_64 rng(0xf0f0);
    for (int iteration = 0; iteration < 3000; ++iteration) {
        const Case c = random_case(rng);
        SCOPED_TRACE("iteration " + std::to_string(iteration) + "\n" + c.describe());
        const std::vector<Micros> got = forward(c.busy, c.openings, c.shape, c.bounds, c.capacity);
        std::vector<Micros> all = brute_candidates(c);
        if (all.size() > c.capacity)
            all.resize(c.capacity);
        ASSERT_EQ(got, all);
    }
}

// --- bounds that do not contain the requested start ---------------------------------

// Only starts within bounds are considered, even when the bounds lie wholly
// before or after the requested start.
TEST(NearestFreeSlots, BoundsNotContainingTheRequestedStart) {
    // Bounds wholly before the requested start: expected 10:00, 09:30, 09:00;
    // the core returns 11:30, 11:00, 10:30.
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin), at(12, 0),
                          {at(8, 0), at(10, 0)}, 3),
                  at(10, 0), at(9, 30), at(9, 0));
    // Wholly after: expected 14:00, 14:30, 15:00; the core returns 12:30, 13:00, 13:30.
    EXPECT_STARTS(nearest({}, {working_day()}, shape_of(30 * kMin), at(12, 0),
                          {at(14, 0), at(16, 0)}, 3),
                  at(14, 0), at(14, 30), at(15, 0));
}

}  // namespace

// --- a booking horizon (a calendar's max_advance) ------------------------------

TEST(Horizon, LatestStartIsNowPlusMaxAdvance) {
    EXPECT_EQ(latest_start(at(9, 0), true, 2 * 60 * kMin), at(11, 0));
    EXPECT_EQ(latest_start(at(9, 0), true, 0), at(9, 0));
}

TEST(Horizon, NoRuleOrPastTheRepresentableMeansNoLimit) {
    EXPECT_EQ(latest_start(at(9, 0), false, 60 * kMin), SlotShape::kNoLatestStart);
    EXPECT_EQ(latest_start(at(9, 0), true, SlotShape::kNoLatestStart), SlotShape::kNoLatestStart);
}

TEST(Horizon, AStartAtTheHorizonIsInsideIt) {
    EXPECT_FALSE(beyond_horizon(at(11, 0), at(11, 0)));
    EXPECT_TRUE(beyond_horizon(at(11, 0) + 1, at(11, 0)));
    EXPECT_FALSE(beyond_horizon(at(10, 0), SlotShape::kNoLatestStart));
}

TEST(Horizon, FreeSlotsStopAtTheLatestStart) {
    SlotShape shape = shape_of(30 * kMin);
    shape.latest_start = at(9, 15);
    EXPECT_STARTS(forward({}, {working_day()}, shape, kWholeDay, 10), at(8, 0), at(8, 30),
                  at(9, 0));
}

TEST(Horizon, AlternativesNeverBeyondIt) {
    SlotShape shape = shape_of(30 * kMin);
    shape.latest_start = at(12, 0);
    // Asked for beyond the horizon: only starts at or before it, nearest first.
    EXPECT_STARTS(nearest({}, {working_day()}, shape, at(14, 0), kWholeDay, 3), at(12, 0),
                  at(11, 30), at(11, 0));
    shape.latest_start = at(7, 0);  // before the day opens: nothing to offer
    EXPECT_STARTS(nearest({}, {working_day()}, shape, at(14, 0), kWholeDay, 3));
}

TEST(Horizon, SearchCenter) {
    SlotShape shape = shape_of(30 * kMin, 0, 0, at(9, 0));
    EXPECT_EQ(search_center(shape, at(8, 0)), at(9, 0));  // too soon: from the earliest on
    EXPECT_EQ(search_center(shape, at(10, 0)), at(10, 0));
    shape.latest_start = at(12, 0);
    EXPECT_EQ(search_center(shape, at(12, 0)), at(12, 0));
    EXPECT_EQ(search_center(shape, at(15, 0)), at(12, 0) + 1);
    // The horizon's own start is offered to a request beyond it.
    EXPECT_STARTS(nearest({}, {working_day()}, shape, search_center(shape, at(15, 0)), kWholeDay, 2),
                  at(12, 0), at(11, 30));
}
