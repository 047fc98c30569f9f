// core/pool_choice.hpp: the order a pool's members are asked in, for each
// strategy, and the weights' proportions over a run of bookings.
#include "core/pool_choice.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using namespace booking::core;

std::vector<int> order_of(PoolStrategy s, bool weighted, const std::vector<PoolMemberCount> &m) {
    std::vector<int> order(m.size());
    pool_order(s, weighted, {m.data(), m.size()}, order.data());
    return order;
}

// Books n times with the members free at each step as free(i, step) says,
// moving the counters as the write path does; returns each member's count.
template <typename Free>
std::vector<int64_t> run(PoolStrategy s, bool weighted, std::vector<PoolMemberCount> m, int n,
                         Free &&free, std::vector<int> *picks = nullptr) {
    for (int step = 0; step < n; ++step) {
        std::vector<int> order = order_of(s, weighted, m);
        const int64_t turn = next_pool_turn({m.data(), m.size()});
        for (int i : order) {
            if (!free(i, step))
                continue;
            m[static_cast<std::size_t>(i)].assigned += 1;
            m[static_cast<std::size_t>(i)].last_turn = turn;
            if (picks != nullptr)
                picks->push_back(i);
            break;
        }
    }
    std::vector<int64_t> counts;
    for (const PoolMemberCount &c : m)
        counts.push_back(c.assigned);
    return counts;
}

TEST(PoolChoice, ParsesStrategies) {
    PoolStrategy s;
    EXPECT_TRUE(parse_pool_strategy("round_robin", &s));
    EXPECT_EQ(s, PoolStrategy::round_robin);
    EXPECT_TRUE(parse_pool_strategy("first_free", &s));
    EXPECT_EQ(s, PoolStrategy::first_free);
    EXPECT_FALSE(parse_pool_strategy("random", &s));
    EXPECT_FALSE(parse_pool_strategy("", &s));
    EXPECT_STREQ(pool_strategy_name(PoolStrategy::first_free), "first_free");
    EXPECT_STREQ(pool_strategy_name(PoolStrategy::round_robin), "round_robin");
}

TEST(PoolChoice, FirstFreeKeepsThePoolsOrder) {
    std::vector<PoolMemberCount> m = {{1, 9, 9}, {1, 0, 0}, {1, 3, 4}};
    EXPECT_EQ(order_of(PoolStrategy::first_free, false, m), (std::vector<int>{0, 1, 2}));
}

TEST(PoolChoice, RoundRobinAsksTheOldestLastAssignmentFirst) {
    std::vector<PoolMemberCount> m = {{1, 5, 7}, {1, 1, 0}, {1, 2, 3}};
    EXPECT_EQ(order_of(PoolStrategy::round_robin, false, m), (std::vector<int>{1, 2, 0}));
    // Never assigned, ties: the pool's order.
    std::vector<PoolMemberCount> fresh = {{1, 0, 0}, {1, 0, 0}, {1, 0, 0}};
    EXPECT_EQ(order_of(PoolStrategy::round_robin, false, fresh), (std::vector<int>{0, 1, 2}));
}

TEST(PoolChoice, RoundRobinAlternatesAndSkipsBusyMembers) {
    std::vector<int> picks;
    auto all_free = [](int, int) { return true; };
    run(PoolStrategy::round_robin, false, {{1, 0, 0}, {1, 0, 0}, {1, 0, 0}}, 6, all_free, &picks);
    EXPECT_EQ(picks, (std::vector<int>{0, 1, 2, 0, 1, 2}));
    // Member 0 busy for the first two: it is next once free, being oldest.
    picks.clear();
    auto zero_busy_early = [](int i, int step) { return i != 0 || step >= 2; };
    run(PoolStrategy::round_robin, false, {{1, 0, 0}, {1, 0, 0}}, 4, zero_busy_early, &picks);
    EXPECT_EQ(picks, (std::vector<int>{1, 1, 0, 1}));
}

TEST(PoolChoice, WeightsSetTheProportions) {
    std::vector<int> picks;
    auto all_free = [](int, int) { return true; };
    auto counts = run(PoolStrategy::round_robin, true, {{2, 0, 0}, {1, 0, 0}}, 9, all_free, &picks);
    EXPECT_EQ(picks, (std::vector<int>{0, 1, 0, 0, 1, 0, 0, 1, 0}));
    EXPECT_EQ(counts, (std::vector<int64_t>{6, 3}));
    // Any weights, any run length: each member within one of its share.
    std::vector<PoolMemberCount> m = {{5, 0, 0}, {3, 0, 0}, {1, 0, 0}, {1, 0, 0}};
    for (int n = 1; n <= 200; ++n) {
        auto c = run(PoolStrategy::round_robin, true, m, n, all_free);
        for (std::size_t i = 0; i < m.size(); ++i) {
            const double share = n * m[i].weight / 10.0;
            EXPECT_LE(static_cast<double>(c[i]), share + 1.0) << "n=" << n << " member " << i;
            EXPECT_GE(static_cast<double>(c[i]), share - 1.0) << "n=" << n << " member " << i;
        }
    }
}

TEST(PoolChoice, TheNextTurnFollowsTheLatest) {
    std::vector<PoolMemberCount> m = {{1, 0, 0}, {1, 4, 17}, {1, 2, 3}};
    EXPECT_EQ(next_pool_turn({m.data(), m.size()}), 18);
    std::vector<PoolMemberCount> fresh = {{1, 0, 0}, {1, 0, 0}};
    EXPECT_EQ(next_pool_turn({fresh.data(), fresh.size()}), 1);
}

}  // namespace

namespace {

using namespace booking::core;

TEST(PoolChoice, MergesAlternativesNearestFirstEachOnce) {
    std::vector<TimeRange> s = {{100, 130}, {40, 70}, {130, 160}, {100, 130}, {70, 100}};
    std::size_t n = merge_nearest(s.data(), s.size(), 85, 3);
    ASSERT_EQ(n, 3u);
    EXPECT_EQ(s[0], (TimeRange{70, 100}));   // 15 away, earlier than 100 (15 away)
    EXPECT_EQ(s[1], (TimeRange{100, 130}));  // once
    EXPECT_EQ(s[2], (TimeRange{40, 70}));
}

TEST(PoolChoice, MergesFreeSlotsCountingMembers) {
    std::vector<TimeRange> s = {{0, 30}, {30, 60}, {0, 30}, {60, 90}, {30, 60}, {0, 30}};
    std::vector<int> places(s.size());
    std::size_t n = merge_free_slots(s.data(), s.size(), places.data(), 2);
    ASSERT_EQ(n, 2u);
    EXPECT_EQ(s[0], (TimeRange{0, 30}));
    EXPECT_EQ(places[0], 3);
    EXPECT_EQ(s[1], (TimeRange{30, 60}));
    EXPECT_EQ(places[1], 2);
}

}  // namespace
