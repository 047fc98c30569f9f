// core/caller_hold.hpp: one caller_ref holds at most one hold.
#include "core/caller_hold.hpp"

#include <gtest/gtest.h>

#include <array>
#include <ostream>
#include <regex>
#include <set>
#include <string>

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

constexpr std::array<Status, 7> kAll = {
    Status::held,      Status::confirmed, Status::cancelled,
    Status::completed, Status::released,  Status::expired,
    Status::requires_manual_followup,
};

// One source for the caller_ref rule: the SQL of the unique index, the
// claim's arbiter and the lookup names the statuses keeps_caller_ref() does.
TEST(CallerHold, TheSqlPredicateNamesExactlyTheStatusesThatKeepACallerRef) {
    const std::string sql = BOOKING_CALLER_HOLD_SQL;
    std::set<std::string> named;
    const std::regex quoted("'([a-z_]+)'");
    for (auto it = std::sregex_iterator(sql.begin(), sql.end(), quoted);
         it != std::sregex_iterator(); ++it)
        named.insert((*it)[1]);
    std::set<std::string> keeping;
    for (Status s : kAll) {
        if (keeps_caller_ref(s))
            keeping.insert(status_name(s));
    }
    EXPECT_EQ(named, keeping);
    EXPECT_EQ(sql.rfind("caller_ref IS NOT NULL AND status IN (", 0), 0u);
}

// A hold that still belongs to its caller keeps the caller_ref, so the
// unique index can never let a second live hold in.
TEST(CallerHold, AnActiveHoldKeepsItsCallerRef) {
    for (Status s : kAll) {
        for (Micros expires_at : {kNow - 1, kNow, kLive}) {
            if (is_active_hold(s, expires_at, kNow)) {
                EXPECT_TRUE(keeps_caller_ref(s)) << status_name(s);
            }
        }
    }
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
