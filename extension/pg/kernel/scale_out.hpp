// What changes when the tables are distributed by tenant with Citus
// (booking.distribute_by_tenant()). Statements route to the shard of the
// org_id they are given, so nothing may span organisations but reads; the
// sweeper finds the organisations of this node's own shards and sweeps
// them one at a time.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// Whether booking.reservations is a Citus distributed table here. Read once
// per transaction.
bool distributed_by_tenant();

// Whether this is the coordinator of tables distributed by tenant: a call
// that runs here (inside a transaction block, from PL/pgSQL) was not
// delegated, and the calendar lock that counts is the one the overlap guard
// takes on the shard's node. Read once per transaction.
bool on_coordinator();

// Up to limit organisations with lapsed holds in the shards of
// booking.reservations that live on this node; palloc'd. The coordinator,
// which holds no shards, has none.
int local_orgs_with_lapsed_holds(TimestampTz now, int limit, pg_uuid_t **out);

}  // namespace booking::pg
