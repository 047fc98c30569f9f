#include "uuid_v7.hpp"

namespace booking::core {

void next_uuid_v7(UuidV7Generator &gen, std::int64_t unix_micros, const std::uint8_t (&random)[8],
                  std::uint8_t (&out)[16]) {
    std::uint64_t ms = unix_micros > 0 ? static_cast<std::uint64_t>(unix_micros / 1000) : 0;
    // rand_a carries the sub-millisecond fraction (RFC 9562, method 3), so ids
    // from one backend order by time to about a quarter of a microsecond.
    std::uint32_t sub = unix_micros > 0
                            ? static_cast<std::uint32_t>((unix_micros % 1000) * 4096 / 1000)
                            : 0;
    if (ms < gen.last_unix_ms || (ms == gen.last_unix_ms && sub <= gen.last_sub_ms)) {
        ms = gen.last_unix_ms;
        sub = gen.last_sub_ms + 1;
        if (sub > 0xfff) {
            ms += 1;
            sub = 0;
        }
    }
    gen.last_unix_ms = ms;
    gen.last_sub_ms = sub;

    for (int i = 0; i < 6; ++i)
        out[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
    out[6] = static_cast<std::uint8_t>(0x70 | ((sub >> 8) & 0x0f));
    out[7] = static_cast<std::uint8_t>(sub & 0xff);
    out[8] = static_cast<std::uint8_t>(0x80 | (random[0] & 0x3f));
    for (int i = 1; i < 8; ++i)
        out[8 + i] = random[i];
}

std::uint64_t uuid_v7_unix_ms(const std::uint8_t (&uuid)[16]) {
    std::uint64_t ms = 0;
    for (int i = 0; i < 6; ++i)
        ms = (ms << 8) | uuid[i];
    return ms;
}

}  // namespace booking::core
