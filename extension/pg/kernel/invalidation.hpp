// booking's copies of tables (kernel/cached_table.hpp, the scale-out facts,
// the calendar rules, the code key) learn of changes from relcache
// invalidations, all through one callback: PostgreSQL gives a backend ten
// (MAX_RELCACHE_CALLBACKS) and Citus registers most of them, so one callback
// per copy ran out ("out of relcache_callback_list slots") in a backend that
// used them all.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// Called with the invalidated relation, or InvalidOid when every relation is
// invalidated; it runs wherever invalidations are accepted, so it only marks
// what to read again.
using RelcacheListener = void (*)(Oid relid);

// Adds the listener once (again is a no-op), for the rest of the backend.
void listen_to_relcache(RelcacheListener listener);

}  // namespace booking::pg
