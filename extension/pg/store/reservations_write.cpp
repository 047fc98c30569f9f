// The writes of booking.reservations (store/reservations.hpp), but for the
// verification's (reservations_otp.cpp).
#include "core/caller_hold.hpp"
#include "pg/store/datums.hpp"
#include "pg/store/overlap_guard.hpp"
#include "pg/store/reservations.hpp"
#include "pg/store/statement.hpp"

namespace booking::pg {

namespace {

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
    HOLD_WITH_AUDIT(INSERT_HOLD " ON CONFLICT (org_id, caller_ref) WHERE " BOOKING_CALLER_HOLD_SQL
                                " DO NOTHING"),
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
    ALONE(INSERT_HOLD " ON CONFLICT (org_id, caller_ref) WHERE " BOOKING_CALLER_HOLD_SQL
                      " DO NOTHING"),
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

}  // namespace

bool insert_hold(const CallContext *ctx, const NewHold &hold, PendingAudit *audit) {
    char nulls[17] = "                ";
    Datum values[16] = {
        uuid_datum(ctx->org_id),
        uuid_datum(&hold.r.id),
        CStringGetTextDatum(hold.r.calendar_id),
        TimestampTzGetDatum(hold.r.slot.start),
        TimestampTzGetDatum(hold.r.slot.end),
        TimestampTzGetDatum(hold.expires_at),
        text_or_null(hold.caller_ref, &nulls[6]),
        text_or_null(hold.patient_phone, &nulls[7]),
        text_or_null(hold.patient_name, &nulls[8]),
        TimestampTzGetDatum(ctx->now),
        interval_datum(hold.r.buffer_before),
        interval_datum(hold.r.buffer_after),
        UUIDPGetDatum(&audit->id),
        audit->action_value,
        audit->actor_value,
        audit->details_value,
    };
    skip_overlap_for(&hold.r.id);
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
        uuid_datum(&appt.r.id),
        CStringGetTextDatum(appt.r.calendar_id),
        TimestampTzGetDatum(appt.r.slot.start),
        TimestampTzGetDatum(appt.r.slot.end),
        appt.contact_id ? uuid_datum(appt.contact_id) : (Datum)0,
        appt.service_id ? uuid_datum(appt.service_id) : (Datum)0,
        text_or_null(appt.notes, &nulls[7]),
        appt.metadata ? JsonbPGetDatum(appt.metadata) : (Datum)0,
        text_or_null(appt.idempotency_key, &nulls[9]),
        TimestampTzGetDatum(ctx->now),
        interval_datum(appt.r.buffer_before),
        interval_datum(appt.r.buffer_after),
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
    skip_overlap_for(&appt.r.id);
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
