// Backends keep copies of a few small owner-only tables (role bindings,
// event consumers) so the hot path reads none of them. A statement trigger
// on each table (booking.cached_table_changed) sends a relcache
// invalidation when a change commits; this file turns it into "read again".
//
// Distributed with Citus, a change is made on the table's shards, and the
// trigger fires on each shard where it is written, invalidating that shard on
// its own node: a copy then listens to this node's shards of the table (a
// reference table has one on every node, and every change writes them all).
// Citus invalidates the table itself when its shards or placements change,
// and the copy then finds its shards again.
#pragma once

#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

constexpr int kMaxListenedShards = 4;

struct CachedTable {
    const char *name;        // the table, in schema booking
    Oid relid = InvalidOid;
    bool valid = false;      // the copy reflects the table
    unsigned changes = 0;    // invalidations seen
    unsigned reads = 0;      // times the table was read (DEBUG2 says each)
    // This node's shards of the table, whose invalidations say it changed.
    int shards = 0;
    Oid shard[kMaxListenedShards] = {};
    // A shard of the table lives where no invalidation reaches this node (a
    // distributed, not a reference, table), or more than can be listened
    // to: the copy then lasts one transaction.
    bool per_transaction = false;
    // Being read: any invalidation meanwhile may be of a shard not yet known.
    bool reading = false;
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
