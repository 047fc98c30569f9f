// The shared-memory ledger of code misses: counts per hold, ages out, and
// gives way oldest-first when its probe window is full.
#include <gtest/gtest.h>

#include <vector>

#include "core/attempt_ledger.hpp"

using booking::core::AttemptLedger;
using booking::core::LedgerEntry;
using booking::core::Micros;

namespace {

struct Hold {
    std::uint8_t id[16] = {};
    explicit Hold(int n) {
        id[0] = static_cast<std::uint8_t>(n & 0xff);
        id[1] = static_cast<std::uint8_t>((n >> 8) & 0xff);
        id[15] = 0x42;
    }
};

constexpr Micros kHorizon = 1000;

}  // namespace

TEST(AttemptLedger, CountsMissesPerHold) {
    std::vector<LedgerEntry> entries(64);
    AttemptLedger ledger(entries.data(), entries.size(), kHorizon);
    Hold a(1), b(2);
    EXPECT_EQ(ledger.misses(a.id, 10), 0);
    EXPECT_EQ(ledger.record_miss(a.id, 10), 1);
    EXPECT_EQ(ledger.record_miss(a.id, 11), 2);
    EXPECT_EQ(ledger.record_miss(b.id, 12), 1);
    EXPECT_EQ(ledger.misses(a.id, 13), 2);
    EXPECT_EQ(ledger.misses(b.id, 13), 1);
}

TEST(AttemptLedger, ForgetsAfterTheHorizonOrOnRequest) {
    std::vector<LedgerEntry> entries(64);
    AttemptLedger ledger(entries.data(), entries.size(), kHorizon);
    Hold a(1), b(2);
    ledger.record_miss(a.id, 100);
    ledger.record_miss(b.id, 100);
    EXPECT_EQ(ledger.misses(a.id, 100 + kHorizon - 1), 1);
    EXPECT_EQ(ledger.misses(a.id, 100 + kHorizon), 0);
    ledger.forget(b.id);
    EXPECT_EQ(ledger.misses(b.id, 101), 0);
    // A miss after ageing out starts again at one.
    EXPECT_EQ(ledger.record_miss(a.id, 100 + kHorizon), 1);
}

TEST(AttemptLedger, AFullWindowEvictsItsOldestEntry) {
    // Capacity no larger than the probe window: every hold shares one window.
    std::vector<LedgerEntry> entries(booking::core::kLedgerProbe);
    AttemptLedger ledger(entries.data(), entries.size(), 1'000'000);
    for (int i = 0; i < static_cast<int>(entries.size()); ++i) {
        Hold h(i);
        ledger.record_miss(h.id, 10 + i);
    }
    Hold newcomer(1000);
    EXPECT_EQ(ledger.record_miss(newcomer.id, 500), 1);
    Hold oldest(0), second(1);
    EXPECT_EQ(ledger.misses(oldest.id, 501), 0);
    EXPECT_EQ(ledger.misses(second.id, 501), 1);
    EXPECT_EQ(ledger.misses(newcomer.id, 501), 1);
}

TEST(AttemptLedger, ManyHoldsStayApart) {
    std::vector<LedgerEntry> entries(4096);
    AttemptLedger ledger(entries.data(), entries.size(), 1'000'000);
    for (int i = 0; i < 1000; ++i) {
        Hold h(i);
        for (int k = 0; k <= i % 3; ++k)
            ledger.record_miss(h.id, 1 + i);
    }
    for (int i = 0; i < 1000; ++i) {
        Hold h(i);
        EXPECT_EQ(ledger.misses(h.id, 5000), 1 + i % 3) << i;
    }
}

TEST(AttemptLedger, ZeroCapacityCountsNothing) {
    AttemptLedger ledger(nullptr, 0, kHorizon);
    Hold a(1);
    EXPECT_EQ(ledger.record_miss(a.id, 1), 0);
    EXPECT_EQ(ledger.misses(a.id, 1), 0);
}
