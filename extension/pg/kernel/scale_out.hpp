// What changes when the tables are distributed by tenant with Citus
// (booking.distribute_by_tenant()). Statements route to the shard of the
// org_id they are given, so nothing may span organisations but reads; the
// sweeper finds the organisations of this node's own shards and sweeps
// them one at a time.
//
// What this file knows of Citus's catalog (which booking tables are
// distributed and by which column, where the shards of booking.reservations
// live) is read once and kept until Citus changes its metadata: Citus sends a
// relcache invalidation of a distributed table whenever its partition, shard
// or placement rows change, on every node that keeps the metadata, so the hot
// path runs no catalog query.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// Whether booking.reservations is a Citus distributed table here.
bool distributed_by_tenant();

// Forgets what this backend read of Citus's metadata; the next question
// reads it again. For the expiry worker after a failed pass: it lives as
// long as the server, and a pass that failed may have failed because what it
// believed of the scale-out was no longer so.
void forget_scale_out();

// Changes whenever distributed_by_tenant() or the set of distributed tables
// changes: a statement prepared under another value is prepared again, since
// how Citus can plan it changed (kernel/statement.cpp).
uint32 scale_out_generation();

// Whether the organisation's shard of booking.reservations lives on another
// node than this one: on the coordinator (which holds no shards) always, on a
// worker unless it holds the shard. A call that runs here then was not
// delegated to the shard's node, and the calendar lock that counts is the one
// the overlap guard takes there. False when the tables are not distributed.
bool tenant_elsewhere(const pg_uuid_t *org_id);

// Whether this node holds a shard of the table: of a reference table, the
// one shard, which every change writes on every node that holds it.
bool has_local_shard(Oid table);

// Whether relid may be one of this node's shards of the distributed table:
// for a relcache listener, which must not read the catalog, so it answers
// true when what this file knows is out of date.
bool may_be_local_shard_of(Oid relid, Oid table);

// Whether Citus routes the prepared statement on its fast path as a generic
// plan, caching the shard's plan where the shard is local (Citus's
// local_plan_cache.c): one statement on one hash-distributed table, an
// INSERT ... VALUES, or a SELECT, UPDATE or DELETE whose WHERE says
// "distribution column = $n" once, at its top level; no CTE, sublink, set
// operation or volatile function. Citus cannot plan any other statement whose
// tenant is a parameter, so those are planned with their values.
bool routes_as_generic_plan(SPIPlanPtr plan);

// Up to limit organisations with lapsed holds in the shards of
// booking.reservations that live on this node; palloc'd. Each shard is read
// under Citus's shard metadata lock (shared, to the end of the transaction),
// after checking the shard is still here: a move of the shard waits for the
// reader, or the reader sees the move done and skips the shard. The
// coordinator, which holds no shards, has none.
int local_orgs_with_lapsed_holds(TimestampTz now, int limit, pg_uuid_t **out);

}  // namespace booking::pg
