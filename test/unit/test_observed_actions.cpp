// What each audit action counts towards and whether it is announced.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/observed_actions.hpp"

namespace obs = booking::core::observed;

namespace {

std::string event_of(const char *action, const char *result = "") {
    const char *s = obs::facts_of(action, result).event_status;
    return s == nullptr ? "" : s;
}

}  // namespace

TEST(ObservedActions, StateChangesAreAnnouncedWithTheStatusTheyLeave) {
    EXPECT_EQ(event_of("claimed"), "held");
    EXPECT_EQ(event_of("booked"), "confirmed");
    EXPECT_EQ(event_of("confirmed"), "confirmed");
    EXPECT_EQ(event_of("released"), "released");
    EXPECT_EQ(event_of("expired"), "expired");
    EXPECT_EQ(event_of("cancelled"), "cancelled");
    EXPECT_EQ(event_of("rescheduled"), "confirmed");
    EXPECT_EQ(event_of("locked"), "requires_manual_followup");
}

TEST(ObservedActions, WhatChangesNoStateIsNotAnnounced) {
    EXPECT_EQ(event_of("extended"), "");
    EXPECT_EQ(event_of("pii_erased"), "");
    EXPECT_EQ(event_of("otp_sent"), "");
    EXPECT_EQ(event_of("otp_attempt", "match"), "");
    EXPECT_EQ(event_of("otp_attempt", "mismatch"), "");
    EXPECT_EQ(event_of("something_new"), "");
}

TEST(ObservedActions, CodeAttemptsCountByResult) {
    EXPECT_EQ(obs::facts_of("otp_attempt", "match").tally, obs::Tally::otp_matches);
    EXPECT_EQ(obs::facts_of("otp_attempt", "mismatch").tally, obs::Tally::otp_misses);
    for (const char *result : {"expired", "key_rotated", "not_issued", "invalid_format", ""})
        EXPECT_FALSE(obs::facts_of("otp_attempt", result).tally.has_value()) << result;
}

TEST(ObservedActions, EachCountedActionHasItsOwnTally) {
    std::set<int> seen;
    for (const char *action : {"claimed", "booked", "confirmed", "released", "extended", "cancelled",
                               "rescheduled", "expired", "locked", "otp_sent"}) {
        auto tally = obs::facts_of(action, "").tally;
        ASSERT_TRUE(tally.has_value()) << action;
        EXPECT_TRUE(seen.insert(static_cast<int>(*tally)).second) << action;
    }
    EXPECT_FALSE(obs::facts_of("pii_erased", "").tally.has_value());
}

TEST(ObservedActions, TallyNamesAreDistinctColumnNames) {
    std::set<std::string> names;
    for (int t = 0; t < obs::kTallies; ++t) {
        std::string name = obs::tally_name(static_cast<obs::Tally>(t));
        EXPECT_NE(name, "?");
        EXPECT_TRUE(names.insert(name).second) << name;
    }
}
