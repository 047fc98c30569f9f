// core/capacity.hpp: places left over a range and the full ranges of a
// calendar with capacity; hand-written cases and a randomized comparison with
// a brute-force count at every instant.
#include "core/capacity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace {

using namespace booking::core;

Occupant occ(Micros start, Micros end, int capacity) { return Occupant{{start, end}, capacity}; }

int places(const std::vector<Occupant> &o, TimeRange r, int capacity) {
    return places_left({o.data(), o.size()}, r, capacity);
}

std::vector<TimeRange> full(const std::vector<Occupant> &o, int capacity) {
    std::vector<TimeRange> out(o.size() + 1);
    std::size_t n = full_ranges({o.data(), o.size()}, capacity, out.data(), out.size());
    out.resize(n);
    return out;
}

TEST(Capacity, NothingBlockingLeavesTheWholeCapacity) {
    EXPECT_EQ(places({}, {0, 10}, 1), 1);
    EXPECT_EQ(places({}, {0, 10}, 5), 5);
    EXPECT_TRUE(full({}, 3).empty());
}

TEST(Capacity, CapacityOneIsTodaysCalendar) {
    std::vector<Occupant> o{occ(10, 20, 1)};
    EXPECT_EQ(places(o, {0, 10}, 1), 1) << "back to back does not overlap";
    EXPECT_EQ(places(o, {20, 30}, 1), 1);
    EXPECT_EQ(places(o, {15, 25}, 1), 0);
    EXPECT_EQ(full(o, 1), (std::vector<TimeRange>{{10, 20}}));
}

TEST(Capacity, CountsOverlapsAtTheBusiestInstant) {
    // Three places; two rows overlap on [15, 20).
    std::vector<Occupant> o{occ(10, 20, 3), occ(15, 30, 3)};
    EXPECT_EQ(places(o, {0, 12}, 3), 2);
    EXPECT_EQ(places(o, {10, 30}, 3), 1);
    EXPECT_EQ(places(o, {20, 40}, 3), 2);
    EXPECT_TRUE(full(o, 3).empty());
    o.push_back(occ(18, 19, 3));
    EXPECT_EQ(places(o, {10, 30}, 3), 0);
    EXPECT_EQ(places(o, {19, 30}, 3), 1);
    EXPECT_EQ(full(o, 3), (std::vector<TimeRange>{{18, 19}}));
}

TEST(Capacity, AnExclusiveRowRefusesCompany) {
    // A row written with capacity 1 keeps its time to itself, whatever the
    // calendar's capacity is now.
    std::vector<Occupant> o{occ(10, 20, 1)};
    EXPECT_EQ(places(o, {15, 25}, 4), 0);
    EXPECT_EQ(places(o, {20, 25}, 4), 4);
    EXPECT_EQ(full(o, 4), (std::vector<TimeRange>{{10, 20}}));
}

TEST(Capacity, ANewRowNeverExceedsItsOwnCapacity) {
    std::vector<Occupant> o{occ(0, 10, 5), occ(0, 10, 5)};
    EXPECT_EQ(places(o, {0, 10}, 5), 3);
    EXPECT_EQ(places(o, {0, 10}, 2), 0) << "after lowering to 2, two already fill it";
    EXPECT_EQ(places(o, {0, 10}, 1), -1) << "overbooked for the new capacity";
    EXPECT_EQ(full(o, 2), (std::vector<TimeRange>{{0, 10}}));
}

TEST(Capacity, FullRangesMergeWhenTheyTouch) {
    std::vector<Occupant> o{occ(0, 10, 1), occ(10, 20, 1), occ(30, 40, 1)};
    EXPECT_EQ(full(o, 1), (std::vector<TimeRange>{{0, 20}, {30, 40}}));
    std::vector<Occupant> two{occ(0, 10, 2), occ(5, 15, 2), occ(10, 20, 2)};
    EXPECT_EQ(full(two, 2), (std::vector<TimeRange>{{5, 15}}));
}

TEST(Capacity, EmptyRangesNeverCount) {
    std::vector<Occupant> o{occ(10, 10, 1)};
    EXPECT_EQ(places(o, {0, 20}, 1), 1);
    EXPECT_TRUE(full(o, 1).empty());
    EXPECT_EQ(places({occ(0, 10, 1)}, {5, 5}, 1), 1);
}

// Brute force: every unit instant of a small timeline.
int brute_places(const std::vector<Occupant> &o, TimeRange r, int capacity) {
    int least = capacity;
    for (Micros t = r.start; t < r.end; ++t) {
        int depth = 0;
        int cap = capacity;
        for (const Occupant &x : o) {
            if (x.blocks.start <= t && t < x.blocks.end) {
                ++depth;
                cap = std::min(cap, x.capacity);
            }
        }
        least = std::min(least, cap - depth);
    }
    return least;
}

TEST(Capacity, AgreesWithCountingEveryInstant) {
    std::mt19937 rng(20261202);
    for (int round = 0; round < 2000; ++round) {
        std::vector<Occupant> o;
        int n = static_cast<int>(rng() % 8);
        for (int i = 0; i < n; ++i) {
            Micros s = rng() % 40;
            Micros len = rng() % 12;
            o.push_back(occ(s, s + len, 1 + static_cast<int>(rng() % 4)));
        }
        int capacity = 1 + static_cast<int>(rng() % 4);
        Micros s = rng() % 45;
        TimeRange r{s, s + 1 + static_cast<Micros>(rng() % 10)};
        ASSERT_EQ(places(o, r, capacity), brute_places(o, r, capacity)) << "round " << round;

        // An instant is in a full range exactly when nothing of capacity fits there.
        std::vector<TimeRange> f = full(o, capacity);
        for (Micros t = -1; t < 60; ++t) {
            bool in_full = std::any_of(f.begin(), f.end(), [t](const TimeRange &x) {
                return x.start <= t && t < x.end;
            });
            ASSERT_EQ(in_full, brute_places(o, {t, t + 1}, capacity) <= 0)
                << "round " << round << " instant " << t;
        }
        for (std::size_t i = 1; i < f.size(); ++i)
            ASSERT_LT(f[i - 1].end, f[i].start) << "sorted, disjoint, not touching";
    }
}

}  // namespace
