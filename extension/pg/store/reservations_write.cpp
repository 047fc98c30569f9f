// The writes of booking.reservations (store/reservations.hpp), but for the
// verification's (reservations_otp.cpp).
#include <algorithm>

#include "core/caller_hold.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/store/overlap_guard.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

namespace {

// An insert writes its audit row in the same statement (one executor
// start-up less per booking); the row goes in only when the reservation did,
// which a skipped overlap or a conflict keeps out of RETURNING. The audit
// values follow the insert's own: its id, action, actor and details, and
// `at` is the insert's created_at parameter.
#define WITH_AUDIT(insert, at, id, action, actor, details)                                  \
    "WITH made AS (" insert " RETURNING org_id, id) "                                       \
    "INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details) "    \
    "SELECT org_id, " id ", " at ", " action ", id, " actor ", " details " FROM made"
#define AUDIT_TYPES UUIDOID, TEXTOID, TEXTOID, JSONBOID

// Every reservation, hold or appointment, of one calendar or of a set or a
// series, is written by one statement shape: every column a new row may have
// is a parameter (null where it does not apply), and its audit row goes in by
// the same statement. A row that carries a key (a caller_ref, which holds one
// hold, core/caller_hold.hpp; an idempotency key, which names one booking)
// may meet an earlier row of that key: ON CONFLICT DO NOTHING then writes
// nothing and the caller finds out why, as it does for a row the overlap
// guard skips. A row without a key can meet none, and is inserted without the
// clause, whose speculative insertion would cost a fifteenth of a booking.
#define INSERT_RESERVATION(on_conflict)                                                      \
    "INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, "  \
    "expires_at, caller_ref, patient_phone, patient_name, contact_id, service_id, notes, "    \
    "metadata, idempotency_key, created_at, updated_at, confirmed_at, buffer_before, "        \
    "buffer_after, capacity, set_id, series_id) "                                             \
    "VALUES ($1, $2, $3, $4, $5, "                                                            \
    "CASE WHEN $6 THEN 'held'::booking.reservation_status "                                  \
    "ELSE 'confirmed'::booking.reservation_status END, $7, $8, $9, $10, $11, $12, $13, $14, " \
    "$15, $16, $16, CASE WHEN $6 THEN NULL ELSE $16 END, $17, $18, $19, $20, $21)" on_conflict
#define KEYED " ON CONFLICT DO NOTHING"
constexpr int kRowArgs = 21;
constexpr int kAuditArgs = 4;  // the audit row's id, action, actor and details
#define RESERVATION_TYPES                                                                      \
    {UUIDOID,     UUIDOID,  TEXTOID,        TIMESTAMPTZOID, TIMESTAMPTZOID, BOOLOID,        \
     TIMESTAMPTZOID, TEXTOID, TEXTOID,      TEXTOID,        UUIDOID,        UUIDOID,        \
     TEXTOID,     JSONBOID, TEXTOID,        TIMESTAMPTZOID, INTERVALOID,    INTERVALOID,    \
     INT4OID,     UUIDOID,  UUIDOID,        AUDIT_TYPES}
#define WITH_ITS_AUDIT(insert) WITH_AUDIT(insert, "$16", "$22", "$23", "$24", "$25")
// Under Citus the audit row is a statement of its own (insert_audit_only): a
// data-modifying WITH that feeds another distributed table goes through
// intermediate results, several times slower than two routed statements.
// The same statement and parameters, the audit's unused.
#define ALONE(insert) insert " RETURNING id"

// [keyed][alone]
Statement insert_reservation_stmts[2][2] = {
    {{WITH_ITS_AUDIT(INSERT_RESERVATION("")), kRowArgs + kAuditArgs, RESERVATION_TYPES, nullptr},
     {ALONE(INSERT_RESERVATION("")), kRowArgs + kAuditArgs, RESERVATION_TYPES, nullptr}},
    {{WITH_ITS_AUDIT(INSERT_RESERVATION(KEYED)), kRowArgs + kAuditArgs, RESERVATION_TYPES,
      nullptr},
     {ALONE(INSERT_RESERVATION(KEYED)), kRowArgs + kAuditArgs, RESERVATION_TYPES, nullptr}}};

Statement expire_one_stmt = {
    "UPDATE booking.reservations SET status = 'expired', status_reason = 'ttl', "
    "updated_at = $3 WHERE org_id = $1 AND id = $2 AND status = 'held' AND expires_at <= $3",
    3,
    {UUIDOID, UUIDOID, TIMESTAMPTZOID},
    nullptr};

Statement confirm_stmt = {
    "UPDATE booking.reservations SET status = 'confirmed', confirmed_at = $3, updated_at = $3, "
    "expires_at = NULL, contact_id = COALESCE($4, contact_id), "
    "service_type = COALESCE($5, service_type), metadata = COALESCE($6, metadata) "
    "WHERE org_id = $1 AND id = $2",
    6,
    {UUIDOID, UUIDOID, TIMESTAMPTZOID, UUIDOID, TEXTOID, JSONBOID},
    nullptr};

Statement release_stmt = {
    "UPDATE booking.reservations SET status = 'released', status_reason = $3, updated_at = $4 "
    "WHERE org_id = $1 AND id = $2",
    4,
    {UUIDOID, UUIDOID, TEXTOID, TIMESTAMPTZOID},
    nullptr};

Statement cancel_stmt = {
    "UPDATE booking.reservations SET status = 'cancelled', status_reason = $3, "
    "cancelled_at = COALESCE(cancelled_at, $4), updated_at = $4 WHERE org_id = $1 AND id = $2",
    4,
    {UUIDOID, UUIDOID, TEXTOID, TIMESTAMPTZOID},
    nullptr};

// Erasure takes everything a person could be identified by or that a caller
// typed as free text; ids, times and the calendar stay for the books.
Statement cancel_erase_stmt = {
    "UPDATE booking.reservations SET status = 'cancelled', status_reason = NULL, "
    "cancelled_at = COALESCE(cancelled_at, $3), updated_at = $3, patient_name = NULL, "
    "patient_phone = NULL, notes = NULL, metadata = NULL, caller_ref = NULL "
    "WHERE org_id = $1 AND id = $2",
    3,
    {UUIDOID, UUIDOID, TIMESTAMPTZOID},
    nullptr};

Statement extend_stmt = {
    "UPDATE booking.reservations SET expires_at = $3, updated_at = $4 "
    "WHERE org_id = $1 AND id = $2",
    4,
    {UUIDOID, UUIDOID, TIMESTAMPTZOID, TIMESTAMPTZOID},
    nullptr};

// A move takes the calendar's capacity along.
Statement move_stmt = {
    "UPDATE booking.reservations SET starts_at = $3, ends_at = $4, updated_at = $5, "
    "buffer_before = $6, buffer_after = $7, capacity = $8 WHERE org_id = $1 AND id = $2",
    8,
    {UUIDOID, UUIDOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INTERVALOID, INTERVALOID,
     INT4OID},
    nullptr};

// A raised capacity reaches the calendar's live reservations (those blocking
// after now), so new reservations may share their time.
Statement raise_capacity_stmt = {
    "UPDATE booking.reservations SET capacity = $3 "
    "WHERE org_id = $1 AND calendar_id = $2 AND pg_catalog.upper(blocks) > $4 "
    "AND " BOOKING_BLOCKING_STATUSES_SQL " AND capacity < $3",
    4,
    {UUIDOID, TEXTOID, INT4OID, TIMESTAMPTZOID},
    nullptr};

// The other rows of a set ($2) than the one a call changed ($3), changed
// alike, each only from the states the change leaves (so a retried call
// changes nothing twice); $4 is now.
#define SET_CHANGE(set, from)                                                                \
    "UPDATE booking.reservations SET " set " WHERE org_id = $1 AND id IN ("             \
    "SELECT reservation_id FROM booking.reservation_links WHERE org_id = $1 AND link_id = $2) " \
    "AND set_id = $2 AND id <> $3 AND " from " RETURNING id, calendar_id, starts_at, ends_at"
#define SET_CHANGE_TYPES UUIDOID, UUIDOID, UUIDOID, TIMESTAMPTZOID
#define FROM_ACTIVE_HOLD "status IN ('held', 'requires_manual_followup')"

Statement set_confirm_stmt = {
    SET_CHANGE("status = 'confirmed', confirmed_at = $4, updated_at = $4, expires_at = NULL, "
               "contact_id = COALESCE($5, contact_id), service_type = COALESCE($6, service_type), "
               "verified_at = CASE WHEN $7 THEN $4 ELSE verified_at END",
               FROM_ACTIVE_HOLD),
    7,
    {SET_CHANGE_TYPES, UUIDOID, TEXTOID, BOOLOID},
    nullptr};
Statement set_release_stmt = {
    SET_CHANGE("status = 'released', status_reason = $5, updated_at = $4", FROM_ACTIVE_HOLD),
    5,
    {SET_CHANGE_TYPES, TEXTOID},
    nullptr};
Statement set_extend_stmt = {
    SET_CHANGE("expires_at = $5, updated_at = $4", "status = 'held' AND expires_at < $5"),
    5,
    {SET_CHANGE_TYPES, TIMESTAMPTZOID},
    nullptr};
Statement set_lock_stmt = {
    SET_CHANGE("status = 'requires_manual_followup', status_reason = 'otp_attempts', "
               "updated_at = $4",
               "status = 'held'"),
    4,
    {SET_CHANGE_TYPES},
    nullptr};
Statement set_expire_stmt = {
    SET_CHANGE("status = 'expired', status_reason = 'ttl', updated_at = $4",
               "status = 'held' AND expires_at <= $4"),
    4,
    {SET_CHANGE_TYPES},
    nullptr};
Statement set_cancel_stmt = {
    SET_CHANGE("status = 'cancelled', status_reason = $5, cancelled_at = COALESCE(cancelled_at, $4), "
               "updated_at = $4",
               "status = 'confirmed'"),
    5,
    {SET_CHANGE_TYPES, TEXTOID},
    nullptr};
Statement set_erase_stmt = {
    SET_CHANGE("status = 'cancelled', status_reason = NULL, cancelled_at = COALESCE(cancelled_at, $4), "
               "updated_at = $4, patient_name = NULL, patient_phone = NULL, notes = NULL, "
               "metadata = NULL, caller_ref = NULL",
               "status IN ('confirmed', 'cancelled')"),
    4,
    {SET_CHANGE_TYPES},
    nullptr};

// The rows are found by their ctid: under the generic plan every statement
// gets, a join of the batch back to the table is planned for a tenth of the
// table (the LIMIT is a parameter) and becomes a hash join over a sequential
// scan, so each batch would read the whole table. Each returns the set and
// series of what it expired, for the audit rows.
Statement expire_lapsed_stmt = {
    "UPDATE booking.reservations SET status = 'expired', status_reason = 'ttl', "
    "updated_at = $1 "
    "WHERE ctid = ANY (ARRAY(SELECT ctid FROM booking.reservations "
    "      WHERE status = 'held' AND expires_at <= $1 AND ($3::uuid IS NULL OR org_id = $3) "
    "      ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)) "
    "AND status = 'held' AND expires_at <= $1 "
    "RETURNING org_id, id, calendar_id, starts_at, ends_at, set_id, series_id",
    3,
    {TIMESTAMPTZOID, INT4OID, UUIDOID},
    nullptr};

// One organisation's batch by key, for Citus: a statement that names rows
// by ctid cannot be routed to a shard, one that names them by (org_id, id)
// with org_id given can. (Under Citus every plan is a custom plan, so the
// ctid form's reason, the generic plan's join estimate, does not apply.)
Statement expire_lapsed_of_org_stmt = {
    "UPDATE booking.reservations SET status = 'expired', status_reason = 'ttl', "
    "updated_at = $1 "
    "WHERE org_id = $3 AND id IN (SELECT id FROM booking.reservations "
    "      WHERE org_id = $3 AND status = 'held' AND expires_at <= $1 "
    "      ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED) "
    "AND status = 'held' AND expires_at <= $1 "
    "RETURNING org_id, id, calendar_id, starts_at, ends_at, set_id, series_id",
    3,
    {TIMESTAMPTZOID, INT4OID, UUIDOID},
    nullptr};

}  // namespace

Jsonb *reservation_details(const Reservation &r) {
    return range_details(r.calendar_id, r.starts_at, r.ends_at, r.has_set ? &r.set_id : nullptr,
                         r.has_series ? &r.series_id : nullptr);
}

namespace {

// What any new row says, with null where a field is not its kind's; the one
// insert's parameters. Answers whether the row went in.
struct RowFields {
    const NewReservation *r;
    bool hold;
    TimestampTz expires_at;
    const char *caller_ref, *patient_phone, *patient_name;
    const pg_uuid_t *contact_id, *service_id;
    const char *notes;
    Jsonb *metadata;
    const char *idempotency_key;
};
BOOKING_PLAIN_DATA(RowFields);

Datum uuid_or_null(const pg_uuid_t *id, char *null_flag) {
    if (id == nullptr) {
        *null_flag = 'n';
        return (Datum)0;
    }
    return uuid_datum(id);
}

bool insert_row(const CallContext *ctx, const RowFields &f, PendingAudit *audit) {
    char nulls[kRowArgs + kAuditArgs + 1];
    memset(nulls, ' ', kRowArgs + kAuditArgs);
    nulls[kRowArgs + kAuditArgs] = '\0';
    Datum values[kRowArgs + kAuditArgs] = {
        uuid_datum(ctx->org_id),
        uuid_datum(&f.r->id),
        CStringGetTextDatum(f.r->calendar_id),
        TimestampTzGetDatum(f.r->slot.start),
        TimestampTzGetDatum(f.r->slot.end),
        BoolGetDatum(f.hold),
        TimestampTzGetDatum(f.expires_at),
        text_or_null(f.caller_ref, &nulls[7]),
        text_or_null(f.patient_phone, &nulls[8]),
        text_or_null(f.patient_name, &nulls[9]),
        uuid_or_null(f.contact_id, &nulls[10]),
        uuid_or_null(f.service_id, &nulls[11]),
        text_or_null(f.notes, &nulls[12]),
        f.metadata ? JsonbPGetDatum(f.metadata) : (Datum)0,
        text_or_null(f.idempotency_key, &nulls[14]),
        TimestampTzGetDatum(ctx->now),
        interval_datum(f.r->buffer_before),
        interval_datum(f.r->buffer_after),
        Int32GetDatum(f.r->capacity),
        uuid_or_null(f.r->set_id, &nulls[19]),
        uuid_or_null(f.r->series_id, &nulls[20]),
        UUIDPGetDatum(&audit->id),
        audit->action_value,
        audit->actor_value,
        audit->details_value,
    };
    if (!f.hold)
        nulls[6] = 'n';
    if (f.metadata == nullptr)
        nulls[13] = 'n';
    arm_overlap_skip(&f.r->id);
    const bool keyed = f.caller_ref != nullptr || f.idempotency_key != nullptr;
    const bool alone = citus_shapes();
    bool inserted = run_guarded_write(insert_reservation_stmts[keyed][alone], values, nulls) == 1;
    disarm_overlap_skip();
    if (inserted && alone)
        insert_audit_only(ctx, *audit);
    return inserted;
}

}  // namespace

bool insert_hold_row(const CallContext *ctx, const NewHold &hold, PendingAudit *audit) {
    return insert_row(ctx,
                      RowFields{&hold.r, true, hold.expires_at, hold.caller_ref, hold.patient_phone,
                                hold.patient_name, nullptr, nullptr, nullptr, nullptr, nullptr},
                      audit);
}

bool insert_hold(const CallContext *ctx, const NewHold &hold, PendingAudit *audit) {
    bool inserted = insert_hold_row(ctx, hold, audit);
    if (inserted)
        audited(*audit);
    return inserted;
}

bool insert_appointment_row(const CallContext *ctx, const NewAppointment &appt,
                            PendingAudit *audit) {
    return insert_row(ctx,
                      RowFields{&appt.r, false, 0, nullptr, nullptr, nullptr, appt.contact_id,
                                appt.service_id, appt.notes, appt.metadata, appt.idempotency_key},
                      audit);
}

bool insert_appointment(const CallContext *ctx, const NewAppointment &appt, PendingAudit *audit) {
    bool inserted = insert_appointment_row(ctx, appt, audit);
    if (inserted)
        audited(*audit);
    return inserted;
}

bool mark_expired(const CallContext *ctx, const pg_uuid_t *id) {
    Datum values[3] = {uuid_datum(ctx->org_id), uuid_datum(id), TimestampTzGetDatum(ctx->now)};
    return run(expire_one_stmt, values, nullptr) == 1;
}

void mark_confirmed(const CallContext *ctx, const pg_uuid_t *id, const pg_uuid_t *contact_id,
                    const char *service_type, Jsonb *metadata) {
    char nulls[7] = "      ";
    Datum values[6] = {
        uuid_datum(ctx->org_id),
        uuid_datum(id),
        TimestampTzGetDatum(ctx->now),
        contact_id ? uuid_datum(contact_id) : (Datum)0,
        text_or_null(service_type, &nulls[4]),
        metadata ? JsonbPGetDatum(metadata) : (Datum)0,
    };
    if (contact_id == nullptr)
        nulls[3] = 'n';
    if (metadata == nullptr)
        nulls[5] = 'n';
    run(confirm_stmt, values, nulls);
}

void mark_released(const CallContext *ctx, const pg_uuid_t *id, const char *reason) {
    char nulls[5] = "    ";
    Datum values[4] = {uuid_datum(ctx->org_id), uuid_datum(id), text_or_null(reason, &nulls[2]),
                       TimestampTzGetDatum(ctx->now)};
    run(release_stmt, values, nulls);
}

void mark_cancelled(const CallContext *ctx, const pg_uuid_t *id, const char *reason,
                    bool erase_pii) {
    if (erase_pii) {
        Datum values[3] = {uuid_datum(ctx->org_id), uuid_datum(id), TimestampTzGetDatum(ctx->now)};
        run(cancel_erase_stmt, values, nullptr);
        return;
    }
    char nulls[5] = "    ";
    Datum values[4] = {uuid_datum(ctx->org_id), uuid_datum(id), text_or_null(reason, &nulls[2]),
                       TimestampTzGetDatum(ctx->now)};
    run(cancel_stmt, values, nulls);
}

void set_expires_at(const CallContext *ctx, const pg_uuid_t *id, TimestampTz expires_at) {
    Datum values[4] = {uuid_datum(ctx->org_id), uuid_datum(id), TimestampTzGetDatum(expires_at),
                       TimestampTzGetDatum(ctx->now)};
    run(extend_stmt, values, nullptr);
}

bool move_reservation(const CallContext *ctx, const pg_uuid_t *id, TimestampTz starts_at,
                      TimestampTz ends_at, core::Micros buffer_before, core::Micros buffer_after,
                      int capacity) {
    Datum values[8] = {uuid_datum(ctx->org_id),       uuid_datum(id),
                       TimestampTzGetDatum(starts_at), TimestampTzGetDatum(ends_at),
                       TimestampTzGetDatum(ctx->now),  interval_datum(buffer_before),
                       interval_datum(buffer_after),   Int32GetDatum(capacity)};
    arm_overlap_skip(id);
    bool moved = run_guarded_write(move_stmt, values, nullptr) == 1;
    disarm_overlap_skip();
    return moved;
}

int follow_set(const CallContext *ctx, const Reservation &r, SetChange change,
               const SetChangeArgs &args, Action action) {
    if (!r.has_set)
        return 0;
    char nulls[8] = "       ";
    Datum values[7] = {uuid_datum(ctx->org_id), uuid_datum(&r.set_id), uuid_datum(&r.id),
                       TimestampTzGetDatum(ctx->now), (Datum)0, (Datum)0, (Datum)0};
    Statement *st = nullptr;
    switch (change) {
    case SetChange::confirm:
    case SetChange::verify:
        st = &set_confirm_stmt;
        values[4] = args.contact_id ? uuid_datum(args.contact_id) : (Datum)0;
        if (args.contact_id == nullptr)
            nulls[4] = 'n';
        values[5] = text_or_null(args.service_type, &nulls[5]);
        values[6] = BoolGetDatum(change == SetChange::verify);
        break;
    case SetChange::release:
        st = &set_release_stmt;
        values[4] = text_or_null(args.reason, &nulls[4]);
        break;
    case SetChange::extend:
        st = &set_extend_stmt;
        values[4] = TimestampTzGetDatum(args.expires_at);
        break;
    case SetChange::lock:
        st = &set_lock_stmt;
        break;
    case SetChange::expire:
        st = &set_expire_stmt;
        break;
    case SetChange::cancel:
        st = &set_cancel_stmt;
        values[4] = text_or_null(args.reason, &nulls[4]);
        break;
    case SetChange::erase:
        st = &set_erase_stmt;
        break;
    }
    uint64 n = run(*st, values, nulls);
    if (n == 0)
        return 0;
    pg_uuid_t *orgs = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * n));
    pg_uuid_t *ids = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * n));
    Jsonb **details = static_cast<Jsonb **>(palloc(sizeof(Jsonb *) * n));
    for (uint64 i = 0; i < n; ++i) {
        orgs[i] = *ctx->org_id;
        ids[i] = column_uuid(i, 1);
        Reservation row = r;
        row.id = ids[i];
        row.calendar_id = column_text(i, 2);
        row.starts_at = column_timestamp(i, 3);
        row.ends_at = column_timestamp(i, 4);
        details[i] = reservation_details(row);
    }
    write_audits(ctx, action, static_cast<int>(n), orgs, ids, details);
    return static_cast<int>(n);
}

namespace {

// The rest of a series, cancelled in one statement; a row of it at all says
// whether the series exists.
Statement cancel_series_stmt = {
    "UPDATE booking.reservations SET status = 'cancelled', status_reason = $4, "
    "cancelled_at = COALESCE(cancelled_at, $5), updated_at = $5 "
    "WHERE org_id = $1 AND id IN (SELECT reservation_id FROM booking.reservation_links "
    "WHERE org_id = $1 AND link_id = $2) AND series_id = $2 AND starts_at >= $3 "
    "AND status = 'confirmed' RETURNING id, calendar_id, starts_at, ends_at, set_id",
    5,
    {UUIDOID, UUIDOID, TIMESTAMPTZOID, TEXTOID, TIMESTAMPTZOID},
    nullptr};

Statement series_exists_stmt = {
    "SELECT 1 FROM booking.reservation_links WHERE org_id = $1 AND link_id = $2 LIMIT 1",
    2,
    {UUIDOID, UUIDOID},
    nullptr};

Statement link_stmt = {
    "INSERT INTO booking.reservation_links (org_id, link_id, reservation_id) "
    "SELECT $1, l, r FROM unnest($2::uuid[], $3::uuid[]) AS links(l, r)",
    3,
    {UUIDOID, UUIDARRAYOID, UUIDARRAYOID},
    nullptr};

}  // namespace

void link_reservations(const CallContext *ctx, const pg_uuid_t *link_ids,
                       const pg_uuid_t *reservation_ids, int n) {
    if (n <= 0)
        return;
    Datum values[3] = {uuid_datum(ctx->org_id), uuid_array(link_ids, n),
                       uuid_array(reservation_ids, n)};
    run(link_stmt, values, nullptr);
}

int cancel_series_from(const CallContext *ctx, const pg_uuid_t *series_id, TimestampTz from,
                       const char *reason, Reservation **out, bool *known) {
    *out = nullptr;
    *known = false;
    Datum exists[2] = {uuid_datum(ctx->org_id), uuid_datum(series_id)};
    *known = run(series_exists_stmt, exists, nullptr, 1) == 1;
    if (!*known)
        return 0;
    char nulls[6] = "     ";
    Datum values[5] = {uuid_datum(ctx->org_id), uuid_datum(series_id), TimestampTzGetDatum(from),
                       text_or_null(reason, &nulls[3]), TimestampTzGetDatum(ctx->now)};
    uint64 n = run(cancel_series_stmt, values, nulls);
    Reservation *rows = static_cast<Reservation *>(palloc0(sizeof(Reservation) * (n > 0 ? n : 1)));
    pg_uuid_t *orgs = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * (n > 0 ? n : 1)));
    pg_uuid_t *ids = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * (n > 0 ? n : 1)));
    Jsonb **details = static_cast<Jsonb **>(palloc(sizeof(Jsonb *) * (n > 0 ? n : 1)));
    for (uint64 i = 0; i < n; ++i) {
        Reservation &r = rows[i];
        r.id = column_uuid(i, 1);
        r.calendar_id = column_text(i, 2);
        r.starts_at = column_timestamp(i, 3);
        r.ends_at = column_timestamp(i, 4);
        r.status = core::Status::cancelled;
        r.has_set = !column_is_null(i, 5);
        r.set_id = column_uuid(i, 5);
        r.has_series = true;
        r.series_id = *series_id;
        orgs[i] = *ctx->org_id;
        ids[i] = r.id;
        details[i] = reservation_details(r);
    }
    write_audits(ctx, Action::cancelled, static_cast<int>(n), orgs, ids, details);
    // The answer names occurrences: each one's first row, in time order.
    int kept = 0;
    for (uint64 i = 0; i < n; ++i) {
        if (!rows[i].has_set || memcmp(rows[i].set_id.data, rows[i].id.data, UUID_LEN) == 0)
            rows[kept++] = rows[i];
    }
    std::sort(rows, rows + kept, [](const Reservation &a, const Reservation &b) {
        return a.starts_at < b.starts_at;
    });
    *out = rows;
    return kept;
}

int raise_capacity(const CallContext *ctx, const char *calendar_id, int capacity) {
    Datum values[4] = {uuid_datum(ctx->org_id), CStringGetTextDatum(calendar_id),
                       Int32GetDatum(capacity), TimestampTzGetDatum(ctx->now)};
    return static_cast<int>(run(raise_capacity_stmt, values, nullptr));
}

int expire_lapsed_holds(const CallContext *ctx, const pg_uuid_t *org_id, int batch_size,
                        LapsedHold **expired) {
    char nulls[4] = "   ";
    Datum values[3] = {TimestampTzGetDatum(ctx->now), Int32GetDatum(batch_size),
                       org_id ? uuid_datum(org_id) : (Datum)0};
    if (org_id == nullptr)
        nulls[2] = 'n';
    Statement &st = org_id != nullptr && citus_shapes() ? expire_lapsed_of_org_stmt
                                                        : expire_lapsed_stmt;
    uint64 n = run(st, values, nulls);
    LapsedHold *out = static_cast<LapsedHold *>(palloc(sizeof(LapsedHold) * (n > 0 ? n : 1)));
    for (uint64 i = 0; i < n; ++i) {
        out[i].org_id = column_uuid(i, 1);
        out[i].id = column_uuid(i, 2);
        out[i].calendar_id = column_text(i, 3);
        out[i].starts_at = column_timestamp(i, 4);
        out[i].ends_at = column_timestamp(i, 5);
        out[i].has_set = !column_is_null(i, 6);
        out[i].set_id = column_uuid(i, 6);
        out[i].has_series = !column_is_null(i, 7);
        out[i].series_id = column_uuid(i, 7);
    }
    *expired = out;
    return static_cast<int>(n);
}

}  // namespace booking::pg
