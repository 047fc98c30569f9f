#include "otp_store.hpp"

#include "statement.hpp"

namespace booking::pg {

namespace {

// The three writes of a sent code in one statement (each statement a call
// runs costs an executor start-up, a snapshot and a plan check).
Statement code_sent = {
    "WITH code AS ("
    "  INSERT INTO booking.otp_codes (org_id, hold_id, code_mac, key_id, digits, issued_at,"
    "  expires_at) VALUES ($1, $2, $3, $4, $11, $5, $6) ON CONFLICT (org_id, hold_id) DO UPDATE"
    "  SET code_mac = EXCLUDED.code_mac, key_id = EXCLUDED.key_id, digits = EXCLUDED.digits,"
    "  issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at),"
    " logged AS ("
    "  INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details)"
    "  VALUES ($1, $7, $5, $8, $2, $9, $10))"
    "UPDATE booking.reservations SET otp_sent_at = $5, otp_sends = otp_sends + 1, "
    "updated_at = $5 WHERE org_id = $1 AND id = $2",
    11,
    {UUIDOID, UUIDOID, BYTEAOID, BYTEAOID, TIMESTAMPTZOID, TIMESTAMPTZOID, UUIDOID, TEXTOID,
     TEXTOID, JSONBOID, INT2OID},
    nullptr};

Statement find_code = {"SELECT code_mac, expires_at, key_id, digits FROM booking.otp_codes "
                       "WHERE org_id = $1 AND hold_id = $2",
                       2,
                       {UUIDOID, UUIDOID},
                       nullptr};

Statement delete_code = {"DELETE FROM booking.otp_codes WHERE org_id = $1 AND hold_id = $2",
                         2,
                         {UUIDOID, UUIDOID},
                         nullptr};

// By ctid, as the hold sweep does, so the batch is one index range scan
// however the generic plan turns out; a code being verified right now is
// skipped rather than waited for (the next sweep takes it).
Statement lapsed_codes = {
    "DELETE FROM booking.otp_codes WHERE ctid = ANY (ARRAY("
    "  SELECT ctid FROM booking.otp_codes"
    "  WHERE expires_at <= $1 AND ($3::uuid IS NULL OR org_id = $3)"
    "  ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)) AND expires_at <= $1",
    3,
    {TIMESTAMPTZOID, INT4OID, UUIDOID},
    nullptr};

// One organisation's by key, for Citus (see reservation_store.cpp).
Statement lapsed_codes_of_org = {
    "DELETE FROM booking.otp_codes WHERE org_id = $3 AND hold_id IN ("
    "  SELECT hold_id FROM booking.otp_codes WHERE org_id = $3 AND expires_at <= $1"
    "  ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED) AND expires_at <= $1",
    3,
    {TIMESTAMPTZOID, INT4OID, UUIDOID},
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

Datum uuid_datum(const pg_uuid_t *u) { return UUIDPGetDatum(const_cast<pg_uuid_t *>(u)); }

bytea *to_bytea(const uint8 *bytes, int len) {
    bytea *b = static_cast<bytea *>(palloc(VARHDRSZ + len));
    SET_VARSIZE(b, VARHDRSZ + len);
    memcpy(VARDATA(b), bytes, len);
    return b;
}

bool read_bytes(int col, uint8 *out, int len) {
    bool isnull;
    Datum d = column(0, col, &isnull);
    if (isnull)
        return false;
    bytea *b = DatumGetByteaPP(d);
    if (static_cast<int>(VARSIZE_ANY_EXHDR(b)) != len)
        return false;
    memcpy(out, VARDATA_ANY(b), len);
    return true;
}

}  // namespace

void record_code_sent(const CallContext *ctx, const pg_uuid_t *hold_id, const StoredCode &code,
                      PendingAudit *sent) {
    Datum values[11] = {uuid_datum(ctx->org_id),
                        uuid_datum(hold_id),
                        PointerGetDatum(to_bytea(code.mac, kOtpMacLength)),
                        PointerGetDatum(to_bytea(code.key_id, kOtpKeyIdLength)),
                        TimestampTzGetDatum(ctx->now),
                        TimestampTzGetDatum(code.expires_at),
                        UUIDPGetDatum(&sent->id),
                        sent->action_value,
                        sent->actor_value,
                        sent->details_value,
                        Int16GetDatum(static_cast<int16>(code.digits))};
    run(code_sent, values, nullptr);
    audited(*sent);
}

bool find_otp_code(const CallContext *ctx, const pg_uuid_t *hold_id, StoredCode *out) {
    Datum values[2] = {uuid_datum(ctx->org_id), uuid_datum(hold_id)};
    if (run(find_code, values, nullptr, 1) == 0)
        return false;
    out->expires_at = column_timestamp(0, 2);
    bool isnull;
    out->digits = DatumGetInt16(column(0, 4, &isnull));
    return !isnull && read_bytes(1, out->mac, kOtpMacLength) && read_bytes(3, out->key_id, kOtpKeyIdLength);
}

void delete_otp_code(const CallContext *ctx, const pg_uuid_t *hold_id) {
    Datum values[2] = {uuid_datum(ctx->org_id), uuid_datum(hold_id)};
    run(delete_code, values, nullptr);
}

int delete_lapsed_codes(const CallContext *ctx, const pg_uuid_t *org_id, int limit) {
    char nulls[4] = "   ";
    Datum values[3] = {TimestampTzGetDatum(ctx->now), Int32GetDatum(limit),
                       org_id ? uuid_datum(org_id) : (Datum)0};
    if (org_id == nullptr)
        nulls[2] = 'n';
    Statement &st = org_id != nullptr && custom_plans() ? lapsed_codes_of_org : lapsed_codes;
    return static_cast<int>(run(st, values, nulls));
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
