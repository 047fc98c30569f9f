// core/resource_set.hpp: repeats in a calendar list, the canonical lock
// order, and comparing two lists as sets.
#include "core/resource_set.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace {

using namespace booking::core;

Span<std::string_view> span(const std::vector<std::string_view> &v) { return {v.data(), v.size()}; }

TEST(ResourceSet, FindsTheFirstRepeat) {
    EXPECT_EQ(first_repeated(span({})), -1);
    EXPECT_EQ(first_repeated(span({"dr-a"})), -1);
    EXPECT_EQ(first_repeated(span({"dr-a", "room-1", "xray"})), -1);
    EXPECT_EQ(first_repeated(span({"dr-a", "room-1", "dr-a"})), 2);
    EXPECT_EQ(first_repeated(span({"room-1", "room-1", "dr-a", "dr-a"})), 1);
    EXPECT_EQ(first_repeated(span({"Room", "room"})), -1) << "calendar ids are compared as bytes";
}

std::vector<int> order_of(const std::vector<std::string_view> &names) {
    std::vector<int> order(names.size());
    lock_order(span(names), order.data());
    return order;
}

TEST(ResourceSet, LockOrderIsTheSameWhateverTheCallersOrder) {
    std::vector<std::string_view> a{"dr-a", "room-1"};
    std::vector<std::string_view> b{"room-1", "dr-a"};
    std::vector<int> oa = order_of(a);
    std::vector<int> ob = order_of(b);
    ASSERT_EQ(oa.size(), 2u);
    for (std::size_t i = 0; i < oa.size(); ++i)
        EXPECT_EQ(a[oa[i]], b[ob[i]]) << "lock " << i;
    EXPECT_EQ(a[oa[0]], "dr-a");
    EXPECT_EQ(order_of({"c", "a", "b"}), (std::vector<int>{1, 2, 0}));
}

TEST(ResourceSet, ComparesListsAsSets) {
    EXPECT_TRUE(same_calendars(span({"dr-a", "room-1"}), span({"room-1", "dr-a"})));
    EXPECT_FALSE(same_calendars(span({"dr-a", "room-1"}), span({"dr-a"})));
    EXPECT_FALSE(same_calendars(span({"dr-a", "room-1"}), span({"dr-a", "room-2"})));
    EXPECT_TRUE(same_calendars(span({}), span({})));
}

}  // namespace
