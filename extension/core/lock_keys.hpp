// Keys for locks: the calendar lock that serialises writers of one calendar,
// the contact lock that serialises one contact's callers (the contact cap),
// and the seed design's per-slot key, kept bit for bit for compatibility.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "time_range.hpp"

namespace booking::core {

// The calendar lock's key for (org_id, calendar_id). Two calendars that share
// a key only ever wait for each other; correctness never rests on it.
std::uint64_t calendar_lock_key(const std::uint8_t (&org_id)[16], std::string_view calendar_id);

// The contact lock's key for (org_id, the contact's key text: "c:<contact_id>"
// or "p:<digits>"). The lock lives in a tag space of its own, so a key equal
// to a calendar's never meets it; two contacts that share a key only wait
// for each other.
std::uint64_t contact_lock_key(const std::uint8_t (&org_id)[16], std::string_view contact_key);

// The text the seed hashed for its slot key: "<org uuid>_<ISO-8601 UTC>", the
// time as JavaScript's Date.toISOString() writes it (milliseconds, "Z", and
// the six-digit signed year outside 0000-9999). Writes at most capacity bytes
// (no terminator) and returns the length, or 0 for a time no JavaScript date
// can hold; 64 bytes always suffice.
constexpr std::size_t kSeedSlotKeyMaxLength = 64;
std::size_t seed_slot_key_text(const std::uint8_t (&org_id)[16], Micros starts_at, char *out,
                               std::size_t capacity);

// The first 8 bytes of a digest read as a signed big-endian 64-bit integer
// (Node's Buffer.readBigInt64BE(0)).
std::int64_t int64_from_big_endian(const std::uint8_t *bytes);

}  // namespace booking::core
