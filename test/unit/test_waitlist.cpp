// core/waitlist.hpp: an entry's states and the windows that may join.
#include "core/waitlist.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace booking::core::waitlist {

TEST(WaitlistStatus, NamesRoundTrip) {
    for (Status s : {Status::waiting, Status::offered, Status::booked, Status::left,
                     Status::lapsed, Status::expired}) {
        Status back;
        ASSERT_TRUE(parse_status(status_name(s), &back));
        EXPECT_EQ(back, s);
    }
    Status ignored;
    EXPECT_FALSE(parse_status("held", &ignored));
}

TEST(WaitlistStatus, OnlyWaitingAndOfferedAreLive) {
    EXPECT_TRUE(is_live(Status::waiting));
    EXPECT_TRUE(is_live(Status::offered));
    EXPECT_FALSE(is_live(Status::booked));
    EXPECT_FALSE(is_live(Status::left));
    EXPECT_FALSE(is_live(Status::lapsed));
    EXPECT_FALSE(is_live(Status::expired));
}

TEST(WaitlistStatus, AWaitingEntryExpiresWhenItsWindowCloses) {
    EXPECT_EQ(effective_status(Status::waiting, 100, 0, 99), Status::waiting);
    EXPECT_EQ(effective_status(Status::waiting, 100, 0, 100), Status::expired);
    // An offer is decided by its hold, not by the window.
    EXPECT_EQ(effective_status(Status::offered, 100, 300, 200), Status::offered);
    EXPECT_EQ(effective_status(Status::offered, 100, 300, 300), Status::lapsed);
    EXPECT_EQ(effective_status(Status::left, 100, 0, 200), Status::left);
}

TEST(WaitlistWindow, RefusesWhatCanHoldNoSlot) {
    const Micros hour = kMicrosPerHour;
    EXPECT_NE(window_problem({10 * hour, 10 * hour}, hour / 2, 0), nullptr);
    EXPECT_NE(window_problem({10 * hour, 9 * hour}, hour / 2, 0), nullptr);
    EXPECT_NE(window_problem({10 * hour, 10 * hour + hour / 4}, hour / 2, 0), nullptr);
    // Its last possible start has passed.
    EXPECT_NE(window_problem({10 * hour, 11 * hour}, hour / 2, 11 * hour - hour / 4), nullptr);
    EXPECT_EQ(window_problem({10 * hour, 11 * hour}, hour / 2, 10 * hour + hour / 2), nullptr);
    EXPECT_EQ(window_problem({10 * hour, 11 * hour}, hour, 0), nullptr);
}

TEST(WaitlistWindow, AnOfferStartsNoEarlierThanNow) {
    EXPECT_EQ(offer_window({10, 20}, 5), (TimeRange{10, 20}));
    EXPECT_EQ(offer_window({10, 20}, 15), (TimeRange{15, 20}));
}

TEST(WaitlistWindow, AfterTheFirstOfferOnlySlotsMeetingTheFreedTime) {
    const Micros m = kMicrosPerMinute;
    // Freed 9:00-9:30 (in minutes), a window 8:00-12:00, 30 minutes wanted:
    // starts after 8:30 and before 9:30.
    TimeRange w = meeting_window({480 * m, 720 * m}, {540 * m, 570 * m}, 30 * m);
    EXPECT_EQ(w.start, 510 * m + 1);
    EXPECT_EQ(w.end, 600 * m - 1);
    // A window that only touches the freed time holds no such slot.
    EXPECT_TRUE(meeting_window({570 * m, 720 * m}, {540 * m, 570 * m}, 30 * m).empty());
    EXPECT_TRUE(meeting_window({480 * m, 540 * m}, {540 * m, 570 * m}, 30 * m).empty());
    // Longer than the freed time: any slot covering part of it.
    w = meeting_window({480 * m, 720 * m}, {540 * m, 570 * m}, 60 * m);
    EXPECT_EQ(w.start, 480 * m + 1);
    EXPECT_EQ(w.end, 630 * m - 1);
}

TEST(WaitlistOffer, CallerRefNamesTheEntry) {
    EXPECT_EQ(std::strcmp(kOfferCallerRefPrefix, "waitlist:"), 0);
}

}  // namespace booking::core::waitlist
