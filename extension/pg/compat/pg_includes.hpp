// The one way the PostgreSQL layer includes PostgreSQL: every PostgreSQL
// header any file of extension/pg uses is included here, inside the one
// extern "C" block of the layer, and no other file includes one (dev/house-rules
// checks it). Parsing them all costs each file a few hundredths of a second;
// one list means no file can include them in the wrong order.
//
// Standard and Boost headers come first: c.h defines likely()/unlikely() and
// port.h redefines printf and friends, which break C++ headers included after
// them. Every header the core uses is therefore included here, before
// postgres.h, so including core headers later is harmless.
//
// What differs between PostgreSQL majors is not used directly: it goes through
// pg_compat.hpp, the only file that tests PG_VERSION_NUM.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

extern "C" {
#include "postgres.h"

// Calls, SPI and results.
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/memutils.h"

// Transactions, snapshots, resource owners.
#include "access/xact.h"
#include "access/xlog.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"

// Catalogs and relations: namespaces, owners, roles, indexes, types.
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_class.h"
#include "catalog/pg_database.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

// Values: time, ranges, arrays, jsonb, uuid, text encodings.
#include "common/int.h"
#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

// Hashes and keyed hashes (PostgreSQL's own SHA-256 and HMAC).
#include "common/cryptohash.h"
#include "common/hmac.h"
#include "common/sha2.h"

// Settings; guc_tables.h only for pg_compat.hpp's reading of a setting's stack.
#include "utils/guc.h"
#include "utils/guc_tables.h"

// Caches and their invalidation.
#include "utils/hsearch.h"
#include "utils/inval.h"

// Locks, shared memory, processes.
#include "port/atomics.h"
#include "portability/instr_time.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"

// Triggers, utility statements, notifications.
#include "commands/async.h"
#include "commands/trigger.h"
#include "nodes/parsenodes.h"
#include "tcop/utility.h"

// Query trees, read to tell which statements Citus can route as generic plans.
#include "nodes/makefuncs.h"
#include "catalog/pg_namespace.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parsetree.h"
#include "parser/parse_func.h"
#include "executor/executor.h"
#include "utils/plancache.h"

// Background workers and their reporting.
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "tcop/tcopprot.h"
#include "utils/backend_status.h"
#include "utils/wait_event.h"
}
