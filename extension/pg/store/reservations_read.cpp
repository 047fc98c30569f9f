// The reads of booking.reservations (store/reservations.hpp).
#include <algorithm>

#include "core/caller_hold.hpp"
#include "core/input_limits.hpp"
#include "core/period_limits.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/store/reservations.hpp"
#include "pg/store/reservations_index.hpp"

namespace booking::pg {

namespace {

#define RESERVATION_COLUMNS                                                                      \
    "id, calendar_id, starts_at, ends_at, status::text, expires_at, otp_sent_at, otp_attempts, " \
    "verified_at, created_at, idempotency_key, otp_sends, patient_phone"
#define RESOURCE_COLUMNS "capacity, set_id, series_id"

#define RESERVATION_STATEMENT(sql, nargs, ...) {sql(RESOURCE_COLUMNS), nargs, __VA_ARGS__, nullptr}

#define FIND_SQL(resources)                                                          \
    "SELECT " RESERVATION_COLUMNS ", " resources " FROM booking.reservations "    \
    "WHERE org_id = $1 AND id = $2"
Statement find_stmt = RESERVATION_STATEMENT(FIND_SQL, 2, {UUIDOID, UUIDOID});

#define FIND_FOR_UPDATE_SQL(resources) FIND_SQL(resources) " FOR UPDATE"
Statement find_for_update_stmt =
    RESERVATION_STATEMENT(FIND_FOR_UPDATE_SQL, 2, {UUIDOID, UUIDOID});

#define FIND_CALLER_HOLD_SQL(resources)                                              \
    "SELECT " RESERVATION_COLUMNS ", " resources " FROM booking.reservations "    \
    "WHERE org_id = $1 AND caller_ref = $2 AND " BOOKING_CALLER_HOLD_SQL " FOR UPDATE"
Statement find_caller_hold_stmt =
    RESERVATION_STATEMENT(FIND_CALLER_HOLD_SQL, 2, {UUIDOID, TEXTOID});

#define FIND_IDEMPOTENCY_SQL(resources)                                              \
    "SELECT " RESERVATION_COLUMNS ", " resources " FROM booking.reservations "    \
    "WHERE org_id = $1 AND idempotency_key = $2"
Statement find_idempotency_stmt =
    RESERVATION_STATEMENT(FIND_IDEMPOTENCY_SQL, 2, {UUIDOID, TEXTOID});

// Blocking rows of capacity 1 never overlap anything, so ordered by the end
// of their blocking range they are ordered by its start too: the rows meeting
// a range are a run of this order that starts at the first row ending after
// the range starts and stops at the first row of capacity 1 starting at or
// after its end (a row sharing its time could lie beyond one of capacity
// above 1; the overlap guard's note says why one of capacity 1 closes the
// run). Both readers walk that run in batches, and at most as far as the
// longest blocking range allows ($6, $7 below).
#define OVERLAPPING_SQL(resources)                                                           \
    "SELECT " RESERVATION_COLUMNS ", " resources                                           \
    ", pg_catalog.lower(blocks), pg_catalog.upper(blocks) FROM booking.reservations "      \
    "WHERE org_id = $1 AND calendar_id = $2 AND pg_catalog.upper(blocks) > $3 "            \
    "AND pg_catalog.upper(blocks) < $6 AND " BOOKING_BLOCKING_STATUSES_SQL " AND id <> $4 " \
    "ORDER BY pg_catalog.upper(blocks) LIMIT $5"
Statement overlapping_stmt = RESERVATION_STATEMENT(
    OVERLAPPING_SQL, 6, {UUIDOID, TEXTOID, TIMESTAMPTZOID, UUIDOID, INT4OID, TIMESTAMPTZOID});

#define BUSY_SQL(resources)                                                                   \
    "SELECT pg_catalog.lower(blocks), pg_catalog.upper(blocks), " resources                 \
    " FROM booking.reservations "                                                           \
    "WHERE org_id = $1 AND calendar_id = $2 AND pg_catalog.upper(blocks) > $3 "             \
    "AND pg_catalog.upper(blocks) < $7 AND " BOOKING_BLOCKING_STATUSES_SQL                  \
    " AND (status <> 'held' OR expires_at > $4) AND id <> $5 "                              \
    "ORDER BY pg_catalog.upper(blocks) LIMIT $6"
Statement busy_stmt =
    RESERVATION_STATEMENT(BUSY_SQL, 7,
                     {UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, UUIDOID, INT4OID,
                      TIMESTAMPTZOID});

// The rows of a set: the first one, then by calendar.
// Both read the rows through booking.reservation_links.
#define LINKED_TO(link)                                                                      \
    "id IN (SELECT reservation_id FROM booking.reservation_links WHERE org_id = $1 "        \
    "AND link_id = $2) AND " link " = $2"
Statement find_set_stmt = {"SELECT " RESERVATION_COLUMNS ", " RESOURCE_COLUMNS
                           " FROM booking.reservations WHERE org_id = $1 AND " LINKED_TO("set_id")
                           " ORDER BY id = set_id DESC, calendar_id",
                           2,
                           {UUIDOID, UUIDOID},
                           nullptr};

// The rows of a series: by start, each occurrence's first row first.
Statement find_series_stmt = {"SELECT " RESERVATION_COLUMNS ", " RESOURCE_COLUMNS
                              " FROM booking.reservations WHERE org_id = $1 AND "
                              LINKED_TO("series_id")
                              " ORDER BY starts_at, set_id IS NULL OR id = set_id DESC, calendar_id",
                              2,
                              {UUIDOID, UUIDOID},
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

// Blocking reservations starting in [$3, $4), walked by the overlap guard's
// index (the end of the blocking range, which lies after the start): from
// the first ending after the window starts, each with its start, capacity
// and whether it is a lapsed hold. $6 bounds the walk by the longest
// blocking range ($5); starts_walk stops it sooner (see there).
Statement starts_walk_stmt = {
    "SELECT starts_at, capacity, status = 'held' AND expires_at <= $4 FROM booking.reservations "
    "WHERE org_id = $1 AND calendar_id = $2 AND pg_catalog.upper(blocks) > $3 "
    "AND pg_catalog.upper(blocks) < $5 AND " BOOKING_BLOCKING_STATUSES_SQL " AND id <> $6 "
    "ORDER BY pg_catalog.upper(blocks)",
    6,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, UUIDOID},
    nullptr};

constexpr int kBatch = 256;
// The columns after RESERVATION_COLUMNS: RESOURCE_COLUMNS, then
// overlapping_stmt's lower(blocks) and upper(blocks).
constexpr int kCapacityColumn = 14;
constexpr int kSetColumn = 15;
constexpr int kSeriesColumn = 16;
constexpr int kOverlapLowerColumn = 17;
constexpr int kOverlapUpperColumn = 18;

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
    out->capacity = column_int32(row, kCapacityColumn);
    out->blocks = {0, 0};
    out->has_set = !column_is_null(row, kSetColumn);
    out->set_id = column_uuid(row, kSetColumn);
    out->has_series = !column_is_null(row, kSeriesColumn);
    out->series_id = column_uuid(row, kSeriesColumn);
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

int find_set(const CallContext *ctx, const pg_uuid_t *set_id, Reservation **out) {
    Datum values[2] = {uuid_datum(ctx->org_id), uuid_datum(set_id)};
    uint64 n = run(find_set_stmt, values, nullptr);
    Reservation *rows = static_cast<Reservation *>(palloc(sizeof(Reservation) * (n > 0 ? n : 1)));
    for (uint64 i = 0; i < n; ++i)
        read_reservation(i, &rows[i]);
    *out = rows;
    return static_cast<int>(n);
}

int find_series(const CallContext *ctx, const pg_uuid_t *series_id, Reservation **out) {
    Datum values[2] = {uuid_datum(ctx->org_id), uuid_datum(series_id)};
    uint64 n = run(find_series_stmt, values, nullptr);
    Reservation *rows = static_cast<Reservation *>(palloc(sizeof(Reservation) * (n > 0 ? n : 1)));
    for (uint64 i = 0; i < n; ++i)
        read_reservation(i, &rows[i]);
    *out = rows;
    return static_cast<int>(n);
}

// Both reads below walk blocking rows of one calendar by the end of their
// range (see overlapping_stmt): the first row of capacity 1 starting at or
// after the range's end closes the walk. They read through a cursor, a few
// rows at a time, so a conflict on a full calendar reads the rows it needs
// and no more.
constexpr long kNoLimit = INT32_MAX;
constexpr long kFirstOverlaps = 4;  // usually one row overlaps, and the next closes
constexpr long kBusyFetch = 16;

Reservation *find_overlapping(const CallContext *ctx, const char *calendar_id,
                              core::TimeRange range, const pg_uuid_t *exclude, int *count) {
    int capacity = 8;
    int n = 0;
    Reservation *out = static_cast<Reservation *>(palloc(sizeof(Reservation) * capacity));
    Datum values[6] = {
        uuid_datum(ctx->org_id),
        CStringGetTextDatum(calendar_id),
        TimestampTzGetDatum(range.start),
        uuid_datum(exclude ? exclude : nil_uuid()),
        Int32GetDatum(kNoLimit),
        TimestampTzGetDatum(range.end + core::limits::kLongestBlocking),
    };
    Portal rows = open_rows(overlapping_stmt, values, nullptr);
    for (long want = kFirstOverlaps;; want = kBatch) {
        uint64 got = fetch_rows(rows, want);
        bool done = got < static_cast<uint64>(want);  // no more rows after these
        for (uint64 i = 0; i < got; ++i) {
            if (column_timestamp(i, kOverlapLowerColumn) >= range.end) {
                if (column_int32(i, kCapacityColumn) == 1) {
                    done = true;
                    break;
                }
                continue;
            }
            if (n == capacity) {
                capacity *= 2;
                out = static_cast<Reservation *>(repalloc(out, sizeof(Reservation) * capacity));
            }
            read_reservation(i, &out[n]);
            out[n].blocks = {column_timestamp(i, kOverlapLowerColumn),
                             column_timestamp(i, kOverlapUpperColumn)};
            ++n;
        }
        if (done)
            break;
    }
    close_rows(rows);
    *count = n;
    return out;
}

core::Occupant *load_busy(const CallContext *ctx, const char *calendar_id,
                          core::TimeRange window, const pg_uuid_t *exclude, int *count) {
    int room = kBatch;
    int n = 0;
    core::Occupant *busy = static_cast<core::Occupant *>(palloc(sizeof(core::Occupant) * room));
    Datum values[7] = {
        uuid_datum(ctx->org_id),
        CStringGetTextDatum(calendar_id),
        TimestampTzGetDatum(window.start),
        TimestampTzGetDatum(ctx->now),
        uuid_datum(exclude ? exclude : nil_uuid()),
        Int32GetDatum(kNoLimit),
        TimestampTzGetDatum(window.end + core::limits::kLongestBlocking),
    };
    Portal rows = open_rows(busy_stmt, values, nullptr);
    for (;;) {
        uint64 got = fetch_rows(rows, kBusyFetch);
        bool done = got < static_cast<uint64>(kBusyFetch);  // no more rows after these
        for (uint64 i = 0; i < got; ++i) {
            core::Occupant o;
            o.blocks = {column_timestamp(i, 1), column_timestamp(i, 2)};
            o.capacity = column_int32(i, 3);
            if (o.blocks.start >= window.end) {
                if (o.capacity == 1) {
                    done = true;
                    break;
                }
                continue;
            }
            if (n == room) {
                room *= 2;
                busy = static_cast<core::Occupant *>(
                    repalloc(busy, sizeof(core::Occupant) * room));
            }
            busy[n++] = o;
        }
        if (done)
            break;
    }
    close_rows(rows);
    *count = n;
    return busy;
}

namespace {

// Both walks below visit blocking rows of one calendar in the order of the
// end of their blocking range, from the first ending after the window
// starts, and core::start_step says what each row is to the count.
using core::StartStep;

void add_start(TimestampTz start, core::Micros **out, int *room, int *n) {
    if (*n == *room) {
        *room *= 2;
        *out = static_cast<core::Micros *>(repalloc(*out, sizeof(core::Micros) * *room));
    }
    (*out)[(*n)++] = start;
}

// The live starts in window, in the walk's order, into *out (room *room,
// palloc'd), through starts_walk_stmt: where the tables are distributed
// (only a statement reaches the tenant's shard, Citus routing it by org_id)
// or the blocking index cannot be read.
int starts_walk_sql(const CallContext *ctx, const char *calendar_id, core::TimeRange window,
                    const pg_uuid_t *exclude, core::Micros **out, int *room) {
    Datum values[6] = {
        uuid_datum(ctx->org_id),
        CStringGetTextDatum(calendar_id),
        TimestampTzGetDatum(window.start),
        TimestampTzGetDatum(ctx->now),
        TimestampTzGetDatum(window.end + core::limits::kLongestBlocking),
        uuid_datum(exclude ? exclude : nil_uuid()),
    };
    int n = 0;
    Portal rows = open_rows(starts_walk_stmt, values, nullptr);
    for (bool done = false; !done;) {
        uint64 got = fetch_rows(rows, kBusyFetch);
        done = got < static_cast<uint64>(kBusyFetch);
        for (uint64 i = 0; i < got; ++i) {
            bool isnull;
            const bool lapsed = DatumGetBool(column(i, 3, &isnull)) && !isnull;
            const TimestampTz start = column_timestamp(i, 1);
            const StartStep step = core::start_step(window, start, lapsed, column_int32(i, 2));
            if (step == StartStep::stop) {
                done = true;
                break;
            }
            if (step == StartStep::take)
                add_start(start, out, room, &n);
        }
    }
    close_rows(rows);
    return n;
}

// What the limits' walk does with the row an entry of the blocking index led
// to (core's start_step on it): its status rechecked (the index's predicate,
// as the guard does), skip not counted, a lapsed hold ("status = 'held' AND
// expires_at <= now"; a hold without an expiry is not lapsed, as the
// statement reads NULL) skipped.
StartStep row_step(const CallContext *ctx, const ReservationColumns &columns,
                   TupleTableSlot *slot, const pg_uuid_t *skip, core::TimeRange window) {
    const std::optional<core::Status> status = slot_status(columns, slot);
    if (!status || !core::blocks_calendar(*status))
        return StartStep::skip;
    bool isnull;
    Datum id = slot_getattr(slot, columns.id, &isnull);
    if (isnull || memcmp(DatumGetUUIDP(id)->data, skip->data, UUID_LEN) == 0)
        return StartStep::skip;
    Datum expires = slot_getattr(slot, columns.expires_at, &isnull);
    const bool lapsed =
        *status == core::Status::held && !isnull && DatumGetTimestampTz(expires) <= ctx->now;
    Datum starts = slot_getattr(slot, columns.starts_at, &isnull);
    const TimestampTz start = isnull ? 0 : DatumGetTimestampTz(starts);
    int capacity = 1;
    if (columns.capacity > 0) {
        Datum places = slot_getattr(slot, columns.capacity, &isnull);
        capacity = isnull ? 0 : DatumGetInt32(places);
    }
    return core::start_step(window, start, lapsed, capacity);
}

// The blocking index of booking.reservations here, opened with its table
// (both to be closed with close_blocking), or false when either is missing.
struct BlockingIndex {
    Relation heap;
    Relation index;
};
BOOKING_PLAIN_DATA(BlockingIndex);

bool open_blocking(BlockingIndex *out) {
    Oid heap_oid = reservations_relid();
    if (!OidIsValid(heap_oid))
        return false;
    Relation heap = table_open(heap_oid, AccessShareLock);
    Oid index_oid = blocking_index_of(heap);
    if (!OidIsValid(index_oid)) {
        table_close(heap, NoLock);
        return false;
    }
    *out = {heap, index_open(index_oid, AccessShareLock)};
    return true;
}

void close_blocking(const BlockingIndex &b) {
    // The locks stay to the end of the transaction, as the executor's do.
    index_close(b.index, NoLock);
    table_close(b.heap, NoLock);
}

// The same walk read from the blocking index directly (reservations_index.hpp),
// with the statement's rows: its bounds are the scan's keys, row_step its
// filters. The snapshot is the statement's too: the latest committed data
// and this transaction's own rows, taken after the calendar locks this call
// holds, so the limits' counts (operations/write_path.hpp's limits_to_count
// and limit_refusal) see every earlier holder's rows as before. It runs at
// every booking of a calendar with limits, and through SPI most of its cost
// was the executor's start-up on the wide table. False, reading nothing,
// when the table or its index is not there.
bool starts_walk_index(const CallContext *ctx, const char *calendar_id, core::TimeRange window,
                       const pg_uuid_t *exclude, core::Micros **out, int *room, int *count) {
    BlockingIndex b;
    if (!open_blocking(&b))
        return false;
    const ReservationColumns &columns = reservation_columns(b.heap);
    LatestScan rows =
        begin_blocking_scan(b.heap, b.index, ctx->org_id, CStringGetTextDatum(calendar_id),
                            window.start, window.end + core::limits::kLongestBlocking);
    // The statement's "id <> $6", with the nil id for no exclusion.
    const pg_uuid_t *skip = exclude ? exclude : nil_uuid();
    int n = 0;
    while (next_row(&rows)) {
        const StartStep step = row_step(ctx, columns, rows.slot, skip, window);
        if (step == StartStep::stop)
            break;
        if (step == StartStep::take) {
            bool isnull;
            add_start(DatumGetTimestampTz(slot_getattr(rows.slot, columns.starts_at, &isnull)),
                      out, room, &n);
        }
    }
    end_latest_scan(&rows);
    close_blocking(b);
    *count = n;
    return true;
}

int starts_walk(const CallContext *ctx, const char *calendar_id, core::TimeRange window,
                const pg_uuid_t *exclude, core::Micros **out, int *room) {
    int n = 0;
    if (!distributed_by_tenant() &&
        starts_walk_index(ctx, calendar_id, window, exclude, out, room, &n))
        return n;
    return starts_walk_sql(ctx, calendar_id, window, exclude, out, room);
}

}  // namespace

int64 count_starts_in(const CallContext *ctx, const char *calendar_id, core::TimeRange window,
                      const pg_uuid_t *exclude) {
    int room = kBatch;
    core::Micros *starts = static_cast<core::Micros *>(palloc(sizeof(core::Micros) * room));
    int n = starts_walk(ctx, calendar_id, window, exclude, &starts, &room);
    pfree(starts);
    return n;
}

// The bound reads the entries of the rows ending inside the window without
// their rows: each blocking row visible to the walk has an entry (its HOT
// chain's, under the key it was written with, which no update of the chain
// changed) until vacuum finds it dead to everyone, so their number is at
// least the walk's count of the rows that end there; too many by the rows
// that started before the window, ended, or were cancelled since, and by
// lapsed holds, the excluded row and rows of larger capacity — it is a
// bound. The rows ending after the window are read as the walk reads them
// (row_step), to its stop: a row starting in the window may end far beyond
// it, and only the row tells where it starts. A calendar of capacity 1 has
// at most one such row and the one that stops the walk, where the walk
// fetched every row of the period.
int64 bound_starts_in(const CallContext *ctx, const char *calendar_id, core::TimeRange window) {
    BlockingIndex b;
    if (distributed_by_tenant() || !open_blocking(&b))
        return -1;
    const ReservationColumns &columns = reservation_columns(b.heap);
    LatestScan rows = begin_blocking_scan(b.heap, b.index, ctx->org_id,
                                          CStringGetTextDatum(calendar_id), window.start,
                                          window.end + core::limits::kLongestBlocking, true);
    int64 n = 0;
    while (index_getnext_tid(rows.scan, ForwardScanDirection) != nullptr) {
        if (entry_end(rows) <= window.end) {
            ++n;
            continue;
        }
        if (!index_fetch_heap(rows.scan, rows.slot))
            continue;
        const StartStep step = row_step(ctx, columns, rows.slot, nil_uuid(), window);
        if (step == StartStep::stop)
            break;
        n += step == StartStep::take ? 1 : 0;
    }
    end_latest_scan(&rows);
    close_blocking(b);
    return n;
}

core::Micros *find_starts_in(const CallContext *ctx, const char *calendar_id,
                             core::TimeRange window, const pg_uuid_t *exclude, int *count) {
    int room = kBatch;
    core::Micros *starts = static_cast<core::Micros *>(palloc(sizeof(core::Micros) * room));
    int n = starts_walk(ctx, calendar_id, window, exclude, &starts, &room);
    std::sort(starts, starts + n);
    *count = n;
    return starts;
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
