// core/reservation_state.hpp: the reservation life cycle.
#include "core/reservation_state.hpp"

#include <gtest/gtest.h>

#include <array>
#include <regex>
#include <set>
#include <string>

namespace {

using booking::core::blocks_calendar;
using booking::core::can_transition;
using booking::core::effective_status;
using booking::core::is_active_hold;
using booking::core::is_blocking;
using booking::core::is_stale_hold;
using booking::core::kMicrosPerMinute;
using booking::core::kStatusCount;
using booking::core::Micros;
using booking::core::parse_status;
using booking::core::Status;
using booking::core::status_name;

constexpr std::array<Status, 7> kAll = {
    Status::held,     Status::confirmed, Status::cancelled,
    Status::completed, Status::released, Status::expired,
    Status::requires_manual_followup,
};

constexpr Micros kNow = 800000000LL * 1000000;  // some time in 2025
constexpr Micros kFuture = kNow + 10 * kMicrosPerMinute;
constexpr Micros kPast = kNow - 10 * kMicrosPerMinute;

TEST(Status, CountMatchesEnum) {
    EXPECT_EQ(kStatusCount, 7);
    EXPECT_EQ(static_cast<int>(Status::requires_manual_followup), kStatusCount - 1);
}

TEST(Status, NamesMatchTheSqlEnumInOrder) {
    // booking.reservation_status, in declaration order.
    const std::array<const char *, 7> expected = {
        "held", "confirmed", "cancelled", "completed", "released", "expired",
        "requires_manual_followup",
    };
    for (int i = 0; i < kStatusCount; ++i) {
        EXPECT_EQ(static_cast<int>(kAll[i]), i);
        EXPECT_STREQ(status_name(kAll[i]), expected[i]);
    }
}

TEST(Status, ParseRoundTrips) {
    for (Status s : kAll) {
        auto parsed = parse_status(status_name(s));
        ASSERT_TRUE(parsed.has_value()) << status_name(s);
        EXPECT_EQ(*parsed, s);
    }
}

TEST(Status, ParseRejectsUnknownNames) {
    for (const char *bad : {"", "HELD", "Held", "held ", " held", "hold", "confirm",
                            "requires_manual_follow_up", "expired\n"}) {
        EXPECT_FALSE(parse_status(bad).has_value()) << '"' << bad << '"';
    }
    // A name followed by a NUL is not the name.
    EXPECT_FALSE(parse_status(std::string_view("held\0", 5)).has_value());
}

// The life cycle as a table: kAllowed[from][to].
//   held -> confirmed | released | expired | requires_manual_followup
//   requires_manual_followup -> confirmed | released | expired
//   confirmed -> cancelled | completed
constexpr bool kAllowed[7][7] = {
    //          held   conf   canc   comp   rel    exp    rmf
    /* held */ {false, true, false, false, true, true, true},
    /* conf */ {false, false, true, true, false, false, false},
    /* canc */ {false, false, false, false, false, false, false},
    /* comp */ {false, false, false, false, false, false, false},
    /* rel  */ {false, false, false, false, false, false, false},
    /* exp  */ {false, false, false, false, false, false, false},
    /* rmf  */ {false, true, false, false, true, true, false},
};

TEST(Transitions, ExhaustiveTable) {
    int allowed = 0;
    for (int from = 0; from < kStatusCount; ++from) {
        for (int to = 0; to < kStatusCount; ++to) {
            const Status f = static_cast<Status>(from);
            const Status t = static_cast<Status>(to);
            EXPECT_EQ(can_transition(f, t), kAllowed[from][to])
                << status_name(f) << " -> " << status_name(t);
            allowed += can_transition(f, t) ? 1 : 0;
        }
    }
    EXPECT_EQ(allowed, 9);
}

TEST(Transitions, AllowedSpotChecks) {
    EXPECT_TRUE(can_transition(Status::held, Status::confirmed));
    EXPECT_TRUE(can_transition(Status::held, Status::released));
    EXPECT_TRUE(can_transition(Status::held, Status::expired));
    EXPECT_TRUE(can_transition(Status::held, Status::requires_manual_followup));
    EXPECT_TRUE(can_transition(Status::requires_manual_followup, Status::confirmed));
    EXPECT_TRUE(can_transition(Status::requires_manual_followup, Status::released));
    EXPECT_TRUE(can_transition(Status::requires_manual_followup, Status::expired));
    EXPECT_TRUE(can_transition(Status::confirmed, Status::cancelled));
    EXPECT_TRUE(can_transition(Status::confirmed, Status::completed));
}

TEST(Transitions, ForbiddenSpotChecks) {
    EXPECT_FALSE(can_transition(Status::held, Status::held));
    EXPECT_FALSE(can_transition(Status::held, Status::cancelled));
    EXPECT_FALSE(can_transition(Status::held, Status::completed));
    EXPECT_FALSE(can_transition(Status::confirmed, Status::held));
    EXPECT_FALSE(can_transition(Status::confirmed, Status::released));
    EXPECT_FALSE(can_transition(Status::confirmed, Status::expired));
    EXPECT_FALSE(can_transition(Status::confirmed, Status::confirmed));
    EXPECT_FALSE(can_transition(Status::cancelled, Status::confirmed));
    EXPECT_FALSE(can_transition(Status::completed, Status::cancelled));
    EXPECT_FALSE(can_transition(Status::released, Status::held));
    EXPECT_FALSE(can_transition(Status::expired, Status::held));
    EXPECT_FALSE(can_transition(Status::expired, Status::confirmed));
    EXPECT_FALSE(can_transition(Status::requires_manual_followup, Status::held));
    EXPECT_FALSE(can_transition(Status::requires_manual_followup, Status::cancelled));
}

TEST(Transitions, TerminalStatesHaveNoExit) {
    for (Status terminal : {Status::cancelled, Status::completed, Status::released, Status::expired}) {
        for (Status to : kAll)
            EXPECT_FALSE(can_transition(terminal, to)) << status_name(terminal) << " -> "
                                                       << status_name(to);
    }
}

TEST(BlocksCalendar, PerStatus) {
    EXPECT_TRUE(blocks_calendar(Status::held));
    EXPECT_TRUE(blocks_calendar(Status::confirmed));
    EXPECT_TRUE(blocks_calendar(Status::requires_manual_followup));
    EXPECT_FALSE(blocks_calendar(Status::cancelled));
    EXPECT_FALSE(blocks_calendar(Status::completed));
    EXPECT_FALSE(blocks_calendar(Status::released));
    EXPECT_FALSE(blocks_calendar(Status::expired));
}

// The statuses a SQL predicate "status IN ('a', 'b', ...)" names.
std::set<std::string> statuses_named(const std::string &predicate) {
    std::set<std::string> out;
    const std::regex quoted("'([a-z_]+)'");
    for (auto it = std::sregex_iterator(predicate.begin(), predicate.end(), quoted);
         it != std::sregex_iterator(); ++it)
        out.insert((*it)[1]);
    return out;
}

// One source for the blocking set: the SQL the install script and the
// statements read is the set blocks_calendar() decides.
TEST(BlocksCalendar, TheSqlPredicateNamesExactlyTheBlockingStatuses) {
    std::set<std::string> blocking;
    for (Status s : kAll) {
        if (blocks_calendar(s))
            blocking.insert(status_name(s));
    }
    EXPECT_EQ(statuses_named(BOOKING_BLOCKING_STATUSES_SQL), blocking);
    EXPECT_EQ(std::string(BOOKING_BLOCKING_STATUSES_SQL).rfind("status IN (", 0), 0u);
}

TEST(StaleHold, ExactlyAtExpiresAtIsStale) {
    EXPECT_TRUE(is_stale_hold(Status::held, kNow, kNow));
    EXPECT_FALSE(is_stale_hold(Status::held, kNow + 1, kNow));
    EXPECT_TRUE(is_stale_hold(Status::held, kNow - 1, kNow));
    EXPECT_TRUE(is_stale_hold(Status::held, kPast, kNow));
    EXPECT_FALSE(is_stale_hold(Status::held, kFuture, kNow));
}

TEST(StaleHold, OnlyHeldRowsGoStale) {
    for (Status s : kAll) {
        if (s == Status::held)
            continue;
        EXPECT_FALSE(is_stale_hold(s, kPast, kNow)) << status_name(s);
        EXPECT_FALSE(is_stale_hold(s, kNow, kNow)) << status_name(s);
        EXPECT_FALSE(is_stale_hold(s, kFuture, kNow)) << status_name(s);
    }
}

TEST(EffectiveStatus, StaleHeldReadsExpired) {
    EXPECT_EQ(effective_status(Status::held, kNow, kNow), Status::expired);
    EXPECT_EQ(effective_status(Status::held, kPast, kNow), Status::expired);
    EXPECT_EQ(effective_status(Status::held, kNow + 1, kNow), Status::held);
}

TEST(EffectiveStatus, OtherStatusesUnchangedWhateverTheClock) {
    for (Status s : kAll) {
        if (s == Status::held)
            continue;
        for (Micros expires_at : {kPast, kNow, kFuture})
            EXPECT_EQ(effective_status(s, expires_at, kNow), s) << status_name(s);
    }
}

TEST(IsBlocking, FollowsTheTtlRule) {
    EXPECT_TRUE(is_blocking(Status::held, kNow + 1, kNow));
    EXPECT_FALSE(is_blocking(Status::held, kNow, kNow));
    EXPECT_FALSE(is_blocking(Status::held, kPast, kNow));
    // Locked holds and appointments block regardless of expires_at.
    for (Micros expires_at : {kPast, kNow, kFuture}) {
        EXPECT_TRUE(is_blocking(Status::requires_manual_followup, expires_at, kNow));
        EXPECT_TRUE(is_blocking(Status::confirmed, expires_at, kNow));
        EXPECT_FALSE(is_blocking(Status::cancelled, expires_at, kNow));
        EXPECT_FALSE(is_blocking(Status::completed, expires_at, kNow));
        EXPECT_FALSE(is_blocking(Status::released, expires_at, kNow));
        EXPECT_FALSE(is_blocking(Status::expired, expires_at, kNow));
    }
}

TEST(IsActiveHold, LiveHeldAndLockedHoldsOnly) {
    EXPECT_TRUE(is_active_hold(Status::held, kFuture, kNow));
    EXPECT_TRUE(is_active_hold(Status::held, kNow + 1, kNow));
    EXPECT_FALSE(is_active_hold(Status::held, kNow, kNow));
    EXPECT_FALSE(is_active_hold(Status::held, kPast, kNow));
    for (Micros expires_at : {kPast, kNow, kFuture}) {
        EXPECT_TRUE(is_active_hold(Status::requires_manual_followup, expires_at, kNow));
        EXPECT_FALSE(is_active_hold(Status::confirmed, expires_at, kNow));
        EXPECT_FALSE(is_active_hold(Status::cancelled, expires_at, kNow));
        EXPECT_FALSE(is_active_hold(Status::completed, expires_at, kNow));
        EXPECT_FALSE(is_active_hold(Status::released, expires_at, kNow));
        EXPECT_FALSE(is_active_hold(Status::expired, expires_at, kNow));
    }
}

TEST(IsActiveHold, ImpliesBlocking) {
    for (Status s : kAll) {
        for (Micros expires_at : {kPast, kNow, kNow + 1, kFuture}) {
            if (is_active_hold(s, expires_at, kNow)) {
                EXPECT_TRUE(is_blocking(s, expires_at, kNow)) << status_name(s);
            }
        }
    }
}

}  // namespace
