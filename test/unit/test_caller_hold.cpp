// core/caller_hold.hpp: one caller_ref holds at most one hold.
#include "core/caller_hold.hpp"

#include <gtest/gtest.h>

#include <ostream>

namespace booking::core {

inline std::ostream &operator<<(std::ostream &os, CallerHoldPlan p) {
    switch (p) {
    case CallerHoldPlan::claim_new:
        return os << "claim_new";
    case CallerHoldPlan::reuse:
        return os << "reuse";
    case CallerHoldPlan::move:
        return os << "move";
    case CallerHoldPlan::locked:
        return os << "locked";
    }
    return os << "CallerHoldPlan(" << static_cast<int>(p) << ")";
}

}  // namespace booking::core

namespace {

using namespace booking::core;

constexpr Micros kNow = 830000000LL * kMicrosPerSecond;
constexpr Micros kLive = kNow + 7 * kMicrosPerMinute;

CallerHoldPlan plan(Status status, Micros expires_at, bool same_slot) {
    CallerHold existing;
    existing.status = status;
    existing.expires_at = expires_at;
    existing.same_slot = same_slot;
    return plan_caller_hold(existing, kNow);
}

TEST(CallerHold, SameSlotAgainReusesTheLiveHold) {
    EXPECT_EQ(plan(Status::held, kLive, true), CallerHoldPlan::reuse);
    EXPECT_EQ(plan(Status::held, kNow + 1, true), CallerHoldPlan::reuse);
}

TEST(CallerHold, AnotherSlotMovesTheLiveHold) {
    EXPECT_EQ(plan(Status::held, kLive, false), CallerHoldPlan::move);
    EXPECT_EQ(plan(Status::held, kNow + 1, false), CallerHoldPlan::move);
}

TEST(CallerHold, StaleHoldIsClaimedAnew) {
    // expires_at == now: the hold no longer counts, even for the same slot.
    EXPECT_EQ(plan(Status::held, kNow, true), CallerHoldPlan::claim_new);
    EXPECT_EQ(plan(Status::held, kNow, false), CallerHoldPlan::claim_new);
    EXPECT_EQ(plan(Status::held, kNow - kMicrosPerMinute, true), CallerHoldPlan::claim_new);
    EXPECT_EQ(plan(Status::held, kNow - kMicrosPerMinute, false), CallerHoldPlan::claim_new);
}

TEST(CallerHold, ExpiredRowIsClaimedAnew) {
    for (bool same : {true, false}) {
        EXPECT_EQ(plan(Status::expired, kNow - 1, same), CallerHoldPlan::claim_new);
        // Marked expired even though its expires_at is still ahead.
        EXPECT_EQ(plan(Status::expired, kLive, same), CallerHoldPlan::claim_new);
    }
}

TEST(CallerHold, ReleasedHoldIsClaimedAnew) {
    for (bool same : {true, false}) {
        EXPECT_EQ(plan(Status::released, kLive, same), CallerHoldPlan::claim_new);
        EXPECT_EQ(plan(Status::released, kNow - 1, same), CallerHoldPlan::claim_new);
    }
}

TEST(CallerHold, LockedHoldCannotBeMovedOrReused) {
    for (bool same : {true, false}) {
        EXPECT_EQ(plan(Status::requires_manual_followup, kLive, same), CallerHoldPlan::locked);
        // The lock outlives the TTL: it waits for staff.
        EXPECT_EQ(plan(Status::requires_manual_followup, kNow, same), CallerHoldPlan::locked);
        EXPECT_EQ(plan(Status::requires_manual_followup, kNow - kMicrosPerMinute, same),
                  CallerHoldPlan::locked);
    }
}

TEST(CallerHold, AppointmentsAreNotHolds) {
    // Rows that left the hold stage do not stand in the caller's way.
    for (Status s : {Status::confirmed, Status::cancelled, Status::completed}) {
        for (bool same : {true, false})
            EXPECT_EQ(plan(s, kLive, same), CallerHoldPlan::claim_new) << status_name(s);
    }
}

TEST(CallerHold, AgreesWithIsActiveHold) {
    // A plan other than claim_new exactly when the existing hold is active.
    for (int i = 0; i < kStatusCount; ++i) {
        const Status s = static_cast<Status>(i);
        for (Micros expires_at : {kNow - 1, kNow, kNow + 1, kLive}) {
            for (bool same : {true, false}) {
                EXPECT_EQ(plan(s, expires_at, same) != CallerHoldPlan::claim_new,
                          is_active_hold(s, expires_at, kNow))
                    << status_name(s) << " expires_at-now=" << (expires_at - kNow);
            }
        }
    }
}

}  // namespace
