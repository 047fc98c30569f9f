// One-time codes: uniform generation, transcript cleaning, constant-time
// comparison, send limits, a withdrawn send given back, and the lockout rule.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <string>

#include "core/otp.hpp"

namespace otp = booking::core::otp;
using booking::core::Micros;

namespace {

std::string code_of(std::uint32_t random, int digits) {
    char out[otp::kMaxDigits + 1];
    if (!otp::code_from_random(random, digits, out))
        return "<rejected>";
    return out;
}

std::string cleaned(const std::string &raw) {
    char out[otp::kMaxDigits + 1];
    int n = otp::clean_input(raw, out);
    return n < 0 ? "<invalid>" : std::string(out, static_cast<std::size_t>(n));
}

}  // namespace

TEST(OtpCode, KeepsLeadingZeros) {
    EXPECT_EQ(code_of(7, 4), "0007");
    EXPECT_EQ(code_of(0, 6), "000000");
    EXPECT_EQ(code_of(123456789, 8), "23456789");
}

TEST(OtpCode, RejectsTheBiasedTail) {
    // 2^32 = 4294967296; the largest multiple of 10^4 below it is 4294960000.
    EXPECT_EQ(code_of(4294959999u, 4), "9999");
    EXPECT_EQ(code_of(4294960000u, 4), "<rejected>");
    EXPECT_EQ(code_of(4294967295u, 4), "<rejected>");
    // For 8 digits the accepted range ends at 4200000000.
    EXPECT_EQ(code_of(4199999999u, 8), "99999999");
    EXPECT_EQ(code_of(4200000000u, 8), "<rejected>");
}

TEST(OtpCode, RefusesDigitCountsOutsideFourToEight) {
    EXPECT_EQ(code_of(1234, 3), "<rejected>");
    EXPECT_EQ(code_of(1234, 9), "<rejected>");
}

TEST(OtpCode, EveryCodeEquallyLikelyOverTheAcceptedRange) {
    // Walking the accepted values in blocks of 10^4 hits each code exactly
    // once per block: no code is favoured.
    std::array<int, 10> first_digit{};
    const std::uint32_t limit = 4294960000u;
    for (std::uint32_t v = limit - 100000; v < limit; ++v)
        ++first_digit[static_cast<std::size_t>(code_of(v, 4)[0] - '0')];
    for (int count : first_digit)
        EXPECT_EQ(count, 10000);
}

TEST(OtpInput, DropsTranscriptSeparators) {
    EXPECT_EQ(cleaned("1234"), "1234");
    EXPECT_EQ(cleaned("12 34"), "1234");
    EXPECT_EQ(cleaned("1-2-3-4"), "1234");
    EXPECT_EQ(cleaned("1. 2. 3. 4."), "1234");
    EXPECT_EQ(cleaned("1, 2, 3, 4"), "1234");
    EXPECT_EQ(cleaned("\t 12\n34 "), "1234");
    EXPECT_EQ(cleaned(""), "");
}

TEST(OtpInput, RefusesAnythingElse) {
    EXPECT_EQ(cleaned("12a4"), "<invalid>");
    EXPECT_EQ(cleaned("one two"), "<invalid>");
    EXPECT_EQ(cleaned("12_34"), "<invalid>");
    EXPECT_EQ(cleaned("123456789"), "<invalid>");  // more digits than any code
    EXPECT_EQ(cleaned("12345678"), "12345678");
}

TEST(OtpInput, WellFormedMeansExactlyTheConfiguredDigits) {
    EXPECT_TRUE(otp::well_formed("1234", 4));
    EXPECT_FALSE(otp::well_formed("123", 4));
    EXPECT_FALSE(otp::well_formed("12345", 4));
    EXPECT_TRUE(otp::well_formed("123456", 6));
    EXPECT_FALSE(otp::well_formed("12a4", 4));
}

TEST(OtpMessage, BindsTheCodeToTheOrganisationAndHold) {
    const std::uint8_t org[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    std::uint8_t hold[16] = {};
    hold[15] = 0xff;
    std::uint8_t out[otp::kMessageMax];
    std::size_t n = otp::mac_message(org, hold, "0420", out);
    ASSERT_EQ(n, 36u);
    EXPECT_EQ(std::memcmp(out, org, 16), 0);
    EXPECT_EQ(std::memcmp(out + 16, hold, 16), 0);
    EXPECT_EQ(std::string(reinterpret_cast<char *>(out + 32), 4), "0420");
}

TEST(OtpCompare, EqualOnlyWhenEveryByteIs) {
    const std::uint8_t a[4] = {1, 2, 3, 4};
    const std::uint8_t b[4] = {1, 2, 3, 4};
    const std::uint8_t c[4] = {1, 2, 3, 5};
    const std::uint8_t d[4] = {0, 2, 3, 4};
    EXPECT_TRUE(otp::constant_time_equal(a, b, 4));
    EXPECT_FALSE(otp::constant_time_equal(a, c, 4));
    EXPECT_FALSE(otp::constant_time_equal(a, d, 4));
    EXPECT_TRUE(otp::constant_time_equal(a, c, 3));
}

TEST(OtpSend, LimitedAndSpaced) {
    const otp::SendPolicy policy{5, 30'000'000};
    Micros retry = -1;
    EXPECT_EQ(otp::decide_send(0, false, 0, 1'000'000, policy, &retry), otp::SendVerdict::send);
    EXPECT_EQ(otp::decide_send(1, true, 1'000'000, 11'000'000, policy, &retry),
              otp::SendVerdict::too_soon);
    EXPECT_EQ(retry, 20'000'000);
    EXPECT_EQ(otp::decide_send(1, true, 1'000'000, 31'000'000, policy, &retry),
              otp::SendVerdict::send);
    EXPECT_EQ(otp::decide_send(5, true, 0, 999'000'000, policy, &retry),
              otp::SendVerdict::limit_reached);
    // The limit wins over the spacing.
    EXPECT_EQ(otp::decide_send(5, true, 1'000'000, 2'000'000, policy, &retry),
              otp::SendVerdict::limit_reached);
}

TEST(OtpWithdraw, TakesOnlyTheIssuedForm) {
    EXPECT_TRUE(otp::is_issued_form("0042"));
    EXPECT_TRUE(otp::is_issued_form("12345678"));
    EXPECT_FALSE(otp::is_issued_form("123"));
    EXPECT_FALSE(otp::is_issued_form("123456789"));
    EXPECT_FALSE(otp::is_issued_form("12 34"));
    EXPECT_FALSE(otp::is_issued_form("12-34"));
    EXPECT_FALSE(otp::is_issued_form("12a4"));
    EXPECT_FALSE(otp::is_issued_form(""));
    EXPECT_FALSE(otp::is_issued_form(std::string("12\0" "4", 4)));
}

TEST(OtpWithdraw, AFirstSendGivenBackLeavesNoSendAndNoWait) {
    const otp::SendCount after = otp::give_back_send({1, true, 5'000'000}, false, 0);
    EXPECT_EQ(after.sends, 0);
    EXPECT_FALSE(after.sent_before);
    // So the next send is not too soon.
    const otp::SendPolicy policy{5, 30'000'000};
    EXPECT_EQ(otp::decide_send(after.sends, after.sent_before, after.last_sent_at, 5'000'001,
                               policy, nullptr),
              otp::SendVerdict::send);
}

TEST(OtpWithdraw, ALaterSendGivenBackRestoresTheOneBefore) {
    const otp::SendCount after = otp::give_back_send({3, true, 90'000'000}, true, 40'000'000);
    EXPECT_EQ(after.sends, 2);
    EXPECT_TRUE(after.sent_before);
    EXPECT_EQ(after.last_sent_at, 40'000'000);
    // The wait is the earlier send's: over by 70 s, not 120 s.
    const otp::SendPolicy policy{5, 30'000'000};
    Micros retry = -1;
    EXPECT_EQ(otp::decide_send(after.sends, after.sent_before, after.last_sent_at, 60'000'000,
                               policy, &retry),
              otp::SendVerdict::too_soon);
    EXPECT_EQ(retry, 10'000'000);
    EXPECT_EQ(otp::decide_send(after.sends, after.sent_before, after.last_sent_at, 70'000'000,
                               policy, &retry),
              otp::SendVerdict::send);
}

TEST(OtpWithdraw, ACodeThatRecordedNoEarlierTimeKeepsTheWaitOfALaterSend) {
    // Issued before release 0.3, a resend recorded no earlier time: the count
    // is given back, the time stays.
    const otp::SendCount after = otp::give_back_send({2, true, 90'000'000}, false, 0);
    EXPECT_EQ(after.sends, 1);
    EXPECT_TRUE(after.sent_before);
    EXPECT_EQ(after.last_sent_at, 90'000'000);
}

TEST(OtpWithdraw, NeverBelowZero) {
    const otp::SendCount after = otp::give_back_send({0, false, 0}, true, 1);
    EXPECT_EQ(after.sends, 0);
    EXPECT_FALSE(after.sent_before);
}

TEST(OtpLockout, TheLastAllowedMissLocks) {
    EXPECT_FALSE(otp::miss_locks_hold(1, 3));
    EXPECT_FALSE(otp::miss_locks_hold(2, 3));
    EXPECT_TRUE(otp::miss_locks_hold(3, 3));
    EXPECT_TRUE(otp::miss_locks_hold(4, 3));
    EXPECT_EQ(otp::attempts_left(0, 3), 3);
    EXPECT_EQ(otp::attempts_left(2, 3), 1);
    EXPECT_EQ(otp::attempts_left(5, 3), 0);
}
