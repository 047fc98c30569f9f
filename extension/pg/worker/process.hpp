// What the launcher and the sweeper share as background processes: their
// names, how each is described to the postmaster, signals, reloads and naps.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg::worker {

constexpr const char *kLauncherName = "booking launcher";
constexpr const char *kSweeperName = "booking expiry worker";

// A background worker of this library, started at function (by name).
void describe(BackgroundWorker *w, const char *name, const char *function);

// SIGHUP reloads the configuration at the next loop, SIGTERM ends the
// process at the next CHECK_FOR_INTERRUPTS (even mid-query).
void set_up_signals();
void reload_if_asked();

// Sleeps up to ms, waking for the latch; ends the process if the postmaster died.
void nap(long ms);

// Each worker's loop runs its turns in a memory context of its own, reset
// after each turn (as pg_cron's launcher resets its own): what a turn
// allocates outside its transactions (a reload, a log line) does not pile up
// in TopMemoryContext. A transaction's end leaves CurrentMemoryContext at
// TopMemoryContext, so the loop switches back to it after each one.

}  // namespace booking::pg::worker
