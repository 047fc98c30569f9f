// What each audit action counts towards and whether it is announced.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/observed_actions.hpp"

namespace obs = booking::core::observed;
using obs::Action;

namespace {

std::string event_of(Action a) {
    const char *s = obs::facts_of(a).event_status;
    return s == nullptr ? "" : s;
}

}  // namespace

TEST(ObservedActions, StateChangesAreAnnouncedWithTheStatusTheyLeave) {
    EXPECT_EQ(event_of(Action::claimed), "held");
    EXPECT_EQ(event_of(Action::booked), "confirmed");
    EXPECT_EQ(event_of(Action::confirmed), "confirmed");
    EXPECT_EQ(event_of(Action::released), "released");
    EXPECT_EQ(event_of(Action::expired), "expired");
    EXPECT_EQ(event_of(Action::cancelled), "cancelled");
    EXPECT_EQ(event_of(Action::rescheduled), "confirmed");
    EXPECT_EQ(event_of(Action::locked), "requires_manual_followup");
    // The offered hold, as a consumer texting offers reads it.
    EXPECT_EQ(event_of(Action::waitlist_offered), "held");
}

TEST(ObservedActions, WhatChangesNoStateIsNotAnnounced) {
    for (Action a : {Action::extended, Action::pii_erased, Action::otp_sent,
                     Action::otp_withdrawn, Action::otp_match, Action::otp_mismatch,
                     Action::otp_unjudged, Action::role_bound, Action::role_unbound,
                     Action::calendar_set, Action::refused, Action::org_policy_set})
        EXPECT_EQ(event_of(a), "") << obs::action_text(a);
}

TEST(ObservedActions, CodeAttemptsAreOneActionInTheLogCountedByResult) {
    for (Action a : {Action::otp_match, Action::otp_mismatch, Action::otp_unjudged})
        EXPECT_STREQ(obs::action_text(a), "otp_attempt");
    EXPECT_EQ(obs::facts_of(Action::otp_match).tally, obs::Tally::otp_matches);
    EXPECT_EQ(obs::facts_of(Action::otp_mismatch).tally, obs::Tally::otp_misses);
    EXPECT_FALSE(obs::facts_of(Action::otp_unjudged).tally.has_value());
}

TEST(ObservedActions, EachCountedActionHasItsOwnTally) {
    std::set<int> seen;
    for (Action a : {Action::claimed, Action::booked, Action::confirmed, Action::released,
                     Action::extended, Action::cancelled, Action::rescheduled, Action::expired,
                     Action::locked, Action::otp_sent, Action::otp_match, Action::otp_mismatch,
                     Action::refused}) {
        auto tally = obs::facts_of(a).tally;
        ASSERT_TRUE(tally.has_value()) << obs::action_text(a);
        EXPECT_TRUE(seen.insert(static_cast<int>(*tally)).second) << obs::action_text(a);
    }
    for (Action a : {Action::pii_erased, Action::role_bound, Action::role_unbound,
                     Action::calendar_set, Action::otp_withdrawn, Action::org_policy_set,
                     Action::waitlist_offered})
        EXPECT_FALSE(obs::facts_of(a).tally.has_value()) << obs::action_text(a);
}

TEST(ObservedActions, EveryActionHasTheTextTheAuditLogDocuments) {
    // What the README's audit log section and booking.audit_log.action's
    // comment list (release 0.3 added calendar_set and otp_withdrawn there,
    // 0.4 refused, org_policy_set and waitlist_offered).
    const std::set<std::string> documented = {
        "claimed", "released", "expired", "extended", "confirmed", "booked", "cancelled",
        "pii_erased", "rescheduled", "otp_sent", "otp_withdrawn", "otp_attempt", "locked",
        "role_bound", "role_unbound", "calendar_set", "refused",
        "org_policy_set", "waitlist_offered"};
    for (int a = 0; a < obs::kActions; ++a)
        EXPECT_EQ(documented.count(obs::action_text(static_cast<Action>(a))), 1u) << a;
}

TEST(ObservedActions, TallyNamesAreDistinctColumnNames) {
    std::set<std::string> names;
    for (int t = 0; t < obs::kTallies; ++t) {
        std::string name = obs::tally_name(static_cast<obs::Tally>(t));
        EXPECT_NE(name, "?");
        EXPECT_TRUE(names.insert(name).second) << name;
    }
}
