// core/lock_keys.hpp: the calendar and contact lock keys, the seed's slot key text, and
// Node's readBigInt64BE.
#include "core/lock_keys.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <string_view>

namespace {

using booking::core::calendar_lock_key;
using booking::core::contact_lock_key;
using booking::core::int64_from_big_endian;
using booking::core::kMicrosPerMillisecond;
using booking::core::kPostgresEpochInUnixMicros;
using booking::core::kSeedSlotKeyMaxLength;
using booking::core::Micros;
using booking::core::seed_slot_key_text;

using Org = std::uint8_t[16];

constexpr Micros kMax = std::numeric_limits<Micros>::max();
constexpr Micros kMin = std::numeric_limits<Micros>::min();

// PostgreSQL micros for a Unix time in milliseconds (plus extra micros).
constexpr Micros pg_micros(std::int64_t unix_ms, Micros extra_us = 0) {
    return unix_ms * kMicrosPerMillisecond + extra_us - kPostgresEpochInUnixMicros;
}

void fill(Org &org, std::uint8_t byte) { std::memset(org, byte, sizeof(org)); }

std::string key_text(const Org &org, Micros starts_at) {
    char buf[kSeedSlotKeyMaxLength + 8];
    std::memset(buf, '#', sizeof(buf));
    std::size_t len = seed_slot_key_text(org, starts_at, buf, kSeedSlotKeyMaxLength);
    EXPECT_GT(len, 0u);
    EXPECT_LE(len, kSeedSlotKeyMaxLength);
    EXPECT_EQ(buf[len], '#') << "wrote past its length";
    return std::string(buf, len);
}

// The time part alone (after "<uuid>_").
std::string time_text(Micros starts_at) {
    Org org;
    fill(org, 0x11);
    std::string key = key_text(org, starts_at);
    EXPECT_GE(key.size(), 37u);
    EXPECT_EQ(key.substr(0, 37), "11111111-1111-1111-1111-111111111111_");
    return key.size() >= 37 ? key.substr(37) : std::string();
}

std::int64_t floor_div_ref(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// An independent Date.prototype.toISOString(): glibc's proleptic Gregorian
// gmtime_r, JavaScript's year format.
std::string js_iso_reference(std::int64_t unix_ms) {
    const std::int64_t secs = floor_div_ref(unix_ms, 1000);
    const int millis = static_cast<int>(unix_ms - secs * 1000);
    const std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    if (gmtime_r(&t, &tm) == nullptr)
        return "gmtime_r failed";
    const long long year = static_cast<long long>(tm.tm_year) + 1900;
    char buf[64];
    int n;
    if (year >= 0 && year <= 9999)
        n = std::snprintf(buf, sizeof(buf), "%04lld", year);
    else
        n = std::snprintf(buf, sizeof(buf), "%c%06lld", year < 0 ? '-' : '+', year < 0 ? -year : year);
    std::snprintf(buf + n, sizeof(buf) - static_cast<std::size_t>(n), "-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return buf;
}

// --- seed_slot_key_text ------------------------------------------------------

TEST(SeedSlotKeyText, ExampleFromTheSeed) {
    Org org;
    fill(org, 0x11);
    // 2026-01-15T14:00:00Z is 1768485600 Unix seconds.
    EXPECT_EQ(key_text(org, pg_micros(1768485600000LL)),
              "11111111-1111-1111-1111-111111111111_2026-01-15T14:00:00.000Z");
}

TEST(SeedSlotKeyText, OrgIsWrittenCanonically) {
    const Org org = {0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8,
                     0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11};
    EXPECT_EQ(key_text(org, 0), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11_2000-01-01T00:00:00.000Z");
}

TEST(SeedSlotKeyText, PostgresEpoch) {
    EXPECT_EQ(time_text(0), "2000-01-01T00:00:00.000Z");
    EXPECT_EQ(time_text(-kPostgresEpochInUnixMicros), "1970-01-01T00:00:00.000Z");
}

TEST(SeedSlotKeyText, MillisecondsAreWritten) {
    EXPECT_EQ(time_text(pg_micros(1768485600123LL)), "2026-01-15T14:00:00.123Z");
    EXPECT_EQ(time_text(pg_micros(1768485600007LL)), "2026-01-15T14:00:00.007Z");
}

TEST(SeedSlotKeyText, MicrosecondsTruncateTowardThePast) {
    EXPECT_EQ(time_text(pg_micros(1768485600123LL, 999)), "2026-01-15T14:00:00.123Z");
    EXPECT_EQ(time_text(pg_micros(1768485600123LL, 1)), "2026-01-15T14:00:00.123Z");
    // Before 1970: -500 us is 1969-12-31T23:59:59.9995Z.
    EXPECT_EQ(time_text(pg_micros(0, -500)), "1969-12-31T23:59:59.999Z");
    EXPECT_EQ(time_text(pg_micros(0, -1)), "1969-12-31T23:59:59.999Z");
    EXPECT_EQ(time_text(pg_micros(0, -1000)), "1969-12-31T23:59:59.999Z");
    EXPECT_EQ(time_text(pg_micros(0, -1001)), "1969-12-31T23:59:59.998Z");
    // Before 2000 (negative PostgreSQL micros).
    EXPECT_EQ(time_text(-1), "1999-12-31T23:59:59.999Z");
    EXPECT_EQ(time_text(-1000), "1999-12-31T23:59:59.999Z");
    EXPECT_EQ(time_text(-1001), "1999-12-31T23:59:59.998Z");
}

TEST(SeedSlotKeyText, LeapDaysAndCenturies) {
    EXPECT_EQ(time_text(pg_micros(951782400000LL)), "2000-02-29T00:00:00.000Z");
    EXPECT_EQ(time_text(pg_micros(4107542400000LL)), "2100-03-01T00:00:00.000Z");
    EXPECT_EQ(time_text(pg_micros(7258118399999LL)), "2199-12-31T23:59:59.999Z");
}

TEST(SeedSlotKeyText, YearsOutside0000To9999AsJavaScriptWritesThem) {
    EXPECT_EQ(time_text(pg_micros(253402300800000LL)), "+010000-01-01T00:00:00.000Z");
    EXPECT_EQ(time_text(pg_micros(253402300799999LL)), "9999-12-31T23:59:59.999Z");
    EXPECT_EQ(time_text(pg_micros(-62167219200000LL)), "0000-01-01T00:00:00.000Z");
    EXPECT_EQ(time_text(pg_micros(-62167219200001LL)), "-000001-12-31T23:59:59.999Z");
    // The ends of JavaScript's Date range.
    EXPECT_EQ(time_text(pg_micros(-8640000000000000LL)), "-271821-04-20T00:00:00.000Z");
    EXPECT_EQ(time_text(pg_micros(8640000000000000LL)), "+275760-09-13T00:00:00.000Z");
}

TEST(SeedSlotKeyText, MatchesAnIndependentFormatter) {
    std::mt19937_64 rng(42);
    Org org;
    fill(org, 0x11);
    // JavaScript's Date range is +-8.64e15 ms around 1970.
    std::uniform_int_distribution<std::int64_t> any_ms(-8640000000000000LL, 8640000000000000LL);
    // 1960..2240, where bookings live, densely.
    std::uniform_int_distribution<std::int64_t> near_ms(-315619200000LL, 8520336000000LL);
    std::uniform_int_distribution<std::int64_t> sub_ms(0, 999);
    for (int i = 0; i < 3000; ++i) {
        const std::int64_t ms = (i % 3 == 0) ? any_ms(rng) : near_ms(rng);
        const Micros us = pg_micros(ms, sub_ms(rng));
        ASSERT_EQ(time_text(us), js_iso_reference(ms)) << "unix ms " << ms;
    }
}

TEST(SeedSlotKeyText, ExtremeTimestampsFitIn64Bytes) {
    Org org;
    fill(org, 0xff);
    // The largest starts_at whose Unix time is still representable, and the smallest.
    const Micros hi = kMax - kPostgresEpochInUnixMicros;
    const std::string hi_key = key_text(org, hi);
    EXPECT_EQ(hi_key.size(), kSeedSlotKeyMaxLength);
    EXPECT_EQ(hi_key.substr(37), js_iso_reference(floor_div_ref(kMax, 1000)));
    const std::string lo_key = key_text(org, kMin);
    EXPECT_EQ(lo_key.size(), kSeedSlotKeyMaxLength);
    EXPECT_EQ(lo_key.substr(37),
              js_iso_reference(floor_div_ref(kMin, 1000) + kPostgresEpochInUnixMicros / 1000));
}

TEST(SeedSlotKeyText, CapacityIsRespected) {
    Org org;
    fill(org, 0x11);
    const Micros t = pg_micros(1768485600000LL);
    const std::string expected = "11111111-1111-1111-1111-111111111111_2026-01-15T14:00:00.000Z";
    ASSERT_EQ(expected.size(), 61u);

    char buf[80];
    std::memset(buf, '#', sizeof(buf));
    EXPECT_EQ(seed_slot_key_text(org, t, buf, expected.size()), expected.size());
    EXPECT_EQ(std::string(buf, expected.size()), expected);
    EXPECT_EQ(buf[expected.size()], '#');

    // Too small: nothing written, 0 returned.
    std::memset(buf, '#', sizeof(buf));
    EXPECT_EQ(seed_slot_key_text(org, t, buf, expected.size() - 1), 0u);
    EXPECT_EQ(buf[0], '#');
    EXPECT_EQ(seed_slot_key_text(org, t, buf, 0), 0u);
    EXPECT_EQ(buf[0], '#');
}

// --- int64_from_big_endian ---------------------------------------------------

TEST(Int64FromBigEndian, SignBitPatterns) {
    const std::uint8_t min[8] = {0x80, 0, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(int64_from_big_endian(min), kMin);
    const std::uint8_t min_plus_one[8] = {0x80, 0, 0, 0, 0, 0, 0, 1};
    EXPECT_EQ(int64_from_big_endian(min_plus_one), kMin + 1);
    const std::uint8_t minus_one[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    EXPECT_EQ(int64_from_big_endian(minus_one), -1);
    const std::uint8_t minus_two[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};
    EXPECT_EQ(int64_from_big_endian(minus_two), -2);
    const std::uint8_t max[8] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    EXPECT_EQ(int64_from_big_endian(max), kMax);
}

TEST(Int64FromBigEndian, ByteOrder) {
    const std::uint8_t one[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    EXPECT_EQ(int64_from_big_endian(one), 1);
    const std::uint8_t seq[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    EXPECT_EQ(int64_from_big_endian(seq), 0x0102030405060708LL);
    const std::uint8_t zero[8] = {};
    EXPECT_EQ(int64_from_big_endian(zero), 0);
}

TEST(Int64FromBigEndian, ReadsTheFirstEightBytesOfADigest) {
    // SHA-256("abc"); Node: digest.readBigInt64BE(0) == -5010229573455851542.
    const std::uint8_t digest[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    };
    EXPECT_EQ(int64_from_big_endian(digest), -5010229573455851542LL);
}

TEST(Int64FromBigEndian, SeedExampleKey) {
    // SHA-256 of the example key text above, as the seed computed it with
    // Node: readBigInt64BE(0) == -652168292062614741.
    const std::uint8_t digest[8] = {0xf6, 0xf3, 0x08, 0x64, 0xc9, 0xd5, 0xab, 0x2b};
    EXPECT_EQ(int64_from_big_endian(digest), -652168292062614741LL);
}

// --- calendar_lock_key -------------------------------------------------------

TEST(CalendarLockKey, Deterministic) {
    Org org;
    fill(org, 0x11);
    EXPECT_EQ(calendar_lock_key(org, "dr-smith"), calendar_lock_key(org, "dr-smith"));
    Org copy;
    std::memcpy(copy, org, sizeof(org));
    EXPECT_EQ(calendar_lock_key(org, "dr-smith"), calendar_lock_key(copy, std::string("dr-smith")));
}

TEST(CalendarLockKey, DiffersForDifferentOrgs) {
    Org a, b;
    fill(a, 0x11);
    fill(b, 0x11);
    b[15] = 0x12;  // one bit apart
    EXPECT_NE(calendar_lock_key(a, "room-1"), calendar_lock_key(b, "room-1"));
    Org c;
    fill(c, 0x22);
    EXPECT_NE(calendar_lock_key(a, "room-1"), calendar_lock_key(c, "room-1"));
    b[15] = 0x11;
    b[0] = 0x91;  // first byte this time
    EXPECT_NE(calendar_lock_key(a, "room-1"), calendar_lock_key(b, "room-1"));
}

TEST(CalendarLockKey, DiffersForDifferentCalendars) {
    Org org;
    fill(org, 0x11);
    EXPECT_NE(calendar_lock_key(org, "room-1"), calendar_lock_key(org, "room-2"));
    EXPECT_NE(calendar_lock_key(org, "ab"), calendar_lock_key(org, "ba"));
    EXPECT_NE(calendar_lock_key(org, ""), calendar_lock_key(org, "a"));
    EXPECT_NE(calendar_lock_key(org, "a"), calendar_lock_key(org, std::string_view("a\0", 2)));
    EXPECT_NE(calendar_lock_key(org, "Room-1"), calendar_lock_key(org, "room-1"));
}

TEST(CalendarLockKey, NoCollisionsAmongManyCalendars) {
    std::set<std::uint64_t> keys;
    int n = 0;
    for (int o = 0; o < 20; ++o) {
        Org org;
        fill(org, 0x11);
        org[o % 16] = static_cast<std::uint8_t>(0x40 + o);
        for (int c = 0; c < 100; ++c) {
            keys.insert(calendar_lock_key(org, "calendar-" + std::to_string(c)));
            ++n;
        }
    }
    EXPECT_EQ(keys.size(), static_cast<std::size_t>(n));
}

// --- contact_lock_key --------------------------------------------------------

TEST(ContactLockKey, OneContactOneKeyOthersApart) {
    Org org;
    fill(org, 0x11);
    const std::string id = "c:22000000-0000-0000-00c0-000000000001";
    EXPECT_EQ(contact_lock_key(org, id), contact_lock_key(org, std::string_view(id)));
    EXPECT_NE(contact_lock_key(org, id), contact_lock_key(org, "c:22000000-0000-0000-00c0-000000000002"));
    EXPECT_NE(contact_lock_key(org, "p:15550100"), contact_lock_key(org, "p:15550101"));
    Org other;
    fill(other, 0x11);
    other[15] = 0x12;
    EXPECT_NE(contact_lock_key(org, id), contact_lock_key(other, id));
}

TEST(ContactLockKey, NoCollisionsAmongManyContacts) {
    std::set<std::uint64_t> keys;
    int n = 0;
    Org org;
    fill(org, 0x33);
    for (int c = 0; c < 5000; ++c) {
        keys.insert(contact_lock_key(org, "p:1555" + std::to_string(c)));
        ++n;
    }
    EXPECT_EQ(keys.size(), static_cast<std::size_t>(n));
}

}  // namespace
