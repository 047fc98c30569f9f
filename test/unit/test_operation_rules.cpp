// core/operation_rules.hpp: what each operation may do in each state.
#include "core/operation_rules.hpp"

#include <gtest/gtest.h>

#include <array>
#include <ostream>

namespace booking::core {

// Readable failure messages.
inline std::ostream &operator<<(std::ostream &os, Verdict v) {
    switch (v) {
    case Verdict::proceed:
        return os << "proceed";
    case Verdict::already_done:
        return os << "already_done";
    case Verdict::not_found:
        return os << "not_found";
    case Verdict::expired:
        return os << "expired";
    case Verdict::not_active:
        return os << "not_active";
    case Verdict::locked:
        return os << "locked";
    }
    return os << "Verdict(" << static_cast<int>(v) << ")";
}

TEST(BusyRetryAfter, FollowsTheLockWaitBoundWithinLimits) {
    EXPECT_EQ(busy_retry_after_ms(2000), 2000);  // the default bound
    EXPECT_EQ(busy_retry_after_ms(150), 150);
    EXPECT_EQ(busy_retry_after_ms(1), 100);       // never a busy loop
    EXPECT_EQ(busy_retry_after_ms(600000), 5000); // never minutes on a call
}

}  // namespace booking::core

namespace {

using namespace booking::core;

constexpr Micros kNow = 820000000LL * kMicrosPerSecond;
constexpr Micros kLive = kNow + 5 * kMicrosPerMinute;  // expires_at of a live hold
constexpr Micros kStale = kNow;                        // expires_at == now: stale

constexpr std::array<Status, 7> kAll = {
    Status::held,     Status::confirmed, Status::cancelled,
    Status::completed, Status::released, Status::expired,
    Status::requires_manual_followup,
};

using V = Verdict;

// Expected verdicts indexed by Status, for a row whose expires_at is still
// ahead (live) and one whose expires_at has been reached (stale).
struct Expectation {
    std::array<Verdict, 7> live;
    std::array<Verdict, 7> stale;
};

//                                 held           confirmed        cancelled     completed     released         expired     rmf
constexpr Expectation kConfirm = {
    {V::proceed, V::already_done, V::not_active, V::not_active, V::not_active, V::expired, V::proceed},
    {V::expired, V::already_done, V::not_active, V::not_active, V::not_active, V::expired, V::proceed},
};
constexpr Expectation kRelease = {
    {V::proceed, V::not_active, V::not_active, V::not_active, V::already_done, V::expired, V::proceed},
    {V::expired, V::not_active, V::not_active, V::not_active, V::already_done, V::expired, V::proceed},
};
constexpr Expectation kExtend = {
    {V::proceed, V::not_active, V::not_active, V::not_active, V::not_active, V::expired, V::not_active},
    {V::expired, V::not_active, V::not_active, V::not_active, V::not_active, V::expired, V::not_active},
};
constexpr Expectation kIssueOtp = {
    {V::proceed, V::not_active, V::not_active, V::not_active, V::not_active, V::expired, V::locked},
    {V::expired, V::not_active, V::not_active, V::not_active, V::not_active, V::expired, V::locked},
};
constexpr std::array<Verdict, 7> kCancel = {
    V::not_found, V::proceed, V::already_done, V::not_active, V::not_found, V::not_found, V::not_found,
};
constexpr std::array<Verdict, 7> kReschedule = {
    V::not_found, V::proceed, V::not_active, V::not_active, V::not_found, V::not_found, V::not_found,
};

using HoldDecision = Verdict (*)(Status, Micros, Micros);

void check_hold_decision(const char *name, HoldDecision decide, const Expectation &e) {
    for (Status s : kAll) {
        const int i = static_cast<int>(s);
        EXPECT_EQ(decide(s, kLive, kNow), e.live[i]) << name << " live " << status_name(s);
        EXPECT_EQ(decide(s, kStale, kNow), e.stale[i]) << name << " stale " << status_name(s);
        EXPECT_EQ(decide(s, kNow - kMicrosPerMinute, kNow), e.stale[i])
            << name << " long past " << status_name(s);
        EXPECT_EQ(decide(s, kNow + 1, kNow), e.live[i]) << name << " 1us left " << status_name(s);
    }
}

TEST(DecideConfirmHold, EveryStatus) { check_hold_decision("confirm", decide_confirm_hold, kConfirm); }

TEST(DecideReleaseHold, EveryStatus) { check_hold_decision("release", decide_release_hold, kRelease); }

TEST(DecideExtendHold, EveryStatus) { check_hold_decision("extend", decide_extend_hold, kExtend); }

TEST(DecideIssueOtp, EveryStatus) { check_hold_decision("issue_otp", decide_issue_otp, kIssueOtp); }

// A code is taken back under the rule it was given by: a verified, released,
// lapsed or locked hold keeps what happened to it.
TEST(DecideWithdrawOtp, EveryStatus) {
    check_hold_decision("withdraw_otp", decide_withdraw_otp, kIssueOtp);
}

// verify_otp differs from issue_otp only for a confirmed hold: one verified by
// a code answers success again (a retried call); one confirmed by staff does not.
TEST(DecideVerifyOtp, EveryStatus) {
    for (Status s : kAll) {
        const int i = static_cast<int>(s);
        for (bool verified : {false, true}) {
            Verdict live = s == Status::confirmed
                               ? (verified ? V::already_done : V::not_active)
                               : kIssueOtp.live[i];
            Verdict stale = s == Status::confirmed
                                ? (verified ? V::already_done : V::not_active)
                                : kIssueOtp.stale[i];
            EXPECT_EQ(decide_verify_otp(s, kLive, verified, kNow), live) << status_name(s);
            EXPECT_EQ(decide_verify_otp(s, kStale, verified, kNow), stale) << status_name(s);
        }
    }
}

TEST(DecideCancelAppointment, EveryStatus) {
    for (Status s : kAll)
        EXPECT_EQ(decide_cancel_appointment(s), kCancel[static_cast<int>(s)]) << status_name(s);
}

TEST(DecideRescheduleAppointment, EveryStatus) {
    for (Status s : kAll)
        EXPECT_EQ(decide_reschedule_appointment(s), kReschedule[static_cast<int>(s)])
            << status_name(s);
}

TEST(DecideHold, ExpiresAtEqualToNowIsExpired) {
    EXPECT_EQ(decide_confirm_hold(Status::held, kNow, kNow), Verdict::expired);
    EXPECT_EQ(decide_release_hold(Status::held, kNow, kNow), Verdict::expired);
    EXPECT_EQ(decide_extend_hold(Status::held, kNow, kNow), Verdict::expired);
    EXPECT_EQ(decide_confirm_hold(Status::held, kNow + 1, kNow), Verdict::proceed);
    EXPECT_EQ(decide_release_hold(Status::held, kNow + 1, kNow), Verdict::proceed);
    EXPECT_EQ(decide_extend_hold(Status::held, kNow + 1, kNow), Verdict::proceed);
}

TEST(OperationTargets, Values) {
    EXPECT_EQ(kConfirmTarget, Status::confirmed);
    EXPECT_EQ(kReleaseTarget, Status::released);
    EXPECT_EQ(kCancelTarget, Status::cancelled);
}

// Whenever an operation says proceed, the state machine must allow the move
// it is about to make; and already_done means the row is in the target state.
TEST(OperationTargets, ProceedImpliesAllowedTransition) {
    for (Status s : kAll) {
        for (Micros expires_at : {kLive, kStale}) {
            if (decide_confirm_hold(s, expires_at, kNow) == Verdict::proceed) {
                EXPECT_TRUE(can_transition(s, kConfirmTarget)) << status_name(s);
            }
            if (decide_release_hold(s, expires_at, kNow) == Verdict::proceed) {
                EXPECT_TRUE(can_transition(s, kReleaseTarget)) << status_name(s);
            }
            if (decide_confirm_hold(s, expires_at, kNow) == Verdict::already_done) {
                EXPECT_EQ(s, kConfirmTarget);
            }
            if (decide_release_hold(s, expires_at, kNow) == Verdict::already_done) {
                EXPECT_EQ(s, kReleaseTarget);
            }
        }
        if (decide_cancel_appointment(s) == Verdict::proceed) {
            EXPECT_TRUE(can_transition(s, kCancelTarget)) << status_name(s);
        }
        if (decide_cancel_appointment(s) == Verdict::already_done) {
            EXPECT_EQ(s, kCancelTarget);
        }
    }
}

}  // namespace

namespace booking::core {

TEST(ChangeNotice, SoonerThanTheNoticeIsTooLate) {
    constexpr Micros kHour = 3600LL * 1000 * 1000;
    EXPECT_TRUE(too_late_to_change(10 * kHour, 0, true, 24 * kHour, false));
    EXPECT_FALSE(too_late_to_change(24 * kHour, 0, true, 24 * kHour, false));  // exactly the notice
    EXPECT_FALSE(too_late_to_change(30 * kHour, 0, true, 24 * kHour, false));
}

TEST(ChangeNotice, NoRuleOrForceAlwaysMay) {
    constexpr Micros kHour = 3600LL * 1000 * 1000;
    EXPECT_FALSE(too_late_to_change(kHour, 0, false, 24 * kHour, false));
    EXPECT_FALSE(too_late_to_change(kHour, 0, true, 24 * kHour, true));
}

}  // namespace booking::core
