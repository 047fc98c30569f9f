// State shared by all backends, in shared memory; present only when the
// library is preloaded (shared_preload_libraries = 'booking'). Without it
// every function still works; what needs sharing says how it degrades.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg::stats {
struct Statistics;
}

namespace booking::pg::shared {

// Called from _PG_init while preloading: reserves the memory and its lock.
void request_at_preload();

bool available();

// The live statistics (see shared/stats.hpp), or null without preloading.
stats::Statistics *statistics();
// The segment's one lock, for state that changes rarely (the worker's
// status); null without preloading.
LWLock *lock();

// Backends listening on booking_events, per database: -1 when unknown (not
// preloaded), so callers announce to be safe.
int listeners_in(Oid database);
void count_listener(Oid database, int delta);

// The code-miss ledger (see core/attempt_ledger.hpp); without preloading it
// counts nothing and the transactional counter alone applies.
int otp_misses(const pg_uuid_t *hold_id, TimestampTz now);
int record_otp_miss(const pg_uuid_t *hold_id, TimestampTz now);
void forget_otp_misses(const pg_uuid_t *hold_id);

}  // namespace booking::pg::shared
