// Live statistics in shared memory: what happened since the server started
// (or since booking.stats_reset()), across all databases, and the expiry
// worker's status. Read by booking.stats().
//
// Counters count as things happen, outside any transaction (like
// pg_stat_statements): a change made in a transaction that later rolls back
// is counted too. Without preloading there is no shared memory and every
// function here does nothing.
#pragma once

#include "core/latency_histogram.hpp"
#include "core/observed_actions.hpp"
#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg::stats {

using core::observed::Tally;

enum class WorkerState : uint32 {
    not_started = 0,
    waiting_for_database,   // booking.database names no database (or is empty)
    waiting_for_extension,  // the database has no booking extension
    waiting_for_update,     // it has an earlier release than the library (ALTER EXTENSION ... UPDATE)
    sweeping,               // a pass is running
    idle,                   // between passes
};
const char *worker_state_name(WorkerState s);

// The expiry worker's status, written by the launcher and the sweeper under
// the shared lock.
struct WorkerStatus {
    int launcher_pid;  // 0 when not running
    int sweeper_pid;
    char database[NAMEDATALEN];  // the database the sweeper works in
    WorkerState state;
    TimestampTz state_since;
    int interval_ms;  // the settings the sweeper runs with
    int batch_size;
    uint64 passes;
    uint64 expired;  // holds the worker expired
    uint64 errors;   // passes that failed
    TimestampTz last_pass_at;
    TimestampTz last_error_at;
};
BOOKING_PLAIN_DATA(WorkerStatus);

// The whole area, inside shared_state's segment.
struct Statistics {
    pg_atomic_uint64 tallies[core::observed::kTallies];
    pg_atomic_uint64 lock_waits;     // calendar lock requests that had to wait
    pg_atomic_uint64 lock_wait_us;   // their total wait
    pg_atomic_uint64 lock_wait_max_us;
    pg_atomic_uint64 lock_histogram[core::histogram::kBuckets];  // every request; 0 when granted at once
    pg_atomic_uint64 reset_at;       // TimestampTz
    WorkerStatus worker;
};
BOOKING_PLAIN_DATA(Statistics);

// Called once when the segment is created.
void initialize(Statistics *s);

// Counting.
void count(Tally t, uint64 n = 1);
// An audit row was written: counts it by its action.
void count_audit(core::observed::Action action);
// A calendar lock request: waited_us is 0 when granted at once.
void record_lock_wait(int64 waited_us, bool waited);

// Calendar lock requests so far (each claim, booking and reschedule makes
// one): how the worker tells that callers are busy. 0 without preloading.
uint64 calendar_writes();

// A copy taken for reading.
struct Snapshot {
    uint64 tallies[core::observed::kTallies];
    uint64 lock_requests;
    uint64 lock_waits;
    uint64 lock_wait_us;
    uint64 lock_wait_max_us;
    uint64 lock_histogram[core::histogram::kBuckets];
    TimestampTz reset_at;
    WorkerStatus worker;
};
BOOKING_PLAIN_DATA(Snapshot);
// False without preloading.
bool snapshot(Snapshot *out);
// Zeroes the counters (not the worker's state); false without preloading.
bool reset();

// The worker's reports (a process that stops clears only its own pid).
void worker_launcher_started(int pid);
void worker_launcher_stopped(int pid);
void worker_sweeper_started(int pid, const char *database);
void worker_sweeper_stopped(int pid);
void worker_set_state(WorkerState state);
void worker_settings(int interval_ms, int batch_size);
void worker_batch_done(uint64 expired);  // after each committed batch
void worker_pass_done(bool failed);

}  // namespace booking::pg::stats
