// The keyed hash under which a one-time code is stored and checked:
// HMAC-SHA-256 (PostgreSQL's own) over the org id, the hold id and the code.
// The key is booking.otp_key when a superuser set it, else a random key made
// once per database and kept in booking.otp_secret, which only the tables'
// owner can read. Changing either key makes codes already sent unusable
// (callers ask for a new one); see the README on rotating it.
#pragma once

#include "pg/call/call_scope.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

constexpr int kOtpMacLength = 32;
constexpr int kOtpKeyIdLength = 8;

// The key in force, and a fingerprint of it stored with each code, so a code
// issued under an earlier key is recognised as such (and answered "expired",
// not counted as a wrong guess) after a rotation.
struct OtpKey {
    const uint8 *bytes;
    size_t length;
    uint8 id[kOtpKeyIdLength];
};
BOOKING_PLAIN_DATA(OtpKey);

OtpKey current_otp_key();

void otp_mac(const CallContext *ctx, const OtpKey &key, const pg_uuid_t *hold_id,
             const char *code, uint8 out[kOtpMacLength]);

}  // namespace booking::pg
