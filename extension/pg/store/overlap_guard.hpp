// The guarantee itself: no two blocking reservations of one calendar
// overlap (no more than their capacity overlap, for a calendar with several
// places: core/capacity.hpp), whoever writes them (the functions, a direct
// INSERT, UPDATE or COPY), in any isolation level.
//
// A BEFORE ROW trigger on booking.reservations (enabled ALWAYS, so it fires
// for replication and replica-mode sessions too) checks every row that would
// add blocking time: it takes the calendar lock, which serialises all writers
// of one calendar until commit, and probes a btree index of blocking rows
// ordered by the end of their blocking range, with the latest committed data
// plus this transaction's own rows. Because blocking rows of a calendar never
// overlap, they are ordered the same by start and by end, so one probe
// decides: the first row ending after the new row starts overlaps it exactly
// when it starts before the new row ends. (Rows checked this way keep that
// invariant: see the note in overlap_guard.cpp, which also says how rows of
// capacity above 1 are counted.)
//
// It replaces an exclusion constraint over a GiST index, which kept the same
// guarantee at several times the cost per write (the GiST index was searched
// twice and updated on every booking). A conflicting direct write fails with
// 23P01 (exclusion_violation), as the constraint did; the booking functions
// ask for the row to be skipped instead, and answer.
//
// Writers in flight. A transaction past its budget of calendar locks
// (store/calendar_lock.hpp) lets go of a calendar's lock once its row is in
// the index, before it commits. The probe therefore reads as PostgreSQL's
// exclusion check does, with a dirty snapshot, and a row such a writer
// wrote where the new one goes, with the committed rows leaving room, is
// waited for (its transaction's end) and the probe made again: no overlap
// can commit, whatever the number of calendars a transaction writes.
#pragma once

#include "core/time_range.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

// The trigger's work on one row (BEFORE INSERT OR UPDATE, FOR EACH ROW): the
// row to write, or null to skip it. The SQL entry point is
// booking_guard_overlap (entry/triggers.cpp).
Datum guard_reservation_row(TriggerData *trigger);

// The handshake between a function's own write and the guard: while armed
// for a row id, a conflict of that row is answered by skipping it (the
// statement writes no row, which the writer sees in its row count) instead of
// raising 23P01. It holds for one write: in the transaction that armed it,
// while the subtransaction that armed it runs, until disarmed. A write that
// raised cannot leave it armed for a later statement: the error ends that
// transaction or subtransaction, and with it the arming. The functions put it around their
// own single-row writes: arm_overlap_skip(id), the write, disarm_overlap_skip().
void arm_overlap_skip(const pg_uuid_t *id);
void disarm_overlap_skip();
// Whether the last armed write was skipped for a writer in flight (below)
// rather than a row in the way: the function answers busy, not taken.
bool overlap_skip_met_writer();

// An import (operations/import.hpp): while armed, in the transaction and
// subtransaction that armed it, a row in the way of one already there (or
// of one the import wrote before it) is skipped and recorded rather than
// refused, and a held row is refused (22023). What it recorded, in `into`:
// every skipped row's organisation, and the first `keep` rows in full.
struct ImportConflict {
    pg_uuid_t org_id;
    char *calendar_id;
    core::TimeRange span;  // starts_at, ends_at
    pg_uuid_t overlaps_id;  // the first row in its way
};
BOOKING_PLAIN_DATA(ImportConflict);
struct ImportSkips {
    ImportConflict *kept;
    int n_kept;
    pg_uuid_t *skipped_orgs;
    int64 skipped;
};
BOOKING_PLAIN_DATA(ImportSkips);
void arm_import_skips(MemoryContext into, int keep);
ImportSkips disarm_import_skips();

// Whether a new blocking row of blocks and capacity would pass the guard on
// the calendar now: the trigger's own probe (one index read where the rows
// around keep their time to themselves). A hold whose TTL passed still
// counts here, as the trigger counts it; false also where the probe cannot
// run here (the tables distributed, the index missing): ask the statement
// (store's find_overlapping) then.
bool guard_admits(const CallContext *ctx, const char *calendar_id, core::TimeRange blocks,
                  int capacity);

// Whether a writer in flight (above) wrote blocking rows of the calendar
// meeting window, which the latest committed data, what the day and week
// limits count, does not show yet: a call under the calendar's lock answers
// busy then rather than count without them. False where the index is not
// read here (the tables distributed).
bool writer_in_flight(const CallContext *ctx, const char *calendar_id, core::TimeRange window);

}  // namespace booking::pg
