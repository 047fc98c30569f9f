// The reads of booking.reservations (store/reservations.hpp).
#include "core/caller_hold.hpp"
#include "pg/store/datums.hpp"
#include "pg/store/reservations.hpp"
#include "pg/store/statement.hpp"

namespace booking::pg {

namespace {

#define RESERVATION_COLUMNS                                                                      \
    "id, calendar_id, starts_at, ends_at, status::text, expires_at, otp_sent_at, otp_attempts, " \
    "verified_at, created_at, idempotency_key, otp_sends, patient_phone"

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
    "WHERE org_id = $1 AND caller_ref = $2 AND " BOOKING_CALLER_HOLD_SQL " FOR UPDATE",
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
    "AND " BOOKING_BLOCKING_STATUSES_SQL " AND id <> $4 ORDER BY pg_catalog.upper(blocks) LIMIT $5",
    5,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID, UUIDOID, INT4OID},
    nullptr};

Statement busy_stmt = {
    "SELECT pg_catalog.lower(blocks), pg_catalog.upper(blocks) FROM booking.reservations "
    "WHERE org_id = $1 AND calendar_id = $2 AND pg_catalog.upper(blocks) > $3 "
    "AND " BOOKING_BLOCKING_STATUSES_SQL " AND (status <> 'held' OR expires_at > $4) AND id <> $5 "
    "ORDER BY pg_catalog.upper(blocks) LIMIT $6",
    6,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, UUIDOID, INT4OID},
    nullptr};

// A calendar's live reservations starting in a window, for
// appointments_outside_hours.
Statement live_starting_in_stmt = {
    "SELECT id, starts_at, ends_at, status::text FROM booking.reservations "
    "WHERE org_id = $1 AND calendar_id = $2 AND pg_catalog.upper(blocks) > $3 "
    "AND " BOOKING_BLOCKING_STATUSES_SQL " "
    "AND starts_at >= $3 AND starts_at < $4 ORDER BY starts_at",
    4,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID},
    nullptr};

constexpr int kBatch = 256;
// overlapping_stmt's lower(blocks), after RESERVATION_COLUMNS.
constexpr int kOverlapLowerColumn = 14;

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

int find_live_starting_in(const CallContext *ctx, const char *calendar_id,
                          core::TimeRange window, LiveReservation **out) {
    Datum values[4] = {uuid_datum(ctx->org_id), CStringGetTextDatum(calendar_id),
                       TimestampTzGetDatum(window.start), TimestampTzGetDatum(window.end)};
    uint64 n = run(live_starting_in_stmt, values, nullptr);
    LiveReservation *rows = static_cast<LiveReservation *>(
        MemoryContextAlloc(ctx->caller_context, sizeof(LiveReservation) * (n > 0 ? n : 1)));
    for (uint64 i = 0; i < n; ++i) {
        rows[i].id = column_uuid(i, 1);
        rows[i].starts_at = column_timestamp(i, 2);
        rows[i].ends_at = column_timestamp(i, 3);
        rows[i].status = MemoryContextStrdup(ctx->caller_context, column_text(i, 4));
    }
    *out = rows;
    return static_cast<int>(n);
}
}  // namespace booking::pg
