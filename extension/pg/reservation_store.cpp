#include "reservation_store.hpp"

#include "overlap_guard.hpp"
#include "statement.hpp"

namespace booking::pg {

namespace {

#define RESERVATION_COLUMNS                                                                      \
    "id, calendar_id, starts_at, ends_at, status::text, expires_at, otp_sent_at, otp_attempts, " \
    "verified_at, created_at, idempotency_key, otp_sends, patient_phone"

// The blocking states, written exactly as in the predicate of the index
// reservations_blocking so the planner can use it.
#define BLOCKING_STATES "status IN ('held', 'requires_manual_followup', 'confirmed')"

// Inserts name the one unique index a retry can meet as their arbiter, and
// only when the call gives its key: ON CONFLICT without a target checks
// every unique index first (the primary key too), a tenth of a booking.
// Each insert writes its audit row in the same statement (one executor
// start-up less per booking); the row goes in only when the reservation did,
// which a skipped overlap or a conflict keeps out of RETURNING. The audit
// values follow the insert's own: its id, action, actor and details, and
// `at` is the insert's created_at parameter.
#define WITH_AUDIT(insert, at, id, action, actor, details)                                  \
    "WITH made AS (" insert " RETURNING org_id, id) "                                       \
    "INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details) "    \
    "SELECT org_id, " id ", " at ", " action ", id, " actor ", " details " FROM made"
#define AUDIT_TYPES UUIDOID, TEXTOID, TEXTOID, JSONBOID

#define INSERT_HOLD                                                                     \
    "INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, " \
    "expires_at, caller_ref, patient_phone, patient_name, created_at, updated_at, "         \
    "buffer_before, buffer_after) "                                                         \
    "VALUES ($1, $2, $3, $4, $5, 'held', $6, $7, $8, $9, $10, $10, $11, $12)"

#define HOLD_WITH_AUDIT(insert) WITH_AUDIT(insert, "$10", "$13", "$14", "$15", "$16")
#define HOLD_WITH_AUDIT_TYPES                                                              \
    {UUIDOID, UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID,  \
     TEXTOID, TEXTOID, TIMESTAMPTZOID, INTERVALOID, INTERVALOID, AUDIT_TYPES}

Statement insert_hold_stmt = {HOLD_WITH_AUDIT(INSERT_HOLD), 16, HOLD_WITH_AUDIT_TYPES, nullptr};

// Under Citus the audit row is a statement of its own: a data-modifying WITH
// that feeds another distributed table goes through intermediate results,
// several times slower than two routed statements. Same parameters, the
// audit's unused.
#define ALONE(insert) insert " RETURNING id"

// A caller_ref holds one hold: the other one is found and dealt with by
// claim_slot (core/caller_hold.hpp).
Statement insert_caller_hold_stmt = {
    HOLD_WITH_AUDIT(INSERT_HOLD " ON CONFLICT (org_id, caller_ref) WHERE caller_ref IS NOT NULL "
                                "AND status IN ('held', 'requires_manual_followup') DO NOTHING"),
    16, HOLD_WITH_AUDIT_TYPES, nullptr};

#define INSERT_APPOINTMENT                                                                \
    "INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, " \
    "contact_id, service_id, notes, metadata, idempotency_key, created_at, updated_at, "    \
    "confirmed_at, buffer_before, buffer_after) "                                           \
    "VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, $7, $8, $9, $10, $11, $11, $11, $12, $13)"

#define APPOINTMENT_WITH_AUDIT(insert) WITH_AUDIT(insert, "$11", "$14", "$15", "$16", "$17")
#define APPOINTMENT_WITH_AUDIT_TYPES                                                        \
    {UUIDOID, UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, UUIDOID, UUIDOID, TEXTOID, \
     JSONBOID, TEXTOID, TIMESTAMPTZOID, INTERVALOID, INTERVALOID, AUDIT_TYPES}

Statement insert_hold_alone_stmt = {ALONE(INSERT_HOLD), 16, HOLD_WITH_AUDIT_TYPES, nullptr};
Statement insert_caller_hold_alone_stmt = {
    ALONE(INSERT_HOLD " ON CONFLICT (org_id, caller_ref) WHERE caller_ref IS NOT NULL "
                      "AND status IN ('held', 'requires_manual_followup') DO NOTHING"),
    16, HOLD_WITH_AUDIT_TYPES, nullptr};

Statement insert_appointment_stmt = {APPOINTMENT_WITH_AUDIT(INSERT_APPOINTMENT), 17,
                                     APPOINTMENT_WITH_AUDIT_TYPES, nullptr};

// A retried book() with the same key finds the first booking instead.
Statement insert_keyed_appointment_stmt = {
    APPOINTMENT_WITH_AUDIT(INSERT_APPOINTMENT " ON CONFLICT (org_id, idempotency_key) "
                                              "WHERE idempotency_key IS NOT NULL DO NOTHING"),
    17, APPOINTMENT_WITH_AUDIT_TYPES, nullptr};

Statement insert_appointment_alone_stmt = {ALONE(INSERT_APPOINTMENT), 17,
                                           APPOINTMENT_WITH_AUDIT_TYPES, nullptr};
Statement insert_keyed_appointment_alone_stmt = {
    ALONE(INSERT_APPOINTMENT " ON CONFLICT (org_id, idempotency_key) "
                             "WHERE idempotency_key IS NOT NULL DO NOTHING"),
    17, APPOINTMENT_WITH_AUDIT_TYPES, nullptr};

Statement find_stmt = {"SELECT " RESERVATION_COLUMNS " FROM booking.reservations "
                       "WHERE org_id = $1 AND id = $2",
                       2,
                       {UUIDOID, UUIDOID},
                       nullptr};

Statement find_for_update_stmt = {"SELECT " RESERVATION_COLUMNS " FROM booking.reservations "
                                  "WHERE org_id = $1 AND id = $2 FOR UPDATE",
                                  2,
                                  {UUIDOID, UUIDOID},
                                  nullptr};

Statement find_caller_hold_stmt = {
    "SELECT " RESERVATION_COLUMNS " FROM booking.reservations "
    "WHERE org_id = $1 AND caller_ref = $2 "
    "AND status IN ('held', 'requires_manual_followup') FOR UPDATE",
    2,
    {UUIDOID, TEXTOID},
    nullptr};

Statement find_idempotency_stmt = {"SELECT " RESERVATION_COLUMNS " FROM booking.reservations "
                                   "WHERE org_id = $1 AND idempotency_key = $2",
                                   2,
                                   {UUIDOID, TEXTOID},
                                   nullptr};

// Blocking rows of a calendar never overlap, so ordered by the end of their
// blocking range they are ordered by its start too: the rows meeting a range
// are a run of this order that starts at the first row ending after the
// range starts and stops at the first row starting at or after its end. Both
// readers walk that run in batches.
Statement overlapping_stmt = {
    "SELECT " RESERVATION_COLUMNS ", pg_catalog.lower(blocks), pg_catalog.upper(blocks) "
    "FROM booking.reservations "
    "WHERE org_id = $1 AND calendar_id = $2 AND pg_catalog.upper(blocks) > $3 "
    "AND " BLOCKING_STATES " AND id <> $4 ORDER BY pg_catalog.upper(blocks) LIMIT $5",
    5,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID, UUIDOID, INT4OID},
    nullptr};

Statement busy_stmt = {
    "SELECT pg_catalog.lower(blocks), pg_catalog.upper(blocks) FROM booking.reservations "
    "WHERE org_id = $1 AND calendar_id = $2 AND pg_catalog.upper(blocks) > $3 "
    "AND " BLOCKING_STATES " AND (status <> 'held' OR expires_at > $4) AND id <> $5 "
    "ORDER BY pg_catalog.upper(blocks) LIMIT $6",
    6,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, UUIDOID, INT4OID},
    nullptr};

constexpr int kBatch = 256;
// overlapping_stmt's lower(blocks), after RESERVATION_COLUMNS.
constexpr int kOverlapLowerColumn = 14;

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

Statement move_stmt = {
    "UPDATE booking.reservations SET starts_at = $3, ends_at = $4, updated_at = $5, "
    "buffer_before = $6, buffer_after = $7 WHERE org_id = $1 AND id = $2",
    7,
    {UUIDOID, UUIDOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INTERVALOID, INTERVALOID},
    nullptr};

// The rows are found by their ctid: under the generic plan every statement
// gets, a join of the batch back to the table is planned for a tenth of the
// table (the LIMIT is a parameter) and becomes a hash join over a sequential
// scan, so each batch would read the whole table.
Statement expire_lapsed_stmt = {
    "UPDATE booking.reservations SET status = 'expired', status_reason = 'ttl', "
    "updated_at = $1 "
    "WHERE ctid = ANY (ARRAY(SELECT ctid FROM booking.reservations "
    "      WHERE status = 'held' AND expires_at <= $1 AND ($3::uuid IS NULL OR org_id = $3) "
    "      ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)) "
    "AND status = 'held' AND expires_at <= $1 "
    "RETURNING org_id, id, calendar_id, starts_at, ends_at",
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
    "RETURNING org_id, id, calendar_id, starts_at, ends_at",
    3,
    {TIMESTAMPTZOID, INT4OID, UUIDOID},
    nullptr};

Datum uuid_datum(const pg_uuid_t *u) { return UUIDPGetDatum(const_cast<pg_uuid_t *>(u)); }

Datum text_or_null(const char *s, char *null_flag) {
    if (s == nullptr) {
        *null_flag = 'n';
        return (Datum)0;
    }
    return CStringGetTextDatum(s);
}

// A fixed length as an interval of hours, minutes and seconds only.
Datum interval_datum(core::Micros micros) {
    Interval *iv = static_cast<Interval *>(palloc(sizeof(Interval)));
    iv->month = 0;
    iv->day = 0;
    iv->time = micros;
    return IntervalPGetDatum(iv);
}

const pg_uuid_t *nil_uuid() {
    static const pg_uuid_t nil = {{0}};
    return &nil;
}

void read_reservation(uint64 row, Reservation *out) {
    out->id = column_uuid(row, 1);
    out->calendar_id = column_text(row, 2);
    out->starts_at = column_timestamp(row, 3);
    out->ends_at = column_timestamp(row, 4);
    char *status = column_text(row, 5);
    std::optional<core::Status> parsed = core::parse_status(status);
    if (!parsed)
        elog(ERROR, "unknown reservation status \"%s\"", status);
    out->status = *parsed;
    out->has_expires_at = !column_is_null(row, 6);
    out->expires_at = column_timestamp(row, 6);
    out->has_otp_sent_at = !column_is_null(row, 7);
    out->otp_sent_at = column_timestamp(row, 7);
    out->otp_attempts = column_int32(row, 8);
    out->has_verified_at = !column_is_null(row, 9);
    out->verified_at = column_timestamp(row, 9);
    out->created_at = column_timestamp(row, 10);
    out->idempotency_key = column_text(row, 11);
    out->otp_sends = column_int32(row, 12);
    out->patient_phone = column_text(row, 13);
}

bool find_one(Statement &st, Datum *values, Reservation *out) {
    if (run(st, values, nullptr, 1) == 0)
        return false;
    read_reservation(0, out);
    return true;
}

}  // namespace

bool insert_hold(const CallContext *ctx, const NewHold &hold, PendingAudit *audit) {
    char nulls[17] = "                ";
    Datum values[16] = {
        uuid_datum(ctx->org_id),
        uuid_datum(&hold.id),
        CStringGetTextDatum(hold.calendar_id),
        TimestampTzGetDatum(hold.starts_at),
        TimestampTzGetDatum(hold.ends_at),
        TimestampTzGetDatum(hold.expires_at),
        text_or_null(hold.caller_ref, &nulls[6]),
        text_or_null(hold.patient_phone, &nulls[7]),
        text_or_null(hold.patient_name, &nulls[8]),
        TimestampTzGetDatum(ctx->now),
        interval_datum(hold.buffer_before),
        interval_datum(hold.buffer_after),
        UUIDPGetDatum(&audit->id),
        audit->action_value,
        audit->actor_value,
        audit->details_value,
    };
    skip_overlap_for(&hold.id);
    bool alone = custom_plans();
    Statement &st = hold.caller_ref != nullptr
                        ? (alone ? insert_caller_hold_alone_stmt : insert_caller_hold_stmt)
                        : (alone ? insert_hold_alone_stmt : insert_hold_stmt);
    bool inserted = run_guarded_write(st, values, nulls) == 1;
    (void)took_skipped_overlap();
    if (inserted && alone)
        insert_pending_audit(ctx, *audit);
    else if (inserted)
        audited(*audit);
    return inserted;
}

bool insert_appointment(const CallContext *ctx, const NewAppointment &appt, PendingAudit *audit) {
    char nulls[18] = "                 ";
    Datum values[17] = {
        uuid_datum(ctx->org_id),
        uuid_datum(&appt.id),
        CStringGetTextDatum(appt.calendar_id),
        TimestampTzGetDatum(appt.starts_at),
        TimestampTzGetDatum(appt.ends_at),
        appt.contact_id ? uuid_datum(appt.contact_id) : (Datum)0,
        appt.service_id ? uuid_datum(appt.service_id) : (Datum)0,
        text_or_null(appt.notes, &nulls[7]),
        appt.metadata ? JsonbPGetDatum(appt.metadata) : (Datum)0,
        text_or_null(appt.idempotency_key, &nulls[9]),
        TimestampTzGetDatum(ctx->now),
        interval_datum(appt.buffer_before),
        interval_datum(appt.buffer_after),
        UUIDPGetDatum(&audit->id),
        audit->action_value,
        audit->actor_value,
        audit->details_value,
    };
    if (appt.contact_id == nullptr)
        nulls[5] = 'n';
    if (appt.service_id == nullptr)
        nulls[6] = 'n';
    if (appt.metadata == nullptr)
        nulls[8] = 'n';
    skip_overlap_for(&appt.id);
    bool alone = custom_plans();
    Statement &st =
        appt.idempotency_key != nullptr
            ? (alone ? insert_keyed_appointment_alone_stmt : insert_keyed_appointment_stmt)
            : (alone ? insert_appointment_alone_stmt : insert_appointment_stmt);
    bool inserted = run_guarded_write(st, values, nulls) == 1;
    (void)took_skipped_overlap();
    if (inserted && alone)
        insert_pending_audit(ctx, *audit);
    else if (inserted)
        audited(*audit);
    return inserted;
}

bool find_reservation(const CallContext *ctx, const pg_uuid_t *id, bool lock, Reservation *out) {
    Datum values[2] = {uuid_datum(ctx->org_id), uuid_datum(id)};
    return find_one(lock ? find_for_update_stmt : find_stmt, values, out);
}

bool find_caller_hold(const CallContext *ctx, const char *caller_ref, Reservation *out) {
    Datum values[2] = {uuid_datum(ctx->org_id), CStringGetTextDatum(caller_ref)};
    return find_one(find_caller_hold_stmt, values, out);
}

bool find_by_idempotency_key(const CallContext *ctx, const char *key, Reservation *out) {
    Datum values[2] = {uuid_datum(ctx->org_id), CStringGetTextDatum(key)};
    return find_one(find_idempotency_stmt, values, out);
}

// Both reads below walk blocking rows of one calendar by the end of their
// range. Those rows never overlap (the guard's invariant), so they come
// ordered by start too, and the first row starting at or after the range's
// end closes the walk. They read through a cursor, a few rows at a time, so
// a conflict on a full calendar reads the rows it needs and no more.
constexpr long kNoLimit = INT32_MAX;
constexpr long kFirstOverlaps = 4;  // usually one row overlaps, and the next closes
constexpr long kBusyFetch = 16;

Reservation *find_overlapping(const CallContext *ctx, const char *calendar_id,
                              core::TimeRange range, const pg_uuid_t *exclude, int *count) {
    int capacity = 8;
    int n = 0;
    Reservation *out = static_cast<Reservation *>(palloc(sizeof(Reservation) * capacity));
    Datum values[5] = {
        uuid_datum(ctx->org_id),
        CStringGetTextDatum(calendar_id),
        TimestampTzGetDatum(range.start),
        uuid_datum(exclude ? exclude : nil_uuid()),
        Int32GetDatum(kNoLimit),
    };
    Portal rows = open_rows(overlapping_stmt, values, nullptr);
    for (long want = kFirstOverlaps;; want = kBatch) {
        uint64 got = fetch_rows(rows, want);
        bool done = got < static_cast<uint64>(want);  // no more rows after these
        for (uint64 i = 0; i < got; ++i) {
            if (column_timestamp(i, kOverlapLowerColumn) >= range.end) {
                done = true;
                break;
            }
            if (n == capacity) {
                capacity *= 2;
                out = static_cast<Reservation *>(repalloc(out, sizeof(Reservation) * capacity));
            }
            read_reservation(i, &out[n++]);
        }
        if (done)
            break;
    }
    close_rows(rows);
    *count = n;
    return out;
}

core::TimeRange *load_busy(const CallContext *ctx, const char *calendar_id,
                           core::TimeRange window, const pg_uuid_t *exclude, int *count) {
    int capacity = kBatch;
    int n = 0;
    core::TimeRange *busy =
        static_cast<core::TimeRange *>(palloc(sizeof(core::TimeRange) * capacity));
    Datum values[6] = {
        uuid_datum(ctx->org_id),
        CStringGetTextDatum(calendar_id),
        TimestampTzGetDatum(window.start),
        TimestampTzGetDatum(ctx->now),
        uuid_datum(exclude ? exclude : nil_uuid()),
        Int32GetDatum(kNoLimit),
    };
    Portal rows = open_rows(busy_stmt, values, nullptr);
    for (;;) {
        uint64 got = fetch_rows(rows, kBusyFetch);
        bool done = got < static_cast<uint64>(kBusyFetch);  // no more rows after these
        for (uint64 i = 0; i < got; ++i) {
            core::TimeRange r{column_timestamp(i, 1), column_timestamp(i, 2)};
            if (r.start >= window.end) {
                done = true;
                break;
            }
            if (n == capacity) {
                capacity *= 2;
                busy = static_cast<core::TimeRange *>(
                    repalloc(busy, sizeof(core::TimeRange) * capacity));
            }
            busy[n++] = r;
        }
        if (done)
            break;
    }
    close_rows(rows);
    *count = n;
    return busy;
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
                      TimestampTz ends_at, core::Micros buffer_before, core::Micros buffer_after) {
    Datum values[7] = {uuid_datum(ctx->org_id),       uuid_datum(id),
                       TimestampTzGetDatum(starts_at), TimestampTzGetDatum(ends_at),
                       TimestampTzGetDatum(ctx->now),  interval_datum(buffer_before),
                       interval_datum(buffer_after)};
    skip_overlap_for(id);
    bool moved = run_guarded_write(move_stmt, values, nullptr) == 1;
    (void)took_skipped_overlap();
    return moved;
}

int expire_lapsed_holds(const CallContext *ctx, const pg_uuid_t *org_id, int batch_size,
                        LapsedHold **expired) {
    char nulls[4] = "   ";
    Datum values[3] = {TimestampTzGetDatum(ctx->now), Int32GetDatum(batch_size),
                       org_id ? uuid_datum(org_id) : (Datum)0};
    if (org_id == nullptr)
        nulls[2] = 'n';
    Statement &st = org_id != nullptr && custom_plans() ? expire_lapsed_of_org_stmt
                                                        : expire_lapsed_stmt;
    uint64 n = run(st, values, nulls);
    LapsedHold *out = static_cast<LapsedHold *>(palloc(sizeof(LapsedHold) * (n > 0 ? n : 1)));
    for (uint64 i = 0; i < n; ++i) {
        out[i].org_id = column_uuid(i, 1);
        out[i].id = column_uuid(i, 2);
        out[i].calendar_id = column_text(i, 3);
        out[i].starts_at = column_timestamp(i, 4);
        out[i].ends_at = column_timestamp(i, 5);
    }
    *expired = out;
    return static_cast<int>(n);
}

}  // namespace booking::pg
