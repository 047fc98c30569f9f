// core/uuid_v7.hpp: time-ordered version 7 UUIDs (RFC 9562).
#include "core/uuid_v7.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace {

using booking::core::next_uuid_v7;
using booking::core::UuidV7Generator;
using booking::core::uuid_v7_unix_ms;

using Uuid = std::array<std::uint8_t, 16>;

// 2026-01-15T14:00:00.123456Z
constexpr std::int64_t kT = 1768485600123456LL;

Uuid make(UuidV7Generator &gen, std::int64_t unix_micros, const std::uint8_t (&random)[8]) {
    std::uint8_t out[16];
    next_uuid_v7(gen, unix_micros, random, out);
    Uuid u;
    std::memcpy(u.data(), out, 16);
    return u;
}

Uuid make(UuidV7Generator &gen, std::int64_t unix_micros) {
    const std::uint8_t random[8] = {0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88};
    return make(gen, unix_micros, random);
}

std::uint64_t stored_ms(const Uuid &u) {
    std::uint8_t raw[16];
    std::memcpy(raw, u.data(), 16);
    return uuid_v7_unix_ms(raw);
}

unsigned rand_a(const Uuid &u) { return ((u[6] & 0x0fu) << 8) | u[7]; }

// PostgreSQL compares uuids bytewise; the first 8 bytes carry the ordering.
int compare_time_part(const Uuid &a, const Uuid &b) { return std::memcmp(a.data(), b.data(), 8); }

TEST(UuidV7, VersionAndVariantBits) {
    UuidV7Generator gen;
    std::mt19937_64 rng(7);
    for (int i = 0; i < 1000; ++i) {
        std::uint8_t random[8];
        for (auto &b : random)
            b = static_cast<std::uint8_t>(rng());
        Uuid u = make(gen, kT + i * 37, random);
        EXPECT_EQ(u[6] >> 4, 0x7) << i;       // version 7
        EXPECT_EQ(u[8] >> 6, 0x2) << i;       // variant 10xx
        EXPECT_EQ(u[8] & 0x3f, random[0] & 0x3f) << i;
        for (int k = 1; k < 8; ++k)
            EXPECT_EQ(u[8 + k], random[k]) << i << " byte " << k;
    }
}

TEST(UuidV7, VariantBitsWhateverTheRandomByte) {
    for (unsigned r0 : {0x00u, 0x3fu, 0x40u, 0x7fu, 0x80u, 0xc0u, 0xffu}) {
        UuidV7Generator gen;
        const std::uint8_t random[8] = {static_cast<std::uint8_t>(r0), 0, 0, 0, 0, 0, 0, 0};
        Uuid u = make(gen, kT, random);
        EXPECT_EQ(u[8] & 0xc0, 0x80) << r0;
        EXPECT_EQ(u[8] & 0x3f, r0 & 0x3f) << r0;
    }
}

TEST(UuidV7, StoresTheMillisecondTimestamp) {
    UuidV7Generator gen;
    Uuid u = make(gen, kT);
    EXPECT_EQ(stored_ms(u), 1768485600123ULL);
    // Big-endian 48-bit ms in the first six bytes.
    const std::uint64_t ms = 1768485600123ULL;
    for (int i = 0; i < 6; ++i)
        EXPECT_EQ(u[i], static_cast<std::uint8_t>(ms >> (8 * (5 - i)))) << i;
}

TEST(UuidV7, SubMillisecondFractionInRandA) {
    UuidV7Generator gen;
    // 456 us into the millisecond: 456 * 4096 / 1000 = 1867.
    EXPECT_EQ(rand_a(make(gen, kT)), 1867u);
    UuidV7Generator gen2;
    EXPECT_EQ(rand_a(make(gen2, 1768485600123000LL)), 0u);  // on the millisecond
    UuidV7Generator gen3;
    EXPECT_EQ(rand_a(make(gen3, 1768485600123999LL)), 4091u);  // 999 * 4096 / 1000
}

TEST(UuidV7, UnixMsReadsAnyVersion7Layout) {
    const std::uint8_t raw[16] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x70, 0,
                                  0x80, 0,    0,    0,    0,    0,    0,    0};
    EXPECT_EQ(uuid_v7_unix_ms(raw), 0x010203040506ULL);
    const std::uint8_t max[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff,
                                  0xbf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    EXPECT_EQ(uuid_v7_unix_ms(max), 0xffffffffffffULL);
}

TEST(UuidV7, TimestampFollowsAnAdvancingClock) {
    UuidV7Generator gen;
    for (std::int64_t step = 0; step < 2000; ++step) {
        const std::int64_t micros = kT + step * 1500;  // 1.5 ms apart
        Uuid u = make(gen, micros);
        ASSERT_EQ(stored_ms(u), static_cast<std::uint64_t>(micros / 1000)) << step;
        ASSERT_EQ(rand_a(u), static_cast<unsigned>((micros % 1000) * 4096 / 1000)) << step;
    }
}

TEST(UuidV7, StrictlyIncreasingAtTheSameMicrosecond) {
    UuidV7Generator gen;
    std::vector<Uuid> ids;
    for (int i = 0; i < 10000; ++i)  // more than the 4096 values of rand_a
        ids.push_back(make(gen, kT));
    for (std::size_t i = 1; i < ids.size(); ++i)
        ASSERT_LT(compare_time_part(ids[i - 1], ids[i]), 0) << i;
    // The counter borrows from the next milliseconds rather than wrapping.
    EXPECT_EQ(stored_ms(ids.front()), static_cast<std::uint64_t>(kT / 1000));
    EXPECT_GT(stored_ms(ids.back()), static_cast<std::uint64_t>(kT / 1000));
    EXPECT_LE(stored_ms(ids.back()), static_cast<std::uint64_t>(kT / 1000) + 3);
    for (const Uuid &u : ids) {
        ASSERT_EQ(u[6] >> 4, 0x7);
        ASSERT_EQ(u[8] >> 6, 0x2);
    }
}

TEST(UuidV7, StrictlyIncreasingWhenTheClockStepsBack) {
    UuidV7Generator gen;
    Uuid prev = make(gen, kT);
    const std::int64_t clock[] = {
        kT - 1,                    // one microsecond back
        kT - 1000,                 // one millisecond back
        kT - 1000000,              // one second back
        kT - 3600LL * 1000000,     // an hour back
        kT,                        // back to where it was
        kT + 1,                    // same ms, later fraction (still <= counter)
        0,                         // the epoch
        -5,                        // before the epoch
    };
    for (std::int64_t micros : clock) {
        Uuid u = make(gen, micros);
        ASSERT_LT(compare_time_part(prev, u), 0) << micros;
        ASSERT_GE(stored_ms(u), static_cast<std::uint64_t>(kT / 1000)) << micros;
        prev = u;
    }
    // Once the clock is ahead again, ids follow it again.
    const std::int64_t later = kT + 5000;
    Uuid u = make(gen, later);
    EXPECT_LT(compare_time_part(prev, u), 0);
    EXPECT_EQ(stored_ms(u), static_cast<std::uint64_t>(later / 1000));
    EXPECT_EQ(rand_a(u), static_cast<unsigned>((later % 1000) * 4096 / 1000));
}

TEST(UuidV7, StrictlyIncreasingUnderAJitteringClock) {
    UuidV7Generator gen;
    std::mt19937_64 rng(99);
    Uuid prev = make(gen, kT);
    std::int64_t clock = kT;
    for (int i = 0; i < 20000; ++i) {
        // Mostly forward, sometimes standing still, sometimes back.
        clock += static_cast<std::int64_t>(rng() % 700) - 200;
        Uuid u = make(gen, clock);
        ASSERT_LT(compare_time_part(prev, u), 0) << i;
        prev = u;
    }
}

TEST(UuidV7, GeneratorsAreIndependent) {
    UuidV7Generator a, b;
    for (int i = 0; i < 100; ++i)
        make(a, kT);
    Uuid first_b = make(b, kT);
    EXPECT_EQ(stored_ms(first_b), static_cast<std::uint64_t>(kT / 1000));
    EXPECT_EQ(rand_a(first_b), 1867u);
}

}  // namespace
