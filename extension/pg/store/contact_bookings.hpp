// What the contact cap counts: a contact's blocking reservations that start
// after now in the organisation, a booking of several calendars once.
//
// It is counted after the contact's lock is granted (store/contact_locks.hpp)
// and with the latest committed data, as kernel/statement.hpp's run() reads:
// the previous holder of the lock has committed or rolled back by then, and
// its rows are seen or gone, whatever the isolation level.
//
// With booking's tables on this node alone (not distributed), the count reads
// the index (reservations_contact, or reservations_contact_phone for a caller
// known by phone) directly, as the overlap guard reads its own: it runs at
// every booking that names a contact under a cap, and through SPI it cost
// five times as much (69,000 instructions against 14,500, most of them the
// executor's start-up on that wide table). Distributed, the rows live on the
// tenant's shard node, which only a statement reaches (Citus routes it by
// org_id): the count runs as SQL there, and wherever the index cannot be
// read.
#pragma once

#include "pg/call/call_scope.hpp"

namespace booking::pg {

// The contact's blocking reservations starting after now in the
// organisation, a set counted once: by contact_id, else (contact_id NULL on
// the row too) by the phone's digits. The live hold of caller_ref (null:
// none) is left out, and so is the booking except names (its set's id, or
// its own: a hold being confirmed; null: none).
int count_contact_bookings(const CallContext *ctx, const pg_uuid_t *contact_id, const char *phone,
                           const char *caller_ref, const pg_uuid_t *except = nullptr);

}  // namespace booking::pg
