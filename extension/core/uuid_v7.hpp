// Time-ordered identifiers (UUID version 7, RFC 9562) for reservations and
// audit rows: they need no sequence (a sequence counts from 1 on every node of
// a distributed cluster), sort by creation time, and land at the right edge
// of a btree instead of all over it.
#pragma once

#include <cstdint>

namespace booking::core {

// Per-backend state that keeps one generator's ids strictly increasing even
// when the clock stands still or steps back.
struct UuidV7Generator {
    std::uint64_t last_unix_ms = 0;
    std::uint32_t last_sub_ms = 0;  // 12 bits of sub-millisecond time, then a counter
};

// unix_micros: wall-clock time; random: 8 random bytes for the low 62 bits.
void next_uuid_v7(UuidV7Generator &gen, std::int64_t unix_micros, const std::uint8_t (&random)[8],
                  std::uint8_t (&out)[16]);

// The millisecond timestamp stored in a version 7 UUID.
std::uint64_t uuid_v7_unix_ms(const std::uint8_t (&uuid)[16]);

}  // namespace booking::core
