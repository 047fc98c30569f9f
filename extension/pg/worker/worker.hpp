// The expiry worker: with shared_preload_libraries = 'booking', lapsed holds
// are moved to expired in the background, in the database booking.database,
// every booking.expiry_interval, booking.expiry_batch_size holds per
// transaction.
//
// Two background processes, both in pg_stat_activity (backend_type and
// application_name):
//
//   booking launcher       connected to no database; started by the postmaster
//                          and restarted by it (after a crash too). It looks
//                          for booking.database every second and runs one
//                          sweeper there, restarts it when it ends, and moves
//                          it when the setting changes on reload.
//   booking expiry worker  the sweeper, connected to booking.database. While
//                          the extension is not installed there it only
//                          waits; then each pass calls expire_holds(), the
//                          code path of booking.expire_holds(), one short
//                          transaction per batch, until a batch comes back
//                          short. A failed pass is logged and the next one
//                          runs an interval later.
//
// A database that does not exist yet cannot be connected to (that is FATAL),
// hence the launcher: nothing is started, and nothing logged every second,
// until the database exists.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg::worker {

// Registers the launcher; called from _PG_init while preloading (not when
// pg_upgrade runs the server: see launcher.cpp).
void register_at_preload();

// The two processes' main loops, entered from entry/workers.cpp (the
// functions the postmaster starts by name); neither returns.
[[noreturn]] void launcher_main();
[[noreturn]] void sweeper_main(Oid database);

}  // namespace booking::pg::worker
