#include "pg/store/contact_bookings.hpp"

#include "core/org_policy.hpp"
#include "core/reservation_state.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/store/contact_locks.hpp"
#include "pg/store/reservations_index.hpp"

namespace booking::pg {

namespace {

// The digits as PostgreSQL reduces a stored phone, as core::policy's
// phone_digits reduces the caller's; lapsed holds are not blocking.
// A contact's future bookings, by contact_id or by the phone's digits: each
// statement's conditions are those of its index (reservations_contact,
// reservations_contact_phone), so the count reads the contact's rows only.
Statement count_by_contact = {
    "SELECT count(DISTINCT coalesce(set_id, id))::int4 FROM booking.reservations "
    "WHERE org_id = $1 AND contact_id = $3 AND starts_at > $2 AND " BOOKING_BLOCKING_STATUSES_SQL
    " AND (status <> 'held' OR expires_at > $2) "
    "AND ($4::text IS NULL OR status <> 'held' OR caller_ref IS DISTINCT FROM $4) "
    "AND ($5::uuid IS NULL OR coalesce(set_id, id) <> $5)",
    5,
    {UUIDOID, TIMESTAMPTZOID, UUIDOID, TEXTOID, UUIDOID},
    nullptr};

Statement count_by_phone = {
    "SELECT count(DISTINCT coalesce(set_id, id))::int4 FROM booking.reservations "
    "WHERE org_id = $1 AND contact_id IS NULL AND patient_phone IS NOT NULL "
    "AND pg_catalog.regexp_replace(patient_phone, '[^0-9]', '', 'g') = $3 "
    "AND starts_at > $2 AND " BOOKING_BLOCKING_STATUSES_SQL
    " AND (status <> 'held' OR expires_at > $2) "
    "AND ($4::text IS NULL OR status <> 'held' OR caller_ref IS DISTINCT FROM $4) "
    "AND ($5::uuid IS NULL OR coalesce(set_id, id) <> $5)",
    5,
    {UUIDOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, UUIDOID},
    nullptr};

int count_by_sql(const CallContext *ctx, bool by_phone, Datum who, const char *caller_ref,
                 const pg_uuid_t *except) {
    char nulls[6] = "     ";
    Datum values[5] = {uuid_datum(ctx->org_id), TimestampTzGetDatum(ctx->now), who,
                       text_or_null(caller_ref, &nulls[3]), (Datum)0};
    if (except != nullptr)
        values[4] = uuid_datum(except);
    else
        nulls[4] = 'n';
    if (run(by_phone ? count_by_phone : count_by_contact, values, nulls, 1) != 1)
        return 0;
    return column_int32(0, 1);
}

// What the statements' filters say, for a row the index found (its keys and
// predicate hold for it: a change of any column they name is never a HOT
// update, so the row the entry leads to has the entry's values): blocking
// now (a hold without an expiry is as lapsed, as SQL's NULL comparison
// leaves it out), and not caller_ref's own live hold.
bool counts(const ReservationColumns &columns, TupleTableSlot *slot, TimestampTz now,
            const char *caller_ref) {
    std::optional<core::Status> status = slot_status(columns, slot);
    if (!status)
        return false;
    bool isnull;
    Datum expires = slot_getattr(slot, columns.expires_at, &isnull);
    if (!core::is_blocking(*status, isnull ? now : DatumGetTimestampTz(expires), now))
        return false;
    if (caller_ref == nullptr || *status != core::Status::held)
        return true;
    Datum ref = slot_getattr(slot, columns.caller_ref, &isnull);
    if (isnull)
        return true;
    text *t = DatumGetTextPP(ref);
    std::size_t len = VARSIZE_ANY_EXHDR(t);
    return len != strlen(caller_ref) || memcmp(VARDATA_ANY(t), caller_ref, len) != 0;
}

// The count as the statements above make it, read from the index: each row
// the keys find that counts gives its booking's key (its set's id, else its
// own), and the distinct keys are the bookings. Like the statements, it sees
// the latest committed data and this transaction's own rows
// (begin_latest_scan). False, counting nothing, when the index may not be
// read (or the table is a previous release's, without set_id).
bool count_by_index(const CallContext *ctx, bool by_phone, Datum who, const char *caller_ref,
                    const pg_uuid_t *except, int *held) {
    Oid heap_oid = reservations_relid();
    if (!OidIsValid(heap_oid))
        return false;
    Relation heap = table_open(heap_oid, AccessShareLock);
    const ReservationColumns &columns = reservation_columns(heap);
    // Found among the table's own indexes by its shape (reservations_index.hpp).
    Oid index_oid = columns.set_id == 0 ? InvalidOid : contact_index_of(heap, by_phone);
    if (!OidIsValid(index_oid)) {
        table_close(heap, NoLock);
        return false;
    }
    Relation index = index_open(index_oid, AccessShareLock);
    ScanKeyData keys[3];
    ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_UUID_EQ, uuid_datum(ctx->org_id));
    ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, by_phone ? F_TEXTEQ : F_UUID_EQ, who);
    keys[1].sk_collation = index->rd_indcollation[1];
    ScanKeyInit(&keys[2], 3, BTGreaterStrategyNumber, F_TIMESTAMPTZ_GT,
                TimestampTzGetDatum(ctx->now));

    LatestScan rows = begin_latest_scan(heap, index, keys, 3);
    TupleTableSlot *slot = rows.slot;
    int room = 8;
    int n = 0;
    core::policy::BookingKey *found = static_cast<core::policy::BookingKey *>(
        palloc(sizeof(core::policy::BookingKey) * room));
    while (next_row(&rows)) {
        if (!counts(columns, slot, ctx->now, caller_ref))
            continue;
        if (n == room) {
            room *= 2;
            found = static_cast<core::policy::BookingKey *>(
                repalloc(found, sizeof(core::policy::BookingKey) * room));
        }
        bool isnull;
        Datum key = slot_getattr(slot, columns.set_id, &isnull);
        if (isnull)
            key = slot_getattr(slot, columns.id, &isnull);
        // The booking being confirmed is not counted against itself.
        if (except != nullptr && memcmp(DatumGetUUIDP(key)->data, except->data, UUID_LEN) == 0)
            continue;
        memcpy(found[n].bytes, DatumGetUUIDP(key)->data, UUID_LEN);
        ++n;
    }
    end_latest_scan(&rows);
    // The locks stay to the end of the transaction, as the executor's do.
    index_close(index, NoLock);
    table_close(heap, NoLock);
    *held = core::policy::distinct_bookings(found, n);
    pfree(found);
    return true;
}

}  // namespace

int count_contact_bookings(const CallContext *ctx, const pg_uuid_t *contact_id, const char *phone,
                           const char *caller_ref, const pg_uuid_t *except) {
    const bool by_phone = contact_id == nullptr;
    Datum who;
    if (by_phone) {
        if (phone == nullptr)
            return 0;
        char digits[kContactKeyLength];
        (void)core::policy::phone_digits(phone, digits, sizeof(digits));
        who = CStringGetTextDatum(digits);
    } else {
        who = uuid_datum(contact_id);
    }
    int held;
    if (!distributed_by_tenant() &&
        count_by_index(ctx, by_phone, who, caller_ref, except, &held))
        return held;
    return count_by_sql(ctx, by_phone, who, caller_ref, except);
}

}  // namespace booking::pg
