// A fixed-size table of failed code attempts per hold, kept in shared memory.
//
// The attempt counter in the reservation row is transactional: a client that
// runs verify_otp inside its own transaction and rolls back a miss would get
// unlimited guesses. Misses are therefore also counted here, outside any
// transaction; verify_otp uses the larger of the two counts. The table is
// bounded (open addressing over a small probe window); an entry is reusable
// once it is older than the horizon (no code can still be valid by then),
// and when a window is full the oldest entry in it gives way.
#pragma once

#include <cstddef>
#include <cstdint>

#include "time_range.hpp"

namespace booking::core {

struct LedgerEntry {
    std::uint8_t hold_id[16];
    std::int32_t misses;
    Micros last_miss;  // 0: unused
};

constexpr std::size_t kLedgerProbe = 16;

// Plain functions over a caller-owned array, so the PostgreSQL layer can keep
// the array in shared memory under its own lock.
class AttemptLedger {
  public:
    AttemptLedger(LedgerEntry *entries, std::size_t capacity, Micros horizon)
        : entries_(entries), capacity_(capacity), horizon_(horizon) {}

    // Misses recorded for the hold within the horizon.
    int misses(const std::uint8_t (&hold_id)[16], Micros now) const;
    // Records one more miss; returns the new count.
    int record_miss(const std::uint8_t (&hold_id)[16], Micros now);
    // Forgets the hold (after a successful verification).
    void forget(const std::uint8_t (&hold_id)[16]);

  private:
    std::size_t slot_of(const std::uint8_t (&hold_id)[16]) const;
    bool live(const LedgerEntry &e, Micros now) const;
    LedgerEntry *find(const std::uint8_t (&hold_id)[16], Micros now) const;

    LedgerEntry *entries_;
    std::size_t capacity_;
    Micros horizon_;
};

}  // namespace booking::core
