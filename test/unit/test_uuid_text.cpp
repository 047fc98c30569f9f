// core/uuid_text.hpp: canonical UUID text, and the forms uuid_in accepts.
#include "core/uuid_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>

namespace {

using booking::core::format_uuid;
using booking::core::parse_uuid;

constexpr std::uint8_t kSample[16] = {0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8,
                                      0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11};
constexpr const char *kSampleText = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";

std::string format(const std::uint8_t (&uuid)[16]) {
    char buf[40];
    std::memset(buf, '#', sizeof(buf));
    format_uuid(uuid, buf);
    // Exactly 36 characters, no terminator.
    EXPECT_EQ(buf[36], '#');
    return std::string(buf, 36);
}

bool parses_to_sample(const std::string &text) {
    std::uint8_t out[16] = {};
    if (!parse_uuid(text, out))
        return false;
    return std::memcmp(out, kSample, 16) == 0;
}

bool parses(const std::string &text) {
    std::uint8_t out[16] = {};
    return parse_uuid(text, out);
}

TEST(FormatUuid, CanonicalLowerCase) {
    EXPECT_EQ(format(kSample), kSampleText);
    const std::uint8_t seq[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    EXPECT_EQ(format(seq), "01234567-89ab-cdef-0123-456789abcdef");
}

TEST(FormatUuid, AllZeroAndAllOnes) {
    std::uint8_t zero[16] = {};
    EXPECT_EQ(format(zero), "00000000-0000-0000-0000-000000000000");
    std::uint8_t ones[16];
    std::memset(ones, 0xff, sizeof(ones));
    EXPECT_EQ(format(ones), "ffffffff-ffff-ffff-ffff-ffffffffffff");
}

TEST(ParseUuid, CanonicalForm) { EXPECT_TRUE(parses_to_sample(kSampleText)); }

// The input forms PostgreSQL documents for the uuid type.
TEST(ParseUuid, FormsPostgresAccepts) {
    EXPECT_TRUE(parses_to_sample("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"));
    EXPECT_TRUE(parses_to_sample("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"));
    EXPECT_TRUE(parses_to_sample("a0eebc999c0b4ef8bb6d6bb9bd380a11"));
    EXPECT_TRUE(parses_to_sample("a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"));
    EXPECT_TRUE(parses_to_sample("{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}"));
    EXPECT_TRUE(parses_to_sample("{A0EEBC999C0B4EF8BB6D6BB9BD380A11}"));
    EXPECT_TRUE(parses_to_sample("a0EeBc99-9C0b-4eF8-bB6d-6bb9BD380a11"));
}

TEST(ParseUuid, HyphenAfterAnyGroupOfFour) {
    const std::string hex = "a0eebc999c0b4ef8bb6d6bb9bd380a11";
    for (std::size_t pos = 4; pos < 32; pos += 4) {
        std::string text = hex;
        text.insert(pos, "-");
        EXPECT_TRUE(parses_to_sample(text)) << text;
    }
}

TEST(ParseUuid, WrongLength) {
    EXPECT_FALSE(parses(""));
    EXPECT_FALSE(parses("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1"));    // 31 digits
    EXPECT_FALSE(parses("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111"));  // 33 digits
    EXPECT_FALSE(parses("a0eebc999c0b4ef8bb6d6bb9bd380a1"));
    EXPECT_FALSE(parses("a0eebc999c0b4ef8bb6d6bb9bd380a11a0"));
    EXPECT_FALSE(parses("{}"));
    EXPECT_FALSE(parses("{"));
    EXPECT_FALSE(parses("}"));
}

TEST(ParseUuid, BadHex) {
    EXPECT_FALSE(parses("g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    EXPECT_FALSE(parses("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1z"));
    EXPECT_FALSE(parses("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1 "));
    EXPECT_FALSE(parses(" a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    EXPECT_FALSE(parses("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 "));
    EXPECT_FALSE(parses("a0eebc99_9c0b_4ef8_bb6d_6bb9bd380a11"));
    EXPECT_FALSE(parses(std::string("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1\0", 36)));
}

TEST(ParseUuid, MisplacedHyphen) {
    EXPECT_FALSE(parses("a0eeb-c99-9c0b-4ef8-bb6d-6bb9bd380a11"));  // after 5 digits
    EXPECT_FALSE(parses("a0eebc9-99c0b-4ef8-bb6d-6bb9bd380a11"));   // after 7 digits
    EXPECT_FALSE(parses("-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));  // leading
    EXPECT_FALSE(parses("a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11"));  // doubled
    EXPECT_FALSE(parses("{-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"));
    const std::string hex = "a0eebc999c0b4ef8bb6d6bb9bd380a11";
    for (std::size_t pos = 1; pos < 32; ++pos) {
        if (pos % 4 == 0)
            continue;
        std::string text = hex;
        text.insert(pos, "-");
        EXPECT_FALSE(parses(text)) << text;
    }
}

TEST(ParseUuid, TrailingHyphen) {
    EXPECT_FALSE(parses("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-"));
    EXPECT_FALSE(parses("a0eebc999c0b4ef8bb6d6bb9bd380a11-"));
    EXPECT_FALSE(parses("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-}"));
}

TEST(ParseUuid, UnbalancedOrMisplacedBraces) {
    EXPECT_FALSE(parses("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    EXPECT_FALSE(parses("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"));
    EXPECT_FALSE(parses("{{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}}"));
    EXPECT_FALSE(parses("(a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11)"));
    EXPECT_FALSE(parses("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}x"));
    // An opening brace needs a closing one, not any last character.
    EXPECT_FALSE(parses("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11a"));
    EXPECT_FALSE(parses("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11)"));
}

TEST(ParseUuid, RoundTripsFormat) {
    std::mt19937_64 rng(20260115);
    for (int n = 0; n < 500; ++n) {
        std::uint8_t uuid[16];
        for (auto &b : uuid)
            b = static_cast<std::uint8_t>(rng());
        const std::string text = format(uuid);
        std::uint8_t back[16] = {};
        ASSERT_TRUE(parse_uuid(text, back)) << text;
        ASSERT_EQ(std::memcmp(uuid, back, 16), 0) << text;
    }
}

}  // namespace
