#include "otp.hpp"

namespace booking::core::otp {

namespace {

std::uint32_t power_of_ten(int digits) {
    std::uint32_t p = 1;
    for (int i = 0; i < digits; ++i)
        p *= 10;
    return p;
}

bool is_separator(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '-' ||
           c == '.' || c == ',';
}

}  // namespace

bool code_from_random(std::uint32_t random, int digits, char *out) {
    if (digits < kMinDigits || digits > kMaxDigits)
        return false;
    const std::uint32_t modulus = power_of_ten(digits);
    // 2^32 - (2^32 mod m): the values below it split evenly into m classes.
    const std::uint64_t limit = (std::uint64_t{1} << 32) - ((std::uint64_t{1} << 32) % modulus);
    if (random >= limit)
        return false;
    std::uint32_t value = random % modulus;
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out[digits] = '\0';
    return true;
}

int clean_input(std::string_view raw, char *out) {
    int n = 0;
    for (char c : raw) {
        if (is_separator(c))
            continue;
        if (c < '0' || c > '9' || n >= kMaxDigits)
            return -1;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

bool well_formed(std::string_view cleaned, int digits) {
    if (static_cast<int>(cleaned.size()) != digits)
        return false;
    for (char c : cleaned) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

bool is_issued_form(std::string_view code) {
    if (code.size() < static_cast<std::size_t>(kMinDigits) ||
        code.size() > static_cast<std::size_t>(kMaxDigits))
        return false;
    for (char c : code) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

std::size_t mac_message(const std::uint8_t (&org_id)[16], const std::uint8_t (&hold_id)[16],
                        std::string_view code, std::uint8_t *out) {
    std::size_t n = 0;
    for (std::uint8_t b : org_id)
        out[n++] = b;
    for (std::uint8_t b : hold_id)
        out[n++] = b;
    for (std::size_t i = 0; i < code.size() && i < static_cast<std::size_t>(kMaxDigits); ++i)
        out[n++] = static_cast<std::uint8_t>(code[i]);
    return n;
}

bool constant_time_equal(const std::uint8_t *a, const std::uint8_t *b, std::size_t n) {
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < n; ++i)
        diff = static_cast<std::uint8_t>(diff | (a[i] ^ b[i]));
    return diff == 0;
}

SendVerdict decide_send(int sends_so_far, bool sent_before, Micros last_sent_at, Micros now,
                        const SendPolicy &policy, Micros *retry_after) {
    if (sends_so_far >= policy.max_sends)
        return SendVerdict::limit_reached;
    if (sent_before && now - last_sent_at < policy.resend_interval) {
        if (retry_after != nullptr)
            *retry_after = policy.resend_interval - (now - last_sent_at);
        return SendVerdict::too_soon;
    }
    return SendVerdict::send;
}

SendCount give_back_send(const SendCount &now, bool has_previous, Micros previous) {
    const int sends = now.sends > 0 ? now.sends - 1 : 0;
    if (sends == 0)
        return {0, false, 0};
    if (has_previous)
        return {sends, true, previous};
    return {sends, now.sent_before, now.last_sent_at};
}

bool miss_locks_hold(int misses_including_this, int max_attempts) {
    return misses_including_this >= max_attempts;
}

int attempts_left(int misses, int max_attempts) {
    return misses >= max_attempts ? 0 : max_attempts - misses;
}

}  // namespace booking::core::otp
