// core/org_policy.hpp: an organisation only tightens, contacts by phone
// digits, and the SMS guard's rolling hour.
#include "core/org_policy.hpp"

#include <gtest/gtest.h>

namespace booking::core::policy {
namespace {

constexpr Micros kMinute = 60LL * 1000000LL;

TEST(OrgPolicy, StrictestOfServerAndOrganisation) {
    EXPECT_EQ(strictest(Tighter::lower, 600, false, 0), 600);
    EXPECT_EQ(strictest(Tighter::lower, 600, true, 300), 300);
    EXPECT_EQ(strictest(Tighter::lower, 600, true, 900), 600);  // looser: ignored
    EXPECT_EQ(strictest(Tighter::higher, 4, true, 6), 6);        // more digits
    EXPECT_EQ(strictest(Tighter::higher, 6, true, 4), 6);
    EXPECT_TRUE(looser(Tighter::lower, 601, 600));
    EXPECT_FALSE(looser(Tighter::lower, 600, 600));
    EXPECT_TRUE(looser(Tighter::higher, 20, 30));
    EXPECT_FALSE(looser(Tighter::higher, 30, 30));
}

TEST(OrgPolicy, ContactCapZeroIsNone) {
    EXPECT_EQ(strictest_cap(0, false, 0), 0);
    EXPECT_EQ(strictest_cap(0, true, 3), 3);
    EXPECT_EQ(strictest_cap(5, true, 3), 3);
    EXPECT_EQ(strictest_cap(2, true, 3), 2);
    EXPECT_EQ(strictest_cap(2, false, 0), 2);
    EXPECT_FALSE(cap_looser(3, 0));
    EXPECT_FALSE(cap_looser(3, 5));
    EXPECT_TRUE(cap_looser(6, 5));
    EXPECT_FALSE(over_cap(1, 1, 2));  // the last place
    EXPECT_TRUE(over_cap(2, 1, 2));
    EXPECT_TRUE(over_cap(0, 3, 2));   // a series of three for a cap of two
    EXPECT_FALSE(over_cap(50, 1, 0));  // no cap
}

TEST(OrgPolicy, BookingOfSeveralCalendarsCountsOnce) {
    auto key = [](std::uint8_t byte) {
        BookingKey k{};
        k.bytes[15] = byte;
        return k;
    };
    EXPECT_EQ(distinct_bookings(nullptr, 0), 0);
    BookingKey one[] = {key(7)};
    EXPECT_EQ(distinct_bookings(one, 1), 1);
    // Two sets of two calendars and a single booking, in index order (by
    // start, so a set's rows need not be neighbours).
    BookingKey rows[] = {key(9), key(3), key(5), key(9), key(3)};
    EXPECT_EQ(distinct_bookings(rows, 5), 3);
    BookingKey all_one_set[] = {key(1), key(1), key(1)};
    EXPECT_EQ(distinct_bookings(all_one_set, 3), 1);
    // Keys differing in their first byte only are two bookings.
    BookingKey first_byte[] = {key(1), key(1)};
    first_byte[1].bytes[0] = 1;
    EXPECT_EQ(distinct_bookings(first_byte, 2), 2);
}

TEST(OrgPolicy, PhoneReducedToDigits) {
    char out[32];
    EXPECT_EQ(phone_digits("+49 (30) 123-45", out, sizeof(out)), 9u);
    EXPECT_STREQ(out, "493012345");
    EXPECT_EQ(phone_digits("no phone", out, sizeof(out)), 0u);
    EXPECT_STREQ(out, "");
    char small[4];
    EXPECT_EQ(phone_digits("123456", small, sizeof(small)), 6u);
    EXPECT_STREQ(small, "123");
    // Non-ASCII digits are not digits here, as in PostgreSQL's [0-9].
    EXPECT_EQ(phone_digits("\xd9\xa1" "2", out, sizeof(out)), 1u);
}

TEST(OrgPolicy, PhoneWindowIsARollingHour) {
    const Micros now = 1000 * kMinute;
    Micros sent[3] = {now - 70 * kMinute, now - 50 * kMinute, now - 10 * kMinute};
    Micros retry = -1;
    EXPECT_TRUE(phone_send_allowed(sent, 3, now, 3, &retry));  // one left the window
    EXPECT_FALSE(phone_send_allowed(sent, 3, now, 2, &retry));
    EXPECT_EQ(retry, 10 * kMinute);  // the send 50 minutes ago leaves in 10
    EXPECT_EQ(sends_in_window(sent, 3, now), 2);
    EXPECT_EQ(sent[0], now - 50 * kMinute);
    // A send exactly an hour old has left.
    Micros edge[1] = {now - kPhoneWindow};
    EXPECT_TRUE(phone_send_allowed(edge, 1, now, 1, &retry));
}

}  // namespace
}  // namespace booking::core::policy
