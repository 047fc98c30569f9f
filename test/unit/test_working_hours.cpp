// Working hours: parsing, building, the local moments of openings, and the
// openings built from their UTC instants.
#include <gtest/gtest.h>

#include <vector>

#include "core/civil_date.hpp"
#include "core/working_hours.hpp"

using namespace booking::core;

namespace {

int clock(const char *text) {
    int m = -1;
    EXPECT_EQ(parse_clock(text, &m), HoursError::none) << text;
    return m;
}

constexpr Micros kHour = kMicrosPerHour;

}  // namespace

TEST(WorkingHours, ParsesClockTimes) {
    EXPECT_EQ(clock("00:00"), 0);
    EXPECT_EQ(clock("09:30"), 570);
    EXPECT_EQ(clock("24:00"), 1440);
    int m;
    EXPECT_EQ(parse_clock("24:01", &m), HoursError::bad_time);
    EXPECT_EQ(parse_clock("25:00", &m), HoursError::bad_time);
    EXPECT_EQ(parse_clock("9:30", &m), HoursError::bad_time);
    EXPECT_EQ(parse_clock("09:60", &m), HoursError::bad_time);
    EXPECT_EQ(parse_clock("09-30", &m), HoursError::bad_time);
    EXPECT_EQ(parse_clock("", &m), HoursError::bad_time);
}

TEST(WorkingHours, WeekdayNames) {
    EXPECT_EQ(weekday_index("mon"), 0);
    EXPECT_EQ(weekday_index("sun"), 6);
    EXPECT_EQ(weekday_index("Mon"), -1);
    EXPECT_EQ(weekday_index("monday"), -1);
}

TEST(WorkingHours, BuildingRefusesBadIntervals) {
    WeeklyHours h = none_open();
    EXPECT_FALSE(h.always_open);
    EXPECT_EQ(add_interval(h, 0, 600, 600), HoursError::empty_interval);
    EXPECT_EQ(add_interval(h, 7, 600, 700), HoursError::unknown_weekday);
    EXPECT_EQ(add_interval(h, 0, 600, 1441), HoursError::bad_time);
    EXPECT_EQ(add_interval(h, 0, 780, 1020), HoursError::none);
    EXPECT_EQ(add_interval(h, 0, 540, 720), HoursError::none);
    EXPECT_EQ(finish(h), HoursError::none);
    EXPECT_EQ(h.intervals[0][0].start_minute, 540);  // sorted
    EXPECT_EQ(add_interval(h, 0, 700, 800), HoursError::none);
    EXPECT_EQ(finish(h), HoursError::overlapping);
    WeeklyHours touching = none_open();
    add_interval(touching, 2, 540, 720);
    add_interval(touching, 2, 720, 900);
    EXPECT_EQ(finish(touching), HoursError::none);
    WeeklyHours full = none_open();
    for (int i = 0; i < kMaxIntervalsPerDay; ++i)
        EXPECT_EQ(add_interval(full, 1, i * 60, i * 60 + 30), HoursError::none);
    EXPECT_EQ(add_interval(full, 1, 1000, 1010), HoursError::too_many);
}

TEST(WorkingHours, MomentsFollowTheWeekdays) {
    WeeklyHours h = none_open();
    add_interval(h, 0, 540, 720);   // Monday 09:00-12:00
    add_interval(h, 0, 780, 1020);  // Monday 13:00-17:00
    add_interval(h, 2, 600, 660);   // Wednesday 10:00-11:00
    finish(h);
    const std::int64_t monday = days_from_civil(2030, 4, 1);
    LocalMoment out[32];
    std::size_t n = opening_moments(h, monday - 1, monday + 2, out, 32);
    ASSERT_EQ(n, 6u);  // Sunday closed, Monday two intervals, Tuesday closed, Wednesday one
    EXPECT_EQ(out[0].day, monday);
    EXPECT_EQ(out[0].minute, 540);
    EXPECT_EQ(out[3].minute, 1020);
    EXPECT_EQ(out[4].day, monday + 2);
    EXPECT_EQ(out[5].minute, 660);
    // Capacity is respected, in whole pairs.
    EXPECT_EQ(opening_moments(h, monday, monday + 2, out, 3), 2u);
}

TEST(WorkingHours, AlwaysOpenIsEveryDayFromMidnightToMidnight) {
    WeeklyHours h;  // default: open at all hours
    LocalMoment out[8];
    std::size_t n = opening_moments(h, 100, 102, out, 8);
    ASSERT_EQ(n, 6u);
    EXPECT_EQ(out[0].minute, 0);
    EXPECT_EQ(out[1].minute, kMinutesPerDay);
    EXPECT_EQ(out[2].day, 101);
}

TEST(WorkingHours, OpeningsAreAnchoredAtTheirStartAndChainWhenTheyTouch) {
    // Three days open at all hours, with a 23-hour day in the middle (as on a
    // spring-forward switch): midnights at 0h, 24h, 47h, 71h.
    Micros utc[] = {0, 24 * kHour, 24 * kHour, 47 * kHour, 47 * kHour, 71 * kHour};
    Opening o[3];
    ASSERT_EQ(build_openings(utc, 6, kHour, o), 3u);
    EXPECT_EQ(o[1].anchor, 24 * kHour);
    EXPECT_EQ(o[2].anchor, 47 * kHour);
    EXPECT_EQ(o[0].end_by, 71 * kHour);  // a slot may run on across midnights
    EXPECT_EQ(o[2].end_by, 71 * kHour);
    // A gap ends the chain.
    Micros gapped[] = {0, 3 * kHour, 4 * kHour, 6 * kHour};
    Opening g[2];
    ASSERT_EQ(build_openings(gapped, 4, kHour, g), 2u);
    EXPECT_EQ(g[0].end_by, 3 * kHour);
    // An interval that vanished in a daylight-saving gap opens nothing.
    Micros vanished[] = {5 * kHour, 5 * kHour};
    EXPECT_EQ(build_openings(vanished, 2, kHour, g), 0u);
}

TEST(WorkingHours, WithinOpenings) {
    Micros utc[] = {9 * kHour, 12 * kHour, 13 * kHour, 17 * kHour};
    Opening o[2];
    std::size_t n = build_openings(utc, 4, kHour / 2, o);
    Span<Opening> openings{o, n};
    EXPECT_TRUE(within_openings(openings, {9 * kHour, 10 * kHour}));
    EXPECT_TRUE(within_openings(openings, {11 * kHour, 12 * kHour}));    // ends at closing
    EXPECT_FALSE(within_openings(openings, {11 * kHour, 12 * kHour + 1}));
    EXPECT_FALSE(within_openings(openings, {12 * kHour, 13 * kHour}));   // the lunch break
    EXPECT_FALSE(within_openings(openings, {8 * kHour, 9 * kHour + 1}));
    EXPECT_TRUE(within_openings(openings, {13 * kHour + 7, 13 * kHour + 20}));  // off-grid is fine
}

TEST(WorkingHours, SearchUsesOpenings) {
    // Two intervals; the search offers slots inside them only, on each one's grid.
    Micros utc[] = {9 * kHour, 12 * kHour, 13 * kHour + kHour / 4, 15 * kHour};
    Opening o[2];
    std::size_t n = build_openings(utc, 4, kHour, o);
    SlotShape shape;
    shape.duration = kHour;
    shape.earliest_start = 0;
    TimeRange out[10];
    std::size_t found =
        free_slots_forward({nullptr, 0}, {o, n}, shape, {0, 24 * kHour}, out, 10);
    ASSERT_EQ(found, 4u);
    EXPECT_EQ(out[0].start, 9 * kHour);
    EXPECT_EQ(out[2].start, 11 * kHour);
    EXPECT_EQ(out[3].start, 13 * kHour + kHour / 4);  // anchored at 13:15
}

TEST(WorkingHours, SlotsRunOnAcrossTouchingOpenings) {
    // Two days open at all hours: a three-hour slot may start at 23:00 on the
    // first and end at 02:00 on the second; a closing with a gap stops it.
    Micros utc[] = {0, 24 * kHour, 24 * kHour, 48 * kHour};
    Opening o[2];
    std::size_t n = build_openings(utc, 4, kHour, o);
    SlotShape shape;
    shape.duration = 3 * kHour;
    TimeRange out[4];
    std::size_t found = free_slots_forward({nullptr, 0}, {o, n}, shape,
                                           {23 * kHour, 23 * kHour}, out, 4);
    ASSERT_EQ(found, 1u);
    EXPECT_EQ(out[0].end, 26 * kHour);
    EXPECT_TRUE(within_openings({o, n}, {23 * kHour, 26 * kHour}));
    Micros gapped[] = {0, 24 * kHour, 25 * kHour, 48 * kHour};
    n = build_openings(gapped, 4, kHour, o);
    EXPECT_EQ(free_slots_forward({nullptr, 0}, {o, n}, shape, {23 * kHour, 23 * kHour}, out, 4), 0u);
    EXPECT_FALSE(within_openings({o, n}, {23 * kHour, 26 * kHour}));
}

namespace {

TEST(ClosedWithin, IsWhatNoOpeningCovers) {
    // As build_openings makes them: the first two chain.
    std::vector<Opening> o(3);
    o[0].range = {10, 20};
    o[0].end_by = 30;
    o[1].range = {20, 30};
    o[1].end_by = 30;
    o[2].range = {40, 50};
    o[2].end_by = 50;
    TimeRange out[4];
    std::size_t n = closed_within({o.data(), o.size()}, {0, 60}, out, 4);
    ASSERT_EQ(n, 3u);
    EXPECT_EQ(out[0], (TimeRange{0, 10}));
    EXPECT_EQ(out[1], (TimeRange{30, 40}));
    EXPECT_EQ(out[2], (TimeRange{50, 60}));
    n = closed_within({o.data(), o.size()}, {15, 45}, out, 4);
    ASSERT_EQ(n, 1u);
    EXPECT_EQ(out[0], (TimeRange{30, 40}));
    n = closed_within({o.data(), 0}, {15, 45}, out, 4);
    ASSERT_EQ(n, 1u);
    EXPECT_EQ(out[0], (TimeRange{15, 45})) << "no opening: closed throughout";
    // A slot that meets no closed time lies within the openings, and back.
    n = closed_within({o.data(), o.size()}, {-100, 200}, out, 4);
    for (Micros s = 0; s < 55; ++s) {
        for (Micros len = 1; len < 25; ++len) {
            TimeRange slot{s, s + len};
            bool meets = false;
            for (std::size_t i = 0; i < n; ++i)
                meets = meets || out[i].overlaps(slot);
            EXPECT_EQ(!meets, within_openings({o.data(), o.size()}, slot)) << s << "+" << len;
        }
    }
}

}  // namespace
