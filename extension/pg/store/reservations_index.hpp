// What the direct reads of booking.reservations share: the overlap guard's
// probe (store/overlap_guard.hpp), the contact cap's count
// (store/contact_bookings.hpp) and the limits' count of a calendar's starts
// (store/reservations.hpp). Each reads an index and the rows it leads to
// without SPI or the executor, whose start-up on that wide table cost
// several times the read itself; so each finds the columns it reads by
// name, tells a status by its enum value, and reads with the snapshot a
// statement of kernel/statement.hpp would use.
#pragma once

#include <optional>

#include "core/reservation_state.hpp"
#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

// The columns of the relation (booking.reservations, or a copy of it such
// as a Citus shard), by attribute number. Those a previous release's table
// may lack (the update to this release's schema adds capacity, set_id and
// contact_id, and the guard fires while it does) are 0 when missing.
struct ReservationColumns {
    Oid relid;
    int natts;
    int org_id, id, calendar_id, starts_at, ends_at, buffer_before, buffer_after, status, blocks,
        expires_at, caller_ref;
    int capacity, set_id, contact_id;  // 0: not in this relation
    // The status enum's value of each core::Status, so a status is told
    // without calling the enum's output function.
    Oid status_oid[core::kStatusCount];
};
BOOKING_PLAIN_DATA(ReservationColumns);

// The relation's columns, found once per relation (and again when it gains
// a column); raises when one that every release has is missing.
const ReservationColumns &reservation_columns(Relation rel);

// The status a stored value names (none for a value of no core::Status).
std::optional<core::Status> status_of(const ReservationColumns &columns, Datum value);
// The status of the row in slot (none when null).
std::optional<core::Status> slot_status(const ReservationColumns &columns, TupleTableSlot *slot);

// booking.reservations here, by name in the extension's schema; InvalidOid
// when it is not there.
Oid reservations_relid();

// The blocking index (reservations_blocking: org_id, calendar_id, then the
// end of the blocking range, partial on the blocking statuses) of heap,
// found among heap's own indexes by its shape, not by name: a copy of the
// table (a Citus shard, a restored table under another name) has its own
// index with its own name. Valid and ready, else InvalidOid (a CREATE INDEX
// CONCURRENTLY that failed leaves an index that misses rows). Kept per
// relation while it is still one of the relation's indexes.
Oid blocking_index_of(Relation heap);

// The contact cap's index of heap (store/contact_bookings.hpp), found the
// same way: by contact_id (reservations_contact: org_id, contact_id,
// starts_at) or, by_phone, by the phone's digits (reservations_contact_phone:
// org_id, the digits' expression, starts_at), both partial on the blocking
// statuses. InvalidOid when heap has none usable.
Oid contact_index_of(Relation heap, bool by_phone);

// An index scan of heap through index with the latest committed data and
// this transaction's own rows, this statement's earlier ones included: the
// command counter is incremented first, as SPI would, and a fresh latest
// snapshot is taken, as kernel/statement.hpp's run() does. So a writer that
// committed before a lock this call holds was granted is seen whatever the
// isolation level.
struct LatestScan {
    Snapshot snapshot;
    TupleTableSlot *slot;
    IndexScanDesc scan;
    bool dirty;  // begin_dirty_blocking_scan's
};
BOOKING_PLAIN_DATA(LatestScan);

// With want_keys, each entry's key columns are read too (scan->xs_itup), so
// a reader can tell an entry by its key before it fetches the row
// (index_getnext_tid, then index_fetch_heap), as an index-only scan does.
LatestScan begin_latest_scan(Relation heap, Relation index, ScanKey keys, int nkeys,
                             bool want_keys = false);
// The blocking rows of a calendar (calendar_id a text datum) that end after
// `after` and before `until`, in the order of their end, through heap's
// blocking index. Bounding the end keeps the scan from reading the rest of
// the calendar's future (a btree scan collects a whole leaf page). The rows
// are those the index's entries lead to: recheck their status.
LatestScan begin_blocking_scan(Relation heap, Relation index, const pg_uuid_t *org_id,
                               Datum calendar_id, TimestampTz after, TimestampTz until,
                               bool want_keys = false);
// The same scan with a dirty snapshot, as PostgreSQL's own exclusion and
// unique checks read: committed rows, this transaction's own (this
// statement's included), and the rows of transactions still in progress, both
// those they wrote and those they are deleting. After each row, the
// snapshot's xmin names the transaction in progress that wrote it, its xmax
// the one deleting it (each InvalidTransactionId when none).
LatestScan begin_dirty_blocking_scan(Relation heap, Relation index, const pg_uuid_t *org_id,
                                     Datum calendar_id, TimestampTz after, TimestampTz until);
// The blocking index's key an entry of such a scan ends its range at (its
// third column), when the scan wants keys.
TimestampTz entry_end(const LatestScan &s);
// The next row (in slot), or false at the end.
bool next_row(LatestScan *s);
void end_latest_scan(LatestScan *s);

}  // namespace booking::pg
