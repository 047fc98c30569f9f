// The statements on booking.otp_codes alone. The code's keyed hash lives
// there, where no tenant role can read it; the counters an agent may see
// (sends, attempts, verified_at) live on the reservation row, and the
// statements that change both are the reservation store's
// (store/reservations.hpp).
#pragma once

#include "pg/call/call_scope.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/store/otp_key.hpp"

namespace booking::pg {

// A hold's code as stored: its keyed hash, the key's fingerprint, and its
// length, so it is verified in exactly the form it was issued whatever
// booking.otp_digits says later; and the hold's last send time before it
// (from release 0.3), which withdrawing it puts back.
struct StoredCode {
    uint8 mac[kOtpMacLength];
    uint8 key_id[kOtpKeyIdLength];
    int digits;
    TimestampTz expires_at;
    bool has_previous_sent_at;  // false: none recorded (a first send, or before 0.3)
    TimestampTz previous_sent_at;
};
BOOKING_PLAIN_DATA(StoredCode);

// The hold's current code; false when none was issued. previous_sent_at is
// not read (verification does not need it).
bool find_otp_code(const CallContext *ctx, const pg_uuid_t *hold_id, StoredCode *out);
// The same with previous_sent_at, the row locked (the sweep of lapsed codes
// skips it): what withdraw_otp checks and takes back.
bool find_otp_code_to_withdraw(const CallContext *ctx, const pg_uuid_t *hold_id,
                               StoredCode *out);
void delete_otp_code(const CallContext *ctx, const pg_uuid_t *hold_id);

// Deletes up to limit codes that have lapsed (of one organisation, or all).
int delete_lapsed_codes(const CallContext *ctx, const pg_uuid_t *org_id, int limit);

}  // namespace booking::pg
