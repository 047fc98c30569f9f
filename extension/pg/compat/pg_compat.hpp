// The PostgreSQL calls whose form differs between majors, behind one small
// interface: a port to another major changes pg_compat.cpp and nothing else.
// This directory is the only place that tests PG_VERSION_NUM, reads a field of
// MyProc or makes a call known to differ between majors (dev/house-rules
// checks it).
//
// Built and tested: PostgreSQL 15, 17 and 18 (dev/test's matrix). The 16
// branches follow its headers and are not built here (no Debian release this
// project builds on ships 16); each branch says what changed. Before 15
// nothing is attempted: shmem_request_hook, InitMaterializedSRF and
// MarkGUCPrefixReserved are PostgreSQL 15 or later.
#pragma once

#include "pg/compat/pg_includes.hpp"

#if PG_VERSION_NUM < 150000
#error "booking needs PostgreSQL 15 or later"
#endif

namespace booking::pg::compat {

// --- the search path inside a call -------------------------------------------

// Pins the search path to pg_catalog for the rest of the current scope (until
// unpin_search_path with the token it returned). 15 and 16 push an override
// path (pg_catalog alone, not even pg_temp); 17 removed the override stack,
// so there the path is set as a function's SET clause would set it,
// "pg_catalog, pg_temp" (what PostgreSQL's own maintenance commands use),
// and restored by the GUC nest level. Abort processing undoes either.
int pin_search_path();
void unpin_search_path(int token);

// --- a setting's internals (the tenant binding asks how long a value lasts) --

// The setting of that name, or null when none exists (a placeholder nobody
// set). 15 keeps a sorted array searched here; 16 made find_option public.
struct config_generic *find_setting(const char *name);
// How the newest entry of the setting's stack says this transaction set it,
// or false when the value came from before the transaction began.
bool setting_stack_top(const struct config_generic *setting, GucStackState *state);
// A string setting's current value (null for other types or an unset value).
const char *setting_string(const struct config_generic *setting);

// --- the current transaction --------------------------------------------------

// The backend's local transaction id: MyProc->lxid up to 16, MyProc->vxid.lxid
// from 17.
LocalTransactionId local_transaction_id();

// Whether this backend holds the lock in that mode (17 added the third
// argument, "or a stronger one"; here the mode itself).
bool lock_held_by_me(const LOCKTAG *tag, LOCKMODE mode);

// --- values -------------------------------------------------------------------

// Whether text parses as JSON (17 gave makeJsonLexContextCstringLen a first
// argument, the context to fill).
bool is_json(const char *text);

// A range value; 16 gave make_range a soft-error context (none here: a bad
// range raises).
RangeType *make_range_value(TypeCacheEntry *typcache, RangeBound *lower, RangeBound *upper);

// --- scans and result sets ----------------------------------------------------

// An index scan without instrumentation (18 added the parameter).
IndexScanDesc begin_index_scan(Relation heap, Relation index, Snapshot snapshot, int nkeys);

// A set-returning function's tuplestore, made in materialize mode
// (InitMaterializedSRF: 15 renamed it from SetSingleFuncCall; unchanged since).
ReturnSetInfo *materialized_result(FunctionCallInfo fcinfo);

}  // namespace booking::pg::compat
