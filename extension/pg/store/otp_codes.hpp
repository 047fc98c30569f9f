// Every SQL statement on one-time codes. The code's keyed hash lives in
// booking.otp_codes, which no tenant role can read; the counters an agent
// may see (sends, attempts, verified_at) live on the reservation row.
#pragma once

#include "pg/call/call_scope.hpp"
#include "pg/call/plain_data.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/otp_key.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

// A hold's code as stored: its keyed hash, the key's fingerprint, and its
// length, so it is verified in exactly the form it was issued whatever
// booking.otp_digits says later.
struct StoredCode {
    uint8 mac[kOtpMacLength];
    uint8 key_id[kOtpKeyIdLength];
    int digits;
    TimestampTz expires_at;
};
BOOKING_PLAIN_DATA(StoredCode);

// A code was sent: stores it, replacing any earlier one, counts the send on
// the hold and writes the audit row, in one statement.
void record_code_sent(const CallContext *ctx, const pg_uuid_t *hold_id, const StoredCode &code,
                      PendingAudit *sent);

// The hold's current code; false when none was issued.
bool find_otp_code(const CallContext *ctx, const pg_uuid_t *hold_id, StoredCode *out);
void delete_otp_code(const CallContext *ctx, const pg_uuid_t *hold_id);

// Deletes up to limit codes that have lapsed (of one organisation, or all).
int delete_lapsed_codes(const CallContext *ctx, const pg_uuid_t *org_id, int limit);

// Writes the miss count; lock moves the hold to requires_manual_followup.
void record_otp_misses(const CallContext *ctx, const pg_uuid_t *hold_id, int misses, bool lock);
// Misses so far: the row's count, or the shared ledger's when a rolled-back
// transaction hid misses from the row (shared/shared_state.hpp).
int misses_so_far(const CallContext *ctx, const Reservation &r);
// A matching code: the hold becomes the appointment, with verified_at; the
// code is deleted; the attempt's and the confirmation's audit rows (of one
// actor) are written; in one statement.
void record_code_match(const CallContext *ctx, const pg_uuid_t *hold_id,
                       const pg_uuid_t *contact_id, const char *service_type,
                       PendingAudit *attempt, PendingAudit *confirmed);

}  // namespace booking::pg
