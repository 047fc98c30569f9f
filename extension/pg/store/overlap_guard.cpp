#include "pg/store/overlap_guard.hpp"

#include "core/capacity.hpp"
#include "core/input_limits.hpp"
#include "core/reservation_state.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/store/blocking_range.hpp"
#include "pg/store/calendar_lock.hpp"
#include "pg/store/reservations_index.hpp"

// Why one probe per row is enough. Let the blocking rows present before a
// statement be pairwise disjoint, and let every row the statement writes pass
// the probe against the rows visible to it (all committed rows, the rows this
// transaction wrote before, and the rows of this statement already written,
// which a BEFORE ROW trigger sees). Adding a row that passes keeps the set
// pairwise disjoint: the probe finds the row f with the least end after the
// new row's start; if f starts at or after the new row's end, every other row
// ending after the new row's start ends no earlier than f, and being disjoint
// from f and ordered like it, starts no earlier than f does, so none overlaps.
// By induction over the rows written, the set stays disjoint; concurrent
// writers of a calendar are serialised by its lock, held to commit. And as
// no blocking range is longer than limits::kLongestBlocking (a row rule), a
// row overlapping the new one ends before the new end plus that length, and
// so does f: the probe need look no further.
//
// Capacity (core/capacity.hpp). A row of capacity N may share its time with
// others, and the invariant becomes: at every instant of a blocking row, at
// most its capacity of blocking rows cover that instant. Rows of capacity 1
// keep the argument above, and the one probe still decides for them, with
// one more look: when f starts at or after the new row's end and f has
// capacity 1, no row g overlapping the new one can lie beyond f, for g would
// start before the new end, so before f, and end after f, covering all of f,
// and two rows would cover f's instants against f's capacity of 1. So a
// calendar whose rows have capacity 1 costs one probe, as before. Otherwise
// (f overlaps a row of capacity above 1, or f itself has more places) the
// guard reads every blocking row meeting the new one, bounded as above, and
// admits the row when core::places_left finds a place at every instant of
// it, which keeps the invariant for the new row and every row it meets.

namespace booking::pg {

namespace {

// The row a function's write armed the skip for, and where: the transaction
// (its local id) and subtransaction that armed it.
struct SkipArming {
    bool armed;
    pg_uuid_t id;
    LocalTransactionId transaction;
    SubTransactionId subtransaction;
    bool met_writer;  // the row was skipped for a writer in flight
};
BOOKING_PLAIN_DATA(SkipArming);
SkipArming skip = {false, {}, InvalidLocalTransactionId, InvalidSubTransactionId, false};

// An import's arming (import_appointments): where, into which memory, and
// what it skipped so far.
struct ImportArming {
    bool armed;
    LocalTransactionId transaction;
    SubTransactionId subtransaction;
    MemoryContext into;
    int keep;
    ImportSkips skips;
    int room;
};
BOOKING_PLAIN_DATA(ImportArming);
ImportArming import = {false, InvalidLocalTransactionId, InvalidSubTransactionId, nullptr, 0,
                       {nullptr, 0, nullptr, 0}, 0};

bool import_armed() {
    return import.armed && import.transaction == compat::local_transaction_id() &&
           SubTransactionIsActive(import.subtransaction);
}

void record_import_skip(const pg_uuid_t *org_id, text *calendar_id, core::TimeRange span,
                        const pg_uuid_t &overlaps) {
    MemoryContext caller = MemoryContextSwitchTo(import.into);
    ImportSkips &k = import.skips;
    if (k.skipped == import.room) {
        import.room = import.room == 0 ? 64 : import.room * 2;
        k.skipped_orgs = static_cast<pg_uuid_t *>(
            k.skipped_orgs == nullptr
                ? palloc(sizeof(pg_uuid_t) * import.room)
                : repalloc_huge(k.skipped_orgs, sizeof(pg_uuid_t) * import.room));
    }
    k.skipped_orgs[k.skipped++] = *org_id;
    if (k.n_kept < import.keep) {
        if (k.kept == nullptr)
            k.kept = static_cast<ImportConflict *>(palloc(sizeof(ImportConflict) * import.keep));
        ImportConflict &c = k.kept[k.n_kept++];
        c.org_id = *org_id;
        c.calendar_id = text_to_cstring(calendar_id);
        c.span = span;
        c.overlaps_id = overlaps;
    }
    MemoryContextSwitchTo(caller);
}

// Armed in this transaction, by a subtransaction still running (the current
// one or one it runs inside: under Citus the write itself runs in a
// subtransaction of its own, kernel/statement.hpp), for this row.
bool skip_armed_for(const pg_uuid_t *id) {
    return skip.armed && skip.transaction == compat::local_transaction_id() &&
           SubTransactionIsActive(skip.subtransaction) &&
           memcmp(skip.id.data, id->data, UUID_LEN) == 0;
}

// The probe reads reservations_blocking directly (an index scan, no SPI and
// no executor): it runs on every write of a blocking row, and through SPI it
// cost as much as the rest of the insert.
constexpr const char *kBlockingIndex = "reservations_blocking";

// The columns the guard reads (store/reservations_index.hpp): set by each
// firing, for the relation it fires on.
const ReservationColumns *columns = nullptr;

std::optional<core::Status> status_of(Datum value) { return status_of(*columns, value); }

struct RowFacts {
    const pg_uuid_t *org_id;
    const pg_uuid_t *id;
    text *calendar_id;
    std::optional<core::Status> status;
    bool blocking;
    core::TimeRange span;    // starts_at, ends_at
    core::TimeRange blocks;  // with the buffers
    int capacity;
    bool has_expires_at;
    bool has_blocks;
    Datum stored_blocks;  // when has_blocks
};
BOOKING_PLAIN_DATA(RowFacts);

// The row's columns, taken apart once (each heap_getattr of a column past
// a variable-width or null one walks the row from its start).
struct Deformed {
    Datum *values;
    bool *nulls;
};
BOOKING_PLAIN_DATA(Deformed);

Datum attribute(const Deformed &row, int attnum, const char *name) {
    if (row.nulls[attnum - 1])
        ereport(ERROR, (errcode(ERRCODE_NOT_NULL_VIOLATION),
                        errmsg("a reservation's %s must not be null", name)));
    return row.values[attnum - 1];
}

core::Micros buffer(const Deformed &row, int attnum, const char *name) {
    return checked_buffer(DatumGetIntervalP(attribute(row, attnum, name)), name);
}

RowFacts facts(HeapTuple tuple, TupleDesc desc) {
    Deformed row;
    row.values = static_cast<Datum *>(palloc(sizeof(Datum) * desc->natts));
    row.nulls = static_cast<bool *>(palloc(sizeof(bool) * desc->natts));
    heap_deform_tuple(tuple, desc, row.values, row.nulls);
    RowFacts f;
    f.status = row.nulls[columns->status - 1] ? std::nullopt
                                             : status_of(row.values[columns->status - 1]);
    f.blocking = f.status && core::blocks_calendar(*f.status);
    f.org_id = DatumGetUUIDP(attribute(row, columns->org_id, "org_id"));
    f.id = DatumGetUUIDP(attribute(row, columns->id, "id"));
    f.calendar_id = DatumGetTextPP(attribute(row, columns->calendar_id, "calendar_id"));
    f.span = {DatumGetTimestampTz(attribute(row, columns->starts_at, "starts_at")),
              DatumGetTimestampTz(attribute(row, columns->ends_at, "ends_at"))};
    check_finite(f.span.start, f.span.end);
    f.blocks = {f.span.start - buffer(row, columns->buffer_before, "buffer_before"),
                f.span.end + buffer(row, columns->buffer_after, "buffer_after")};
    f.capacity = columns->capacity > 0 ? DatumGetInt32(attribute(row, columns->capacity, "capacity"))
                                      : 1;
    f.has_expires_at = !row.nulls[columns->expires_at - 1];
    f.has_blocks = !row.nulls[columns->blocks - 1];
    f.stored_blocks = row.values[columns->blocks - 1];
    pfree(row.values);
    pfree(row.nulls);
    return f;
}

bool same_place(const RowFacts &a, const RowFacts &b) {
    return memcmp(a.org_id->data, b.org_id->data, UUID_LEN) == 0 && a.blocks == b.blocks &&
           VARSIZE_ANY_EXHDR(a.calendar_id) == VARSIZE_ANY_EXHDR(b.calendar_id) &&
           memcmp(VARDATA_ANY(a.calendar_id), VARDATA_ANY(b.calendar_id),
                  VARSIZE_ANY_EXHDR(a.calendar_id)) == 0;
}

[[noreturn]] void violates(Relation rel, const char *constraint) {
    ereport(ERROR, (errcode(ERRCODE_CHECK_VIOLATION),
                    errmsg("new row for relation \"%s\" violates check constraint \"%s\"",
                           RelationGetRelationName(rel), constraint),
                    errtableconstraint(rel, constraint)));
    pg_unreachable();
}

// The row rules a CHECK would state (see 10_reservations.sql for why they
// live here); facts() has checked the buffers as it read them.
void check_row_rules(Relation rel, const RowFacts &f) {
    if (f.span.start >= f.span.end)
        violates(rel, "reservations_range_not_empty");
    int chars = pg_mbstrlen_with_len(VARDATA_ANY(f.calendar_id),
                                     static_cast<int>(VARSIZE_ANY_EXHDR(f.calendar_id)));
    if (chars < 1 || chars > static_cast<int>(core::limits::kCalendarId))
        violates(rel, "reservations_calendar_id_length");
    if (f.span.end - f.span.start > core::limits::kLongestReservation)
        violates(rel, "reservations_max_length");
    if (f.capacity < 1 || f.capacity > core::kMaxCapacity)
        violates(rel, "reservations_capacity");
    if (f.status == core::Status::held && !f.has_expires_at)
        violates(rel, "reservations_held_expires");
}

// The row with its blocks column set from its range and buffers. The
// trigger keeps the column rather than a generated column: PostgreSQL
// re-reads a generated column's expression for every statement that writes
// the table, which cost a booking 3% of its time.
HeapTuple with_blocks(HeapTuple tuple, TupleDesc desc, const RowFacts &f) {
    RangeType *range = tstzrange_of(f.blocks);
    if (f.has_blocks && range_eq_internal(lookup_type_cache(TSTZRANGEOID, TYPECACHE_RANGE_INFO),
                                          DatumGetRangeTypeP(f.stored_blocks), range))
        return tuple;
    Datum values[1] = {RangeTypePGetDatum(range)};
    bool nulls[1] = {false};
    int attnums[1] = {columns->blocks};
    return heap_modify_tuple_by_cols(tuple, desc, 1, attnums, values, nulls);
}

// The index the guard probes, found by its shape (reservations_index.hpp).
Oid blocking_index_or_error(Relation heap) {
    Oid found = blocking_index_of(heap);
    if (!OidIsValid(found))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("relation \"%s\" has no index like booking.%s",
                               RelationGetRelationName(heap), kBlockingIndex),
                        errhint("The overlap guard reads it; reinstall the extension.")));
    return found;
}

// timestamptz_to_str answers in one static buffer: copy each bound before
// formatting the next.
const char *describe_range(core::TimeRange r) {
    char *start = pstrdup(timestamptz_to_str(r.start));
    char *end = pstrdup(timestamptz_to_str(r.end));
    return psprintf("[%s, %s)", start, end);
}

// A blocking row as the guard compares it.
struct BlockingRow {
    core::TimeRange blocks;
    int capacity;
    pg_uuid_t id;
};
BOOKING_PLAIN_DATA(BlockingRow);

// A row of the calendar that another transaction, still in progress, wrote
// or is deleting, as a walk met it. Only a transaction past its budget of
// calendar locks leaves rows it wrote where the holder of their calendar's
// lock can meet them uncommitted (store/calendar_lock.hpp); a row being
// deleted (cancelled, moved) by one in progress still counts, as the latest
// committed data has it.
struct InFlight {
    bool written;  // else being deleted
    TransactionId writer;
    pg_uuid_t id;
    core::TimeRange blocks;
    ItemPointerData tid;
};
BOOKING_PLAIN_DATA(InFlight);

struct InFlightRows {
    InFlight *rows;
    int n;
    int room;
};
BOOKING_PLAIN_DATA(InFlightRows);

void note_in_flight(InFlightRows *seen, const InFlight &row) {
    if (seen->n == seen->room) {
        seen->room = seen->room == 0 ? 4 : seen->room * 2;
        seen->rows = static_cast<InFlight *>(
            seen->rows == nullptr ? palloc(sizeof(InFlight) * seen->room)
                                  : repalloc(seen->rows, sizeof(InFlight) * seen->room));
    }
    seen->rows[seen->n++] = row;
}

// The first row written by a transaction in progress that the new row must
// wait for: one that adds blocking time where the new row wants it. A
// transaction that updated a row in place (confirmed it, changed its notes)
// shows the row twice, the version it deletes and the one it writes, at
// the same place: the first counts as committed, the second adds nothing.
const InFlight *writer_to_wait_for(const InFlightRows &seen) {
    for (int i = 0; i < seen.n; ++i) {
        const InFlight &w = seen.rows[i];
        if (!w.written)
            continue;
        bool in_place = false;
        for (int k = 0; k < seen.n && !in_place; ++k) {
            const InFlight &d = seen.rows[k];
            in_place = !d.written && d.blocks == w.blocks &&
                       memcmp(d.id.data, w.id.data, UUID_LEN) == 0;
        }
        if (!in_place)
            return &w;
    }
    return nullptr;
}

// Walks the blocking rows of the new row's calendar, other than the row
// itself (self may be null), that end after `after` and may start before
// `before`, in the order of their end, until visit(row) answers false.
//
// It reads as PostgreSQL's exclusion check does, with a dirty snapshot
// (reservations_index.hpp): every committed row, whatever the isolation
// level (a rival that committed before the calendar lock came is seen), and
// this transaction's own, this statement's earlier rows included. Rows that
// transactions in progress wrote are not visited but noted in `in_flight`
// when they meet [after, before); rows they are deleting are visited, and
// noted too.
template <typename Visit>
void walk_blocking(Relation heap, const RowFacts &next, TimestampTz after, TimestampTz before,
                   const pg_uuid_t *self, InFlightRows *in_flight, Visit visit) {
    Oid index_id = blocking_index_or_error(heap);
    Relation index = index_open(index_id, AccessShareLock);
    // A row that overlaps [after, before) ends before before + the longest
    // blocking range: the scan need look no further.
    LatestScan rows = begin_dirty_blocking_scan(heap, index, next.org_id,
                                                PointerGetDatum(next.calendar_id), after,
                                                before + core::limits::kLongestBlocking);
    bool more = true;
    while (more && next_row(&rows)) {
        TupleTableSlot *slot = rows.slot;
        const TransactionId writer = rows.snapshot->xmin;
        const TransactionId deleter = rows.snapshot->xmax;
        std::optional<core::Status> parsed = slot_status(*columns, slot);
        if (!parsed || !core::blocks_calendar(*parsed))
            continue;  // an index entry whose row has since stopped blocking
        bool isnull;
        Datum id = slot_getattr(slot, columns->id, &isnull);
        if (self && memcmp(DatumGetUUIDP(id)->data, self->data, UUID_LEN) == 0)
            continue;
        Datum blocks = slot_getattr(slot, columns->blocks, &isnull);
        if (isnull)
            continue;
        RangeType *range = DatumGetRangeTypeP(blocks);
        RangeBound lower, upper;
        bool empty;
        range_deserialize(lookup_type_cache(RangeTypeGetOid(range), TYPECACHE_RANGE_INFO), range,
                          &lower, &upper, &empty);
        if (empty)
            continue;
        BlockingRow row;
        row.blocks = {DatumGetTimestampTz(lower.val), DatumGetTimestampTz(upper.val)};
        row.capacity = 0;  // the visitor reads it (capacity_of) when it needs it
        row.id = *DatumGetUUIDP(id);
        if (TransactionIdIsValid(writer) || TransactionIdIsValid(deleter)) {
            InFlight seen{TransactionIdIsValid(writer), TransactionIdIsValid(writer) ? writer
                                                                                   : deleter,
                          *DatumGetUUIDP(id), row.blocks, slot->tts_tid};
            if (row.blocks.start < before && row.blocks.end > after)
                note_in_flight(in_flight, seen);
            if (seen.written)
                continue;
        }
        more = visit(row, slot);
    }
    end_latest_scan(&rows);
    index_close(index, AccessShareLock);
}

int capacity_of(TupleTableSlot *slot) {
    if (columns->capacity <= 0)
        return 1;
    bool isnull;
    Datum d = slot_getattr(slot, columns->capacity, &isnull);
    return isnull ? 1 : DatumGetInt32(d);
}

// The blocking row with the least end after the new row's start, if any,
// with its capacity.
bool first_blocking_after(Relation heap, const RowFacts &next, const pg_uuid_t *self,
                          InFlightRows *in_flight, BlockingRow *found) {
    bool hit = false;
    walk_blocking(heap, next, next.blocks.start, next.blocks.end, self, in_flight,
                  [&](BlockingRow row, TupleTableSlot *slot) {
                      row.capacity = capacity_of(slot);
                      *found = row;
                      hit = true;
                      return false;
                  });
    return hit;
}

// Every blocking row that meets the new row's blocking range, as occupants;
// palloc'd.
core::Occupant *blocking_meeting(Relation heap, const RowFacts &next, const pg_uuid_t *self,
                                 InFlightRows *in_flight, int *count) {
    int room = 16;
    int n = 0;
    core::Occupant *out = static_cast<core::Occupant *>(palloc(sizeof(core::Occupant) * room));
    walk_blocking(heap, next, next.blocks.start, next.blocks.end, self, in_flight,
                  [&](BlockingRow row, TupleTableSlot *slot) {
                      if (row.blocks.start >= next.blocks.end)
                          return true;
                      if (n == room) {
                          room *= 2;
                          out = static_cast<core::Occupant *>(
                              repalloc(out, sizeof(core::Occupant) * room));
                      }
                      out[n].blocks = row.blocks;
                      out[n].capacity = capacity_of(slot);
                      ++n;
                      return true;
                  });
    *count = n;
    return out;
}

// What the probe found: the new row may be written; it may not (found is
// the first row in its way); or the committed rows leave it room but a
// writer in flight may take it, to be waited for and the probe made again.
enum class Verdict { admitted, refused, wait };
struct Probe {
    Verdict verdict;
    BlockingRow found;
    InFlight writer;
};
BOOKING_PLAIN_DATA(Probe);

// Whether the committed rows (and this transaction's) leave the new row
// room: decided by one probe when its neighbours keep their time to
// themselves (capacity 1), else by counting (see the note at the top).
bool room_among_settled(Relation heap, const RowFacts &next, const pg_uuid_t *self,
                        InFlightRows *in_flight, BlockingRow *found) {
    if (!first_blocking_after(heap, next, self, in_flight, found))
        return true;
    const bool overlaps = found->blocks.start < next.blocks.end;
    if (!overlaps && found->capacity == 1)
        return true;
    if (overlaps && (next.capacity == 1 || found->capacity == 1))
        return false;
    int n = 0;
    core::Occupant *meeting = blocking_meeting(heap, next, self, in_flight, &n);
    int places = core::places_left({meeting, static_cast<std::size_t>(n)}, next.blocks,
                                   next.capacity);
    pfree(meeting);
    return places >= 1;
}

Probe probe(Relation heap, const RowFacts &next, const pg_uuid_t *self) {
    Probe p{};
    InFlightRows in_flight{nullptr, 0, 0};
    if (!room_among_settled(heap, next, self, &in_flight, &p.found)) {
        p.verdict = Verdict::refused;
    } else if (const InFlight *w = writer_to_wait_for(in_flight)) {
        p.verdict = Verdict::wait;
        p.writer = *w;
    } else {
        p.verdict = Verdict::admitted;
    }
    if (in_flight.rows != nullptr)
        pfree(in_flight.rows);
    return p;
}

}  // namespace

void arm_overlap_skip(const pg_uuid_t *id) {
    skip = SkipArming{true, *id, compat::local_transaction_id(), GetCurrentSubTransactionId(),
                      false};
}

void disarm_overlap_skip() { skip.armed = false; }

bool overlap_skip_met_writer() { return skip.met_writer; }

void arm_import_skips(MemoryContext into, int keep) {
    import = ImportArming{true, compat::local_transaction_id(), GetCurrentSubTransactionId(),
                          into, keep, {nullptr, 0, nullptr, 0}, 0};
}

ImportSkips disarm_import_skips() {
    import.armed = false;
    return import.skips;
}

Datum guard_reservation_row(TriggerData *trigger) {
    bool updating = TRIGGER_FIRED_BY_UPDATE(trigger->tg_event);
    HeapTuple row = updating ? trigger->tg_newtuple : trigger->tg_trigtuple;
    TupleDesc desc = RelationGetDescr(trigger->tg_relation);
    columns = &reservation_columns(trigger->tg_relation);

    RowFacts next = facts(row, desc);
    // A hold is a caller's, for minutes: nothing an import brings.
    if (next.status == core::Status::held && import_armed())
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("import_appointments does not import held reservations"),
                        errhint("Leave them out of the source, or import them with another "
                                "status (confirmed, requires_manual_followup).")));
    check_row_rules(trigger->tg_relation, next);
    row = with_blocks(row, desc, next);
    if (!next.blocking)
        return PointerGetDatum(row);
    const pg_uuid_t *self = nullptr;
    if (updating) {
        RowFacts before = facts(trigger->tg_trigtuple, desc);
        // Still blocking the same time on the same calendar, with no fewer
        // places: nothing new.
        if (before.blocking && same_place(before, next) && next.capacity >= before.capacity)
            return PointerGetDatum(row);
        self = before.id;
    }

    char *calendar = text_to_cstring(next.calendar_id);
    const int calendar_len = static_cast<int>(strlen(calendar));
    Probe p;
    for (;;) {
        const CalendarHold hold = lock_calendar_for_row(next.org_id, calendar, calendar_len);
        p = probe(trigger->tg_relation, next, self);
        if (p.verdict == Verdict::admitted)
            return PointerGetDatum(row);
        if (p.verdict == Verdict::refused)
            break;
        // A writer in flight where the row goes. A function that locked the
        // calendar before its write hears it, to answer busy: it will not
        // wait for an import while it holds the calendar's lock.
        if (hold == CalendarHold::held_before && skip_armed_for(next.id)) {
            skip.met_writer = true;
            return PointerGetDatum(nullptr);
        }
        // Otherwise wait for it, without the lock if it was taken for this
        // row (the writer may want it again), and probe again: it committed
        // (and its row stands in the way) or rolled back (and it does not).
        // With the lock held from earlier in this transaction the wait may
        // close a circle, which the deadlock detector breaks (40P01), as it
        // does for two inserters an exclusion constraint makes wait.
        let_go_for_row(next.org_id, calendar, calendar_len, hold);
        XactLockTableWait(p.writer.writer, trigger->tg_relation, &p.writer.tid,
                          XLTW_RecheckExclusionConstr);
    }
    const BlockingRow found = p.found;

    if (skip_armed_for(next.id))
        return PointerGetDatum(nullptr);
    if (import_armed()) {
        record_import_skip(next.org_id, next.calendar_id, next.span, found.id);
        return PointerGetDatum(nullptr);
    }
    ereport(ERROR,
            (errcode(ERRCODE_EXCLUSION_VIOLATION),
             next.capacity == 1
                 ? errmsg("reservation overlaps another blocking reservation of calendar \"%s\"",
                          calendar)
                 : errmsg("reservation exceeds the capacity of calendar \"%s\"", calendar),
             next.capacity == 1 && found.capacity <= 1
                 ? errdetail("Its blocking range %s overlaps %s (reservations_no_overlap).",
                             describe_range(next.blocks), describe_range(found.blocks))
                 : errdetail("Its blocking range %s finds no place left among the blocking "
                             "reservations it overlaps, the first %s (reservations_no_overlap).",
                             describe_range(next.blocks), describe_range(found.blocks)),
             errtableconstraint(trigger->tg_relation, "reservations_no_overlap")));
    pg_unreachable();
}

}  // namespace booking::pg

namespace booking::pg {

namespace {

// booking.reservations, for a call's probe of a calendar outside the
// trigger, with the guard's columns set; null where the probe cannot run
// here (the tables distributed, the table or its index missing). Close it
// with table_close(heap, NoLock): the lock stays to the end of the
// transaction, as the executor's does.
Relation open_for_probe() {
    if (distributed_by_tenant())
        return nullptr;
    Oid heap_oid = reservations_relid();
    if (!OidIsValid(heap_oid))
        return nullptr;
    Relation heap = table_open(heap_oid, AccessShareLock);
    if (!OidIsValid(blocking_index_of(heap))) {
        table_close(heap, NoLock);
        return nullptr;
    }
    columns = &reservation_columns(heap);
    return heap;
}

// A calendar's blocking time to probe, as the trigger's RowFacts.
RowFacts calendar_span(const CallContext *ctx, const char *calendar_id, core::TimeRange blocks,
                       int capacity) {
    RowFacts next{};
    next.org_id = ctx->org_id;
    next.calendar_id = cstring_to_text(calendar_id);
    next.blocking = true;
    next.blocks = blocks;
    next.span = blocks;
    next.capacity = capacity;
    return next;
}

}  // namespace

bool guard_admits(const CallContext *ctx, const char *calendar_id, core::TimeRange blocks,
                  int capacity) {
    Relation heap = open_for_probe();
    if (heap == nullptr)
        return false;
    // A writer in flight in the way counts as taking the slot: the call
    // chooses elsewhere rather than wait for an import.
    const bool admitted =
        probe(heap, calendar_span(ctx, calendar_id, blocks, capacity), nullptr).verdict ==
        Verdict::admitted;
    table_close(heap, NoLock);
    return admitted;
}

bool writer_in_flight(const CallContext *ctx, const char *calendar_id, core::TimeRange window) {
    Relation heap = open_for_probe();
    if (heap == nullptr)
        return false;
    InFlightRows in_flight{nullptr, 0, 0};
    walk_blocking(heap, calendar_span(ctx, calendar_id, window, 1), window.start, window.end,
                  nullptr, &in_flight, [](BlockingRow, TupleTableSlot *) { return true; });
    table_close(heap, NoLock);
    return writer_to_wait_for(in_flight) != nullptr;
}

}  // namespace booking::pg
