#include "attempt_ledger.hpp"

#include <boost/container_hash/hash.hpp>
#include <cstring>

namespace booking::core {

std::size_t AttemptLedger::slot_of(const std::uint8_t (&hold_id)[16]) const {
    return boost::hash_range(hold_id, hold_id + 16) % capacity_;
}

bool AttemptLedger::live(const LedgerEntry &e, Micros now) const {
    return e.last_miss != 0 && now - e.last_miss < horizon_;
}

LedgerEntry *AttemptLedger::find(const std::uint8_t (&hold_id)[16], Micros now) const {
    if (capacity_ == 0)
        return nullptr;
    std::size_t start = slot_of(hold_id);
    for (std::size_t i = 0; i < kLedgerProbe && i < capacity_; ++i) {
        LedgerEntry &e = entries_[(start + i) % capacity_];
        if (live(e, now) && std::memcmp(e.hold_id, hold_id, 16) == 0)
            return &e;
    }
    return nullptr;
}

int AttemptLedger::misses(const std::uint8_t (&hold_id)[16], Micros now) const {
    const LedgerEntry *e = find(hold_id, now);
    return e == nullptr ? 0 : e->misses;
}

int AttemptLedger::record_miss(const std::uint8_t (&hold_id)[16], Micros now) {
    if (capacity_ == 0)
        return 0;
    if (LedgerEntry *e = find(hold_id, now)) {
        e->misses += 1;
        e->last_miss = now;
        return e->misses;
    }
    // A free (or aged-out) entry in the window, else the oldest one.
    std::size_t start = slot_of(hold_id);
    LedgerEntry *victim = nullptr;
    for (std::size_t i = 0; i < kLedgerProbe && i < capacity_; ++i) {
        LedgerEntry &e = entries_[(start + i) % capacity_];
        if (!live(e, now)) {
            victim = &e;
            break;
        }
        if (victim == nullptr || e.last_miss < victim->last_miss)
            victim = &e;
    }
    std::memcpy(victim->hold_id, hold_id, 16);
    victim->misses = 1;
    victim->last_miss = now;
    return 1;
}

void AttemptLedger::forget(const std::uint8_t (&hold_id)[16]) {
    if (capacity_ == 0)
        return;
    std::size_t start = slot_of(hold_id);
    for (std::size_t i = 0; i < kLedgerProbe && i < capacity_; ++i) {
        LedgerEntry &e = entries_[(start + i) % capacity_];
        if (e.last_miss != 0 && std::memcmp(e.hold_id, hold_id, 16) == 0)
            e.last_miss = 0;
    }
}

}  // namespace booking::core
