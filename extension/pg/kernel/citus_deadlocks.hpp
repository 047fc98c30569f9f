// Taking part in Citus's distributed deadlock detection as a transaction of
// one's own.
//
// Citus's detector (on every node, every citus.distributed_deadlock_detection
// _factor x deadlock_timeout) joins the lock waits of all nodes into one
// graph of distributed transactions. A backend that is not in a distributed
// transaction enters that graph as (its node, 0): every such backend of a
// node is the same vertex (Citus issue #1803, open). On the node of a
// tenant's shard, bare calls, calls Citus delegated there and transaction
// blocks sent straight to it are all such backends, and the calls through
// the coordinator or another node are distributed transactions: when one of
// those waits for a calendar lock held by a local call, and another local call
// waits behind it in the lock's queue, the graph reads "distributed
// transaction T waits for (node, 0), which waits for T", a cycle that is not
// there, and Citus cancels T with 40P01. A caller would have to retry a
// booking that was never in a deadlock.
//
// A call that runs where its tenant's shard is therefore starts a
// coordinated transaction of Citus's own (UseCoordinatedTransaction, the
// function Citus's executors call; idempotent) before it can wait for or
// hold a lock another caller waits for: it gets its own distributed
// transaction id, originated on this node, so the graph has a vertex per
// transaction and a real cycle through it is still found, and its youngest
// originator cancelled, as Citus would do for any of its own. Citus makes no
// remote transaction of it when it touches only this node's shards. What
// changes for the caller: Citus refuses PREPARE TRANSACTION for such a
// transaction (as it does for every transaction it coordinates, a booking
// through the coordinator included).
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// Makes this transaction a distributed transaction of its own when the
// tables are distributed by tenant, the organisation's shard is on this node
// (org_id null: the caller knows it works on this node's shards only), the
// server is not a standby, and the backend is in no distributed transaction
// yet (one a coordinator's connection brought stays Citus's to manage and to
// PREPARE); a no-op otherwise, or when Citus's functions are missing (another
// Citus: the false deadlock above can then happen).
void own_distributed_transaction(const pg_uuid_t *org_id);

}  // namespace booking::pg
