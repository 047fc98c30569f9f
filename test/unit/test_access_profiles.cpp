// The access profiles: who may call what.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/access_profiles.hpp"

namespace profiles = booking::core::access;

namespace {

std::set<std::string> functions_of(const char *profile) {
    std::set<std::string> out;
    const profiles::Profile *p = profiles::find_profile(profile);
    if (p == nullptr)
        return out;
    for (const char *const *f = p->functions; *f != nullptr; ++f)
        out.insert(*f);
    return out;
}

}  // namespace

TEST(AccessProfiles, OnlyTheSmsSenderIssuesCodes) {
    EXPECT_EQ(functions_of("sms_sender").count("issue_otp"), 1u);
    EXPECT_EQ(functions_of("agent").count("issue_otp"), 0u);
    EXPECT_EQ(functions_of("staff").count("issue_otp"), 0u);
}

TEST(AccessProfiles, AgentsVerifyButDoNotConfirmWithoutACode) {
    auto agent = functions_of("agent");
    EXPECT_EQ(agent.count("verify_otp"), 1u);
    EXPECT_EQ(agent.count("claim_slot"), 1u);
    EXPECT_EQ(agent.count("confirm_hold"), 0u);
    EXPECT_EQ(agent.count("cancel_appointment"), 0u);
}

TEST(AccessProfiles, StaffConfirmCancelAndReadTheirRows) {
    auto staff = functions_of("staff");
    EXPECT_EQ(staff.count("confirm_hold"), 1u);
    EXPECT_EQ(staff.count("cancel_appointment"), 1u);
    EXPECT_EQ(staff.count("reschedule_appointment"), 1u);
    const profiles::Profile *p = profiles::find_profile("staff");
    ASSERT_NE(p, nullptr);
    std::set<std::string> readable;
    for (const char *const *t = p->readable; *t != nullptr; ++t)
        readable.insert(*t);
    EXPECT_EQ(readable, (std::set<std::string>{"reservations", "audit_log", "holds", "appointments",
                                              "calendars"}));
}

TEST(AccessProfiles, NoProfileReadsCodesOrTheKey) {
    for (const profiles::Profile *const *p = profiles::all_profiles(); *p != nullptr; ++p) {
        for (const char *const *t = (*p)->readable; *t != nullptr; ++t) {
            EXPECT_STRNE(*t, "otp_codes");
            EXPECT_STRNE(*t, "otp_secret");
        }
    }
}

TEST(AccessProfiles, UnknownNamesAreNotProfiles) {
    EXPECT_EQ(profiles::find_profile("janitor"), nullptr);
    EXPECT_EQ(profiles::find_profile(""), nullptr);
    EXPECT_NE(profiles::find_profile("agent"), nullptr);
}

TEST(AccessProfiles, OnlyTheMonitorReadsServerWideStatistics) {
    EXPECT_EQ(functions_of("monitor"), (std::set<std::string>{"stats", "lock_wait_histogram"}));
    for (const char *tenant : {"agent", "sms_sender", "staff"}) {
        EXPECT_EQ(functions_of(tenant).count("stats"), 0u) << tenant;
        EXPECT_EQ(functions_of(tenant).count("stats_reset"), 0u) << tenant;
    }
    EXPECT_EQ(functions_of("monitor").count("stats_reset"), 0u);
}

TEST(AccessProfiles, OnlyTheOwnerBindsRoles) {
    for (const char *profile : {"agent", "sms_sender", "staff", "monitor"}) {
        EXPECT_EQ(functions_of(profile).count("bind_role"), 0u) << profile;
        EXPECT_EQ(functions_of(profile).count("unbind_role"), 0u) << profile;
    }
}

TEST(AccessProfiles, StaffConsumeTheirOrganisationsEvents) {
    auto staff = functions_of("staff");
    for (const char *f : {"create_event_consumer", "drop_event_consumer", "read_events", "ack_events"})
        EXPECT_EQ(staff.count(f), 1u) << f;
    EXPECT_EQ(functions_of("agent").count("read_events"), 0u);
}
