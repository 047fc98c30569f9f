#include "pg/store/otp_codes.hpp"

#include "pg/kernel/datums.hpp"
#include "pg/kernel/statement.hpp"

namespace booking::pg {

namespace {

Statement find_code = {"SELECT code_mac, expires_at, key_id, digits FROM booking.otp_codes "
                       "WHERE org_id = $1 AND hold_id = $2",
                       2,
                       {UUIDOID, UUIDOID},
                       nullptr};

Statement find_code_to_withdraw = {
    "SELECT code_mac, expires_at, key_id, digits, previous_sent_at FROM booking.otp_codes "
    "WHERE org_id = $1 AND hold_id = $2 FOR UPDATE",
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

// One organisation's by key, for Citus: a shard may not be read by ctid
// through the distributed table (see reservations_write.cpp).
Statement lapsed_codes_of_org = {
    "DELETE FROM booking.otp_codes WHERE org_id = $3 AND hold_id IN ("
    "  SELECT hold_id FROM booking.otp_codes WHERE org_id = $3 AND expires_at <= $1"
    "  ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED) AND expires_at <= $1",
    3,
    {TIMESTAMPTZOID, INT4OID, UUIDOID},
    nullptr};

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

// The first four columns, as both finds select them.
bool read_code(StoredCode *out) {
    out->expires_at = column_timestamp(0, 2);
    out->has_previous_sent_at = false;
    out->previous_sent_at = 0;
    bool isnull;
    out->digits = DatumGetInt16(column(0, 4, &isnull));
    return !isnull && read_bytes(1, out->mac, kOtpMacLength) && read_bytes(3, out->key_id, kOtpKeyIdLength);
}

}  // namespace

bool find_otp_code(const CallContext *ctx, const pg_uuid_t *hold_id, StoredCode *out) {
    Datum values[2] = {uuid_datum(ctx->org_id), uuid_datum(hold_id)};
    if (run(find_code, values, nullptr, 1) == 0)
        return false;
    return read_code(out);
}

bool find_otp_code_to_withdraw(const CallContext *ctx, const pg_uuid_t *hold_id,
                               StoredCode *out) {
    Datum values[2] = {uuid_datum(ctx->org_id), uuid_datum(hold_id)};
    if (run(find_code_to_withdraw, values, nullptr, 1) == 0)
        return false;
    if (!read_code(out))
        return false;
    out->has_previous_sent_at = !column_is_null(0, 5);
    out->previous_sent_at = column_timestamp(0, 5);
    return true;
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
    Statement &st = org_id != nullptr && citus_shapes() ? lapsed_codes_of_org : lapsed_codes;
    return static_cast<int>(run(st, values, nulls));
}

}  // namespace booking::pg
