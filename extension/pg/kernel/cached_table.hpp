// Backends keep copies of a few small owner-only tables (role bindings,
// event consumers) so the hot path reads none of them. A statement trigger
// on each table (booking.cached_table_changed) sends a relcache
// invalidation when a change commits; this file turns it into "read again".
#pragma once

#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

struct CachedTable {
    const char *name;        // the table, in schema booking
    Oid relid = InvalidOid;
    bool valid = false;      // the copy reflects the table
    unsigned changes = 0;    // invalidations seen
    // Distributed with Citus, a change made on another node sends this one
    // no invalidation: the copy then lasts one transaction.
    LocalTransactionId read_in = InvalidLocalTransactionId;
};
BOOKING_PLAIN_DATA(CachedTable);

// Rows of a copy being read, in the caller's memory context.
using RowReader = void (*)(HeapTuple row, TupleDesc desc, void *arg);

// Brings the copy up to date: when it is not valid, runs sql as the
// tables' owner and hands each row to read (after reset, which empties the
// copy), until a read is not overtaken by an invalidation.
void refresh(CachedTable *table, const char *sql, void (*reset)(void *), RowReader read,
             void *arg);

}  // namespace booking::pg
