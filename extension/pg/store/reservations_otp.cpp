// The statements of a hold's verification (store/reservations.hpp): each
// changes the reservation row and, in the same statement, its code (issued,
// withdrawn, matched) and the audit log (each statement a call runs costs an
// executor start-up, a snapshot and a plan check).
#include "pg/kernel/datums.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/shared/shared_state.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

namespace {

// The three writes of a sent code in one statement (each statement a call
// runs costs an executor start-up, a snapshot and a plan check). The code
// records the hold's last send time before it ($12), which withdraw_otp puts
// back.
Statement code_sent = {
    "WITH code AS ("
    "  INSERT INTO booking.otp_codes (org_id, hold_id, code_mac, key_id, digits, issued_at,"
    "  expires_at, previous_sent_at) VALUES ($1, $2, $3, $4, $11, $5, $6, $12)"
    "  ON CONFLICT (org_id, hold_id) DO UPDATE"
    "  SET code_mac = EXCLUDED.code_mac, key_id = EXCLUDED.key_id, digits = EXCLUDED.digits,"
    "  issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at,"
    "  previous_sent_at = EXCLUDED.previous_sent_at),"
    " logged AS ("
    "  INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details)"
    "  VALUES ($1, $7, $5, $8, $2, $9, $10))"
    "UPDATE booking.reservations SET otp_sent_at = $5, otp_sends = otp_sends + 1, "
    "updated_at = $5 WHERE org_id = $1 AND id = $2",
    12,
    {UUIDOID, UUIDOID, BYTEAOID, BYTEAOID, TIMESTAMPTZOID, TIMESTAMPTZOID, UUIDOID, TEXTOID,
     TEXTOID, JSONBOID, INT2OID, TIMESTAMPTZOID},
    nullptr};

// The three writes of a withdrawn code in one statement, as code_sent: the
// code goes, the hold's sends are what the core gave back ($3, $4), and the
// audit row. The caller holds the reservation's row lock and the code's.
Statement code_withdrawn = {
    "WITH gone AS (DELETE FROM booking.otp_codes WHERE org_id = $1 AND hold_id = $2),"
    " logged AS ("
    "  INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details)"
    "  VALUES ($1, $6, $5, $7, $2, $8, $9))"
    "UPDATE booking.reservations SET otp_sends = $3, otp_sent_at = $4, updated_at = $5 "
    "WHERE org_id = $1 AND id = $2",
    9,
    {UUIDOID, UUIDOID, INT4OID, TIMESTAMPTZOID, TIMESTAMPTZOID, UUIDOID, TEXTOID, TEXTOID,
     JSONBOID},
    nullptr};

Statement misses_stmt = {"UPDATE booking.reservations SET otp_attempts = $3, updated_at = $4 "
                         "WHERE org_id = $1 AND id = $2",
                         4,
                         {UUIDOID, UUIDOID, INT4OID, TIMESTAMPTZOID},
                         nullptr};

Statement lock_stmt = {
    "UPDATE booking.reservations SET otp_attempts = $3, updated_at = $4, "
    "status = 'requires_manual_followup', status_reason = 'otp_attempts' "
    "WHERE org_id = $1 AND id = $2",
    4,
    {UUIDOID, UUIDOID, INT4OID, TIMESTAMPTZOID},
    nullptr};

// The four writes of a matching code in one statement, as code_sent.
Statement verified = {
    "WITH gone AS (DELETE FROM booking.otp_codes WHERE org_id = $1 AND hold_id = $2),"
    " logged AS ("
    "  INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details)"
    "  VALUES ($1, $6, $3, $7, $2, $10, $11), ($1, $8, $3, $9, $2, $10, $12))"
    "UPDATE booking.reservations SET status = 'confirmed', verified_at = $3, confirmed_at = $3, "
    "updated_at = $3, expires_at = NULL, contact_id = COALESCE($4, contact_id), "
    "service_type = COALESCE($5, service_type) WHERE org_id = $1 AND id = $2",
    12,
    {UUIDOID, UUIDOID, TIMESTAMPTZOID, UUIDOID, TEXTOID, UUIDOID, TEXTOID, UUIDOID, TEXTOID,
     TEXTOID, JSONBOID, JSONBOID},
    nullptr};

bytea *to_bytea(const uint8 *bytes, int len) {
    bytea *b = static_cast<bytea *>(palloc(VARHDRSZ + len));
    SET_VARSIZE(b, VARHDRSZ + len);
    memcpy(VARDATA(b), bytes, len);
    return b;
}

}  // namespace

void record_code_sent(const CallContext *ctx, const pg_uuid_t *hold_id, const StoredCode &code,
                      PendingAudit *sent) {
    char nulls[13] = "            ";
    Datum values[12] = {uuid_datum(ctx->org_id),
                        uuid_datum(hold_id),
                        PointerGetDatum(to_bytea(code.mac, kOtpMacLength)),
                        PointerGetDatum(to_bytea(code.key_id, kOtpKeyIdLength)),
                        TimestampTzGetDatum(ctx->now),
                        TimestampTzGetDatum(code.expires_at),
                        UUIDPGetDatum(&sent->id),
                        sent->action_value,
                        sent->actor_value,
                        sent->details_value,
                        Int16GetDatum(static_cast<int16>(code.digits)),
                        TimestampTzGetDatum(code.previous_sent_at)};
    if (!code.has_previous_sent_at)
        nulls[11] = 'n';
    run(code_sent, values, nulls);
    audited(*sent);
}

void record_code_withdrawn(const CallContext *ctx, const pg_uuid_t *hold_id,
                           const core::otp::SendCount &after, PendingAudit *withdrawn) {
    char nulls[10] = "         ";
    Datum values[9] = {uuid_datum(ctx->org_id),
                       uuid_datum(hold_id),
                       Int32GetDatum(after.sends),
                       TimestampTzGetDatum(after.last_sent_at),
                       TimestampTzGetDatum(ctx->now),
                       UUIDPGetDatum(&withdrawn->id),
                       withdrawn->action_value,
                       withdrawn->actor_value,
                       withdrawn->details_value};
    if (!after.sent_before)
        nulls[3] = 'n';
    run(code_withdrawn, values, nulls);
    audited(*withdrawn);
}

int misses_so_far(const CallContext *ctx, const Reservation &r) {
    int ledger = shared::otp_misses(&r.id, ctx->now);
    return ledger > r.otp_attempts ? ledger : r.otp_attempts;
}

void record_otp_misses(const CallContext *ctx, const pg_uuid_t *hold_id, int misses, bool lock) {
    Datum values[4] = {uuid_datum(ctx->org_id), uuid_datum(hold_id), Int32GetDatum(misses),
                       TimestampTzGetDatum(ctx->now)};
    run(lock ? lock_stmt : misses_stmt, values, nullptr);
}

void record_code_match(const CallContext *ctx, const pg_uuid_t *hold_id,
                       const pg_uuid_t *contact_id, const char *service_type,
                       PendingAudit *attempt, PendingAudit *confirmed) {
    char nulls[13] = "            ";
    Datum values[12] = {uuid_datum(ctx->org_id),
                        uuid_datum(hold_id),
                        TimestampTzGetDatum(ctx->now),
                        contact_id ? uuid_datum(contact_id) : (Datum)0,
                        service_type ? CStringGetTextDatum(service_type) : (Datum)0,
                        UUIDPGetDatum(&attempt->id),
                        attempt->action_value,
                        UUIDPGetDatum(&confirmed->id),
                        confirmed->action_value,
                        attempt->actor_value,
                        attempt->details_value,
                        confirmed->details_value};
    if (contact_id == nullptr)
        nulls[3] = 'n';
    if (service_type == nullptr)
        nulls[4] = 'n';
    run(verified, values, nulls);
    audited(*attempt);
    audited(*confirmed);
}

}  // namespace booking::pg
