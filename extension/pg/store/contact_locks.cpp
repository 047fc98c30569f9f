#include "pg/store/contact_locks.hpp"

#include "core/lock_keys.hpp"
#include "core/org_policy.hpp"
#include "core/uuid_text.hpp"

#include "pg/kernel/datums.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/store/calendar_lock.hpp"

namespace booking::pg {

namespace {

// ON CONFLICT DO UPDATE locks the row as it stands now, whoever committed
// it, and waits for a holder: the callers of one key take turns, and each
// reads the sends its predecessor recorded.
Statement lock_row = {
    "INSERT INTO booking.contact_locks AS l (org_id, contact_key, touched_at) "
    "VALUES ($1, $2, $3) ON CONFLICT (org_id, contact_key) "
    "DO UPDATE SET touched_at = EXCLUDED.touched_at RETURNING l.sends",
    3,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID},
    nullptr};

// try_lock_contact's distributed path: the row made if missing, then locked
// unless another transaction holds it.
Statement make_row = {
    "INSERT INTO booking.contact_locks (org_id, contact_key, touched_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (org_id, contact_key) DO NOTHING",
    3,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID},
    nullptr};

Statement lock_row_unless_held = {
    "SELECT 1 FROM booking.contact_locks WHERE org_id = $1 AND contact_key = $2 "
    "FOR UPDATE SKIP LOCKED",
    2,
    {UUIDOID, TEXTOID},
    nullptr};

Statement set_sends = {
    "UPDATE booking.contact_locks SET sends = $3 WHERE org_id = $1 AND contact_key = $2",
    3,
    {UUIDOID, TEXTOID, TIMESTAMPTZARRAYOID},
    nullptr};

Statement remove_send = {
    "UPDATE booking.contact_locks SET sends = pg_catalog.array_remove(sends, $3) "
    "WHERE org_id = $1 AND contact_key = $2",
    3,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID},
    nullptr};

// Idle for a day: longer than the SMS guard's hour, so no send it still
// counts goes with the row; a contact's row holds nothing but its lock.
Statement idle_rows = {
    "DELETE FROM booking.contact_locks WHERE ctid = ANY (ARRAY("
    "  SELECT ctid FROM booking.contact_locks"
    "  WHERE touched_at < $1 - interval '1 day' AND ($3::uuid IS NULL OR org_id = $3)"
    "  ORDER BY touched_at LIMIT $2 FOR UPDATE SKIP LOCKED))",
    3,
    {TIMESTAMPTZOID, INT4OID, UUIDOID},
    nullptr};

// One organisation's by key, for Citus (as otp_codes.cpp's lapsed codes).
Statement idle_rows_of_org = {
    "DELETE FROM booking.contact_locks WHERE org_id = $3 AND contact_key IN ("
    "  SELECT contact_key FROM booking.contact_locks"
    "  WHERE org_id = $3 AND touched_at < $1 - interval '1 day'"
    "  ORDER BY touched_at LIMIT $2 FOR UPDATE SKIP LOCKED)",
    3,
    {TIMESTAMPTZOID, INT4OID, UUIDOID},
    nullptr};

bool phone_key(const char *prefix, const char *phone, char *out) {
    if (phone == nullptr)
        return false;
    char digits[kContactKeyLength];
    if (core::policy::phone_digits(phone, digits, sizeof(digits)) == 0)
        return false;
    snprintf(out, kContactKeyLength + 1, "%s%s", prefix, digits);
    return true;
}

// The one-node lock: transaction-scoped, as every lock here.
LockAcquireResult acquire_contact_lock(const CallContext *ctx, const char *key, bool dont_wait) {
    std::uint64_t k = core::contact_lock_key(ctx->org_id->data, key);
    LOCKTAG tag;
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, static_cast<uint32>(k >> 32), static_cast<uint32>(k),
                         kContactLockTagField4);
    return LockAcquire(&tag, ExclusiveLock, false, dont_wait);
}

}  // namespace

bool sms_key(const char *phone, char *out) { return phone_key("sms:", phone, out); }

bool contact_key(const pg_uuid_t *contact_id, const char *phone, char *out) {
    if (contact_id == nullptr)
        return phone_key("p:", phone, out);
    char text[36 + 1];
    core::format_uuid(contact_id->data, text);
    text[36] = '\0';
    snprintf(out, kContactKeyLength + 1, "c:%s", text);
    return true;
}

void lock_contact(const CallContext *ctx, const char *key) {
    if (distributed_by_tenant()) {
        TimestampTz *sends = nullptr;
        (void)lock_contact_row(ctx, key, &sends);
        return;
    }
    (void)acquire_contact_lock(ctx, key, false);
}

bool try_lock_contact(const CallContext *ctx, const char *key) {
    if (distributed_by_tenant()) {
        Datum values[3] = {uuid_datum(ctx->org_id), CStringGetTextDatum(key),
                           TimestampTzGetDatum(ctx->now)};
        (void)run(make_row, values, nullptr);
        return run(lock_row_unless_held, values, nullptr, 1) == 1;
    }
    return acquire_contact_lock(ctx, key, true) != LOCKACQUIRE_NOT_AVAIL;
}

int lock_contact_row(const CallContext *ctx, const char *key, TimestampTz **sends) {
    Datum values[3] = {uuid_datum(ctx->org_id), CStringGetTextDatum(key),
                       TimestampTzGetDatum(ctx->now)};
    if (run(lock_row, values, nullptr) != 1)
        elog(ERROR, "could not lock the row of a contact");
    bool isnull;
    Datum array = column(0, 1, &isnull);
    Datum *elems = nullptr;
    int n = 0;
    if (!isnull)
        deconstruct_array(DatumGetArrayTypeP(array), TIMESTAMPTZOID, sizeof(TimestampTz),
                          FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, nullptr, &n);
    // One place more, for the send about to be recorded.
    *sends = static_cast<TimestampTz *>(palloc(sizeof(TimestampTz) * (n + 1)));
    for (int i = 0; i < n; ++i)
        (*sends)[i] = DatumGetTimestampTz(elems[i]);
    return n;
}

void record_phone_sends(const CallContext *ctx, const char *key, const TimestampTz *sends,
                        int n) {
    Datum *elems = static_cast<Datum *>(palloc(sizeof(Datum) * (n + 1)));
    for (int i = 0; i < n; ++i)
        elems[i] = TimestampTzGetDatum(sends[i]);
    ArrayType *array = construct_array(elems, n, TIMESTAMPTZOID, sizeof(TimestampTz),
                                       FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
    Datum values[3] = {uuid_datum(ctx->org_id), CStringGetTextDatum(key),
                       PointerGetDatum(array)};
    run(set_sends, values, nullptr);
}

void give_back_phone_send(const CallContext *ctx, const char *key, TimestampTz sent_at) {
    Datum values[3] = {uuid_datum(ctx->org_id), CStringGetTextDatum(key),
                       TimestampTzGetDatum(sent_at)};
    run(remove_send, values, nullptr);
}

int delete_idle_contact_locks(const CallContext *ctx, const pg_uuid_t *org_id, int limit) {
    char nulls[4] = "   ";
    Datum values[3] = {TimestampTzGetDatum(ctx->now), Int32GetDatum(limit),
                       org_id ? uuid_datum(org_id) : (Datum)0};
    if (org_id == nullptr)
        nulls[2] = 'n';
    Statement &st = org_id != nullptr && citus_shapes() ? idle_rows_of_org : idle_rows;
    return static_cast<int>(run(st, values, nulls));
}

}  // namespace booking::pg
