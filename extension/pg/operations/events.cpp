// Event consumers: registering, reading past the acknowledged position, and
// acknowledging; and the two chores that keep the outbox small (giving
// queued events their position, deleting what every consumer has handled).
// How events are recorded is in pg/events/events.hpp.
#include "core/answer_codes.hpp"
#include "pg/answer/answers.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/operations/operations.hpp"
#include "pg/store/calendar_lock.hpp"

namespace booking::pg {

namespace {

// The consumer of one organisation ($1 = org) or of all ($1 IS NULL).
#define CONSUMER_IS "org_id IS NOT DISTINCT FROM $1 AND consumer = $2"

Statement create_consumer = {
    "INSERT INTO booking.event_consumers (org_id, consumer, acked, created_at, created_by) "
    "VALUES ($1, $2, COALESCE(pg_catalog.pg_sequence_last_value('booking.event_position'), 0), "
    "$3, $4) ON CONFLICT (org_id, consumer) DO NOTHING RETURNING acked",
    4,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID, TEXTOID},
    nullptr};

Statement find_consumer = {
    "SELECT acked FROM booking.event_consumers WHERE " CONSUMER_IS, 2, {UUIDOID, TEXTOID}, nullptr};

Statement drop_consumer = {
    "DELETE FROM booking.event_consumers WHERE " CONSUMER_IS, 2, {UUIDOID, TEXTOID}, nullptr};

Statement ack_consumer = {
    "UPDATE booking.event_consumers SET acked = GREATEST(acked, $3), acked_at = $4 "
    "WHERE " CONSUMER_IS " RETURNING acked",
    4,
    {UUIDOID, TEXTOID, INT8OID, TIMESTAMPTZOID},
    nullptr};

Statement last_position = {
    "SELECT COALESCE(pg_catalog.pg_sequence_last_value('booking.event_position'), 0)", 0, {},
    nullptr};

// Queued events become the log's next positions, oldest first: of one
// organisation ($2), or of all ($2 IS NULL). Run by one transaction at a
// time, holding the position lock to its commit, so the positions become
// visible in order. Under Citus an organisation's events are positioned on
// the node that holds it, by the reader of that organisation.
#define POSITION_QUEUED(where)                                                                 \
    "WITH moved AS (DELETE FROM booking.event_queue WHERE ctid = ANY (ARRAY("                  \
    "    SELECT ctid FROM booking.event_queue " where " ORDER BY id LIMIT $1)) "               \
    "  RETURNING org_id, id, event, reservation_id, calendar_id, status, at) "                 \
    "INSERT INTO booking.event_log (org_id, position, id, event, reservation_id, calendar_id, " \
    "  status, at) "                                                                           \
    "SELECT org_id, pg_catalog.nextval('booking.event_position'), id, event, reservation_id, " \
    "  calendar_id, status, at FROM (SELECT * FROM moved ORDER BY id) AS ordered"

Statement position_all = {POSITION_QUEUED(""), 1, {INT4OID}, nullptr};
// One organisation's, by key (Citus cannot route a statement on ctid), in
// two statements (nor an insert fed by a delete of another table).
Statement queued_of_org = {
    "DELETE FROM booking.event_queue WHERE org_id = $2 AND id IN ("
    "  SELECT id FROM booking.event_queue WHERE org_id = $2 ORDER BY id LIMIT $1) "
    "RETURNING org_id, id, event, reservation_id, calendar_id, status, at",
    2,
    {INT4OID, UUIDOID},
    nullptr};
Statement log_of_org = {
    "INSERT INTO booking.event_log (org_id, position, id, event, reservation_id, calendar_id, "
    "  status, at) "
    "SELECT $1, pg_catalog.nextval('booking.event_position'), i, e, r, c, s, a "
    "FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], "
    "  $7::timestamptz[]) AS q(i, e, r, c, s, a) ORDER BY i",
    7,
    {UUIDOID, UUIDARRAYOID, TEXTARRAYOID, UUIDARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
     TIMESTAMPTZARRAYOID},
    nullptr};

// The set and the series of an event's reservation are read with it: they
// never change, so the outbox need not carry them, and a change costs
// nothing more while nobody reads. So are a waitlist offer's entry and start
// (the offered hold's), which a consumer texting offers needs.
#define READ_EVENTS(where, limit)                                                              \
    "SELECT l.position, l.event, l.org_id, l.calendar_id, l.reservation_id, l.status, l.at, "   \
    "r.set_id, r.series_id, w.id, r.starts_at FROM booking.event_log l "                        \
    "LEFT JOIN booking.reservations r ON r.org_id = l.org_id AND r.id = l.reservation_id "      \
    "LEFT JOIN booking.waitlist w ON l.event = 'waitlist_offered' AND w.org_id = l.org_id "     \
    "AND w.hold_id = l.reservation_id "                                                         \
    "WHERE " where " ORDER BY l.position LIMIT " limit
Statement read_one_org = {READ_EVENTS("l.org_id = $1 AND l.position > $2", "$3"), 3,
                          {UUIDOID, INT8OID, INT4OID}, nullptr};
Statement read_every_org = {READ_EVENTS("l.position > $1", "$2"), 2, {INT8OID, INT4OID}, nullptr};

// An event is kept while a consumer of its organisation, or of every one,
// has not acknowledged it: of every organisation (the sweeper's), and of one
// (after an acknowledgement, which under Citus is the only cleanup).
Statement delete_handled = {
    "DELETE FROM booking.event_log WHERE ctid = ANY (ARRAY("
    "  SELECT l.ctid FROM booking.event_log l WHERE l.position <= LEAST("
    "    (SELECT COALESCE(min(acked), 9223372036854775807) FROM booking.event_consumers "
    "     WHERE org_id IS NULL),"
    "    (SELECT COALESCE(min(c.acked), 9223372036854775807) FROM booking.event_consumers c "
    "     WHERE c.org_id = l.org_id)) "
    "  ORDER BY l.position LIMIT $1 FOR UPDATE SKIP LOCKED))",
    1,
    {INT4OID},
    nullptr};

Statement delete_handled_of_org = {
    "DELETE FROM booking.event_log WHERE org_id = $1 AND position <= LEAST("
    "  (SELECT COALESCE(min(acked), 9223372036854775807) FROM booking.event_consumers "
    "   WHERE org_id IS NULL),"
    "  (SELECT COALESCE(min(acked), 9223372036854775807) FROM booking.event_consumers "
    "   WHERE org_id = $1))",
    1,
    {UUIDOID},
    nullptr};

constexpr int kPositionBatch = 10000;

Datum org_datum(const pg_uuid_t *org_id, char *null_flag) {
    if (org_id == nullptr) {
        *null_flag = 'n';
        return (Datum)0;
    }
    return UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id));
}

// A consumer of every organisation is the owner's: it reads every tenant.
void require_scope(const CallContext *ctx, const pg_uuid_t *org_id) {
    if (org_id == nullptr && !ctx->caller_is_privileged)
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("only the owner may consume every organisation's events"),
                        errhint("Name the organisation: org_id is the one the caller acts in.")));
}

bool consumer_position(const CallContext *ctx, TextArg consumer, int64 *acked) {
    char nulls[3] = "  ";
    Datum values[2] = {org_datum(ctx->org_id, &nulls[0]), CStringGetTextDatum(consumer.str)};
    if (run(find_consumer, values, nulls, 1) == 0)
        return false;
    bool isnull;
    *acked = DatumGetInt64(column(0, 1, &isnull));
    return true;
}

Jsonb *consumer_not_found(const CallContext *ctx) {
    return failure_answer(ctx, core::codes::kConsumerNotFound,
                          "no event consumer of that name here; create it first", nullptr);
}

}  // namespace

int position_queued_events(const CallContext *, const pg_uuid_t *org_id, bool wait) {
    if (!lock_event_positions(wait))
        return 0;
    if (org_id == nullptr) {
        Datum values[1] = {Int32GetDatum(kPositionBatch)};
        return static_cast<int>(run(position_all, values, nullptr));
    }
    Datum values[2] = {Int32GetDatum(kPositionBatch),
                       UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id))};
    int n = static_cast<int>(run(queued_of_org, values, nullptr));
    if (n == 0)
        return 0;
    // The removed rows, as arrays, become the log's rows in id order.
    Datum *cols[6];
    bool *nulls[6];
    for (int c = 0; c < 6; ++c) {
        cols[c] = static_cast<Datum *>(palloc(sizeof(Datum) * n));
        nulls[c] = static_cast<bool *>(palloc(sizeof(bool) * n));
    }
    for (int i = 0; i < n; ++i) {
        for (int c = 0; c < 6; ++c)
            cols[c][i] = column(static_cast<uint64>(i), c + 2, &nulls[c][i]);
    }
    const Oid types[6] = {UUIDOID, TEXTOID, UUIDOID, TEXTOID, TEXTOID, TIMESTAMPTZOID};
    Datum log_values[7];
    log_values[0] = UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id));
    for (int c = 0; c < 6; ++c) {
        int16 len;
        bool byval;
        char align;
        get_typlenbyvalalign(types[c], &len, &byval, &align);
        int dims[1] = {n};
        int lbs[1] = {1};
        log_values[c + 1] = PointerGetDatum(
            construct_md_array(cols[c], nulls[c], 1, dims, lbs, types[c], len, byval, align));
    }
    run(log_of_org, log_values, nullptr);
    return n;
}

int delete_handled_events(const CallContext *, int limit) {
    Datum values[1] = {Int32GetDatum(limit)};
    return static_cast<int>(run(delete_handled, values, nullptr));
}

Jsonb *create_event_consumer(const pg_uuid_t *org_id, TextArg consumer) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        require_scope(ctx, org_id);
        char nulls[5] = "    ";
        Datum values[4] = {org_datum(org_id, &nulls[0]), CStringGetTextDatum(consumer.str),
                           TimestampTzGetDatum(ctx->now), CStringGetTextDatum(caller_name(ctx))};
        bool created = run(create_consumer, values, nulls) == 1;
        int64 acked = 0;
        if (created) {
            bool isnull;
            acked = DatumGetInt64(column(0, 1, &isnull));
        } else {
            (void)consumer_position(ctx, consumer, &acked);
        }
        JsonOut j;
        begin_success(&j);
        j.put_string("consumer", consumer.str);
        j.put_uuid("org_id", org_id);
        j.put_int("position", acked);
        j.put_bool("created", created);
        return answer(ctx, &j);
    });
}

Jsonb *drop_event_consumer(const pg_uuid_t *org_id, TextArg consumer) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        require_scope(ctx, org_id);
        char nulls[3] = "  ";
        Datum values[2] = {org_datum(org_id, &nulls[0]), CStringGetTextDatum(consumer.str)};
        bool dropped = run(drop_consumer, values, nulls) == 1;
        JsonOut j;
        begin_success(&j);
        j.put_string("consumer", consumer.str);
        j.put_bool("dropped", dropped);
        return answer(ctx, &j);
    });
}

Jsonb *read_events(const pg_uuid_t *org_id, TextArg consumer, int max_events) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        require_scope(ctx, org_id);
        int64 acked = 0;
        if (!consumer_position(ctx, consumer, &acked))
            return consumer_not_found(ctx);
        // Waiting its turn, the reader positions everything that committed
        // before it asked.
        (void)position_queued_events(ctx, org_id, true);

        // One more than asked for tells whether more are waiting.
        uint64 n;
        if (org_id != nullptr) {
            Datum values[3] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id)), Int64GetDatum(acked),
                               Int32GetDatum(max_events + 1)};
            n = run(read_one_org, values, nullptr);
        } else {
            Datum values[2] = {Int64GetDatum(acked), Int32GetDatum(max_events + 1)};
            n = run(read_every_org, values, nullptr);
        }
        bool more = n > static_cast<uint64>(max_events);
        if (more)
            n = static_cast<uint64>(max_events);
        int64 last = acked;
        JsonOut j;
        begin_success(&j);
        j.put_string("consumer", consumer.str);
        j.begin_array("events");
        for (uint64 i = 0; i < n; ++i) {
            bool isnull;
            last = DatumGetInt64(column(i, 1, &isnull));
            pg_uuid_t event_org = column_uuid(i, 3);
            pg_uuid_t reservation = column_uuid(i, 5);
            j.begin_element_object();
            j.put_int("position", last);
            j.put_string("event", column_text(i, 2));
            j.put_uuid("org_id", &event_org);
            j.put_string("calendar_id", column_text(i, 4));
            j.put_uuid("id", &reservation);
            j.put_string("status", column_text(i, 6));
            j.put_timestamp("at", column_timestamp(i, 7));
            // Said when the reservation is one calendar of a set, or an
            // occurrence of a series.
            if (!column_is_null(i, 8)) {
                pg_uuid_t set_id = column_uuid(i, 8);
                j.put_uuid("set_id", &set_id);
            }
            if (!column_is_null(i, 9)) {
                pg_uuid_t series_id = column_uuid(i, 9);
                j.put_uuid("series_id", &series_id);
            }
            // A waitlist offer: whose it is and when, the hold being id.
            if (!column_is_null(i, 10)) {
                pg_uuid_t waitlist_id = column_uuid(i, 10);
                j.put_uuid("waitlist_id", &waitlist_id);
                j.put_uuid("hold_id", &reservation);
                j.put_timestamp("starts_at", column_timestamp(i, 11));
            }
            j.end_object();
        }
        j.end_array();
        j.put_int("last_position", last);
        j.put_bool("more", more);
        return answer(ctx, &j);
    });
}

Jsonb *ack_events(const pg_uuid_t *org_id, TextArg consumer, int64 up_to) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        require_scope(ctx, org_id);
        run(last_position, nullptr, nullptr);
        bool isnull;
        int64 given_out = DatumGetInt64(column(0, 1, &isnull));
        if (up_to > given_out)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("up_to %lld is past the last event position, %lld",
                                   static_cast<long long>(up_to),
                                   static_cast<long long>(given_out)),
                            errhint("Acknowledge the last_position read_events() answered.")));
        char nulls[5] = "    ";
        Datum values[4] = {org_datum(org_id, &nulls[0]), CStringGetTextDatum(consumer.str),
                           Int64GetDatum(up_to), TimestampTzGetDatum(ctx->now)};
        if (run(ack_consumer, values, nulls) == 0)
            return consumer_not_found(ctx);
        int64 acked = DatumGetInt64(column(0, 1, &isnull));
        if (org_id != nullptr) {
            Datum org[1] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id))};
            run(delete_handled_of_org, org, nullptr);
        }
        JsonOut j;
        begin_success(&j);
        j.put_string("consumer", consumer.str);
        j.put_int("acked", acked);
        return answer(ctx, &j);
    });
}

}  // namespace booking::pg
