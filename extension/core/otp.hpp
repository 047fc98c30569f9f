// One-time codes that verify a caller owns the phone a hold names.
//
// The code is drawn uniformly (no modulo bias), sent by the caller's SMS
// sender, and never stored: only a keyed hash of (org, hold, code) is kept,
// so a leaked table reveals nothing and a hash cannot be replayed on another
// hold. What a caller types is cleaned the way a voice transcript arrives
// ("12 34", "1-2-3-4", "1, 2, 3, 4") and compared in constant time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "time_range.hpp"

namespace booking::core::otp {

constexpr int kMinDigits = 4;
constexpr int kMaxDigits = 8;

// Turns a uniform 32-bit value into a code of `digits` digits (written to out
// with a terminating NUL; out holds digits + 1 bytes). Values at or above the
// largest multiple of 10^digits below 2^32 are rejected so every code is
// equally likely: on false, draw again (it happens at most ~0.07% of draws for
// 8 digits, less for fewer).
bool code_from_random(std::uint32_t random, int digits, char *out);

// Drops spaces and other ASCII whitespace, dashes, dots and commas. Returns
// the cleaned length, or -1 when anything else appears or more than
// kMaxDigits digits remain (out holds kMaxDigits + 1 bytes, NUL-terminated).
int clean_input(std::string_view raw, char *out);

// A cleaned input is a well-formed code when it has exactly `digits` digits.
bool well_formed(std::string_view cleaned, int digits);

// A code as issue_otp answered it, character for character: kMinDigits to
// kMaxDigits ASCII digits, nothing else (what withdraw_otp takes back comes
// from the SMS sender, not from a transcript).
bool is_issued_form(std::string_view code);

// The bytes the keyed hash covers: org id, hold id, then the code's digits.
constexpr std::size_t kMessageMax = 16 + 16 + kMaxDigits;
std::size_t mac_message(const std::uint8_t (&org_id)[16], const std::uint8_t (&hold_id)[16],
                        std::string_view code, std::uint8_t *out);

// Compares without an early exit, so the time taken says nothing about how
// many leading bytes matched.
bool constant_time_equal(const std::uint8_t *a, const std::uint8_t *b, std::size_t n);

enum class SendVerdict { send, too_soon, limit_reached };

struct SendPolicy {
    int max_sends;
    Micros resend_interval;
};

// Sends per hold are limited and spaced; retry_after (when too_soon) says when
// the next send will be accepted.
SendVerdict decide_send(int sends_so_far, bool sent_before, Micros last_sent_at, Micros now,
                        const SendPolicy &policy, Micros *retry_after);

// A hold's sends as its row keeps them: how many, and when the last was.
struct SendCount {
    int sends;
    bool sent_before;
    Micros last_sent_at;
};

// A code whose SMS could not be sent, taken back (withdraw_otp): the send is
// given back, so the hold is as it was before that code was issued: one send
// fewer, and the last send's time the one before it, none after a first
// send (then no resend wait either). previous is what the hold's last send
// time was when the code was issued, recorded with it (has_previous false:
// none). A code issued before release 0.3 recorded nothing, which reads as
// none: for a later send that would lift the wait of sends that did go out,
// so then the time stays (the wait is kept, the count given back).
SendCount give_back_send(const SendCount &now, bool has_previous, Micros previous);

// A miss is counted; the miss that reaches max_attempts locks the hold for
// staff (requires_manual_followup).
bool miss_locks_hold(int misses_including_this, int max_attempts);
int attempts_left(int misses, int max_attempts);

}  // namespace booking::core::otp
