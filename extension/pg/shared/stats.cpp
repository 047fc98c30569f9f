#include "pg/shared/stats.hpp"

#include "pg/shared/shared_state.hpp"

namespace booking::pg::stats {

namespace {

namespace histogram = core::histogram;

constexpr int kTallies = core::observed::kTallies;

void zero_counters(Statistics *s) {
    for (int i = 0; i < kTallies; ++i)
        pg_atomic_write_u64(&s->tallies[i], 0);
    pg_atomic_write_u64(&s->lock_waits, 0);
    pg_atomic_write_u64(&s->lock_wait_us, 0);
    pg_atomic_write_u64(&s->lock_wait_max_us, 0);
    for (int i = 0; i < histogram::kBuckets; ++i)
        pg_atomic_write_u64(&s->lock_histogram[i], 0);
    pg_atomic_write_u64(&s->reset_at, static_cast<uint64>(GetCurrentTimestamp()));
}

// Runs f on the worker's status under the lock; nothing without preloading.
template <typename F>
void with_worker(F f) {
    Statistics *s = shared::statistics();
    if (s == nullptr)
        return;
    LWLockAcquire(shared::lock(), LW_EXCLUSIVE);
    f(&s->worker);
    LWLockRelease(shared::lock());
}

}  // namespace

const char *worker_state_name(WorkerState s) {
    switch (s) {
    case WorkerState::not_started:
        return "not started";
    case WorkerState::waiting_for_database:
        return "waiting for the database";
    case WorkerState::waiting_for_extension:
        return "waiting for the extension";
    case WorkerState::waiting_for_update:
        return "waiting for ALTER EXTENSION booking UPDATE";
    case WorkerState::sweeping:
        return "sweeping";
    case WorkerState::idle:
        return "idle";
    }
    return "unknown";
}

void initialize(Statistics *s) {
    for (int i = 0; i < kTallies; ++i)
        pg_atomic_init_u64(&s->tallies[i], 0);
    pg_atomic_init_u64(&s->lock_waits, 0);
    pg_atomic_init_u64(&s->lock_wait_us, 0);
    pg_atomic_init_u64(&s->lock_wait_max_us, 0);
    for (int i = 0; i < histogram::kBuckets; ++i)
        pg_atomic_init_u64(&s->lock_histogram[i], 0);
    pg_atomic_init_u64(&s->reset_at, static_cast<uint64>(GetCurrentTimestamp()));
    memset(&s->worker, 0, sizeof(s->worker));
}

void count(Tally t, uint64 n) {
    Statistics *s = shared::statistics();
    if (s == nullptr)
        return;
    pg_atomic_fetch_add_u64(&s->tallies[static_cast<int>(t)], static_cast<int64>(n));
}

void count_audit(core::observed::Action action) {
    core::observed::ActionFacts facts = core::observed::facts_of(action);
    if (facts.tally)
        count(*facts.tally);
}

void record_lock_wait(int64 waited_us, bool waited) {
    Statistics *s = shared::statistics();
    if (s == nullptr)
        return;
    if (waited_us < 0)
        waited_us = 0;
    pg_atomic_fetch_add_u64(&s->lock_histogram[histogram::bucket_of(waited_us)], 1);
    if (!waited)
        return;
    uint64 us = static_cast<uint64>(waited_us);
    pg_atomic_fetch_add_u64(&s->lock_waits, 1);
    pg_atomic_fetch_add_u64(&s->lock_wait_us, static_cast<int64>(us));
    uint64 max = pg_atomic_read_u64(&s->lock_wait_max_us);
    while (us > max && !pg_atomic_compare_exchange_u64(&s->lock_wait_max_us, &max, us)) {
    }
}

uint64 calendar_writes() {
    Statistics *s = shared::statistics();
    if (s == nullptr)
        return 0;
    // A request is either granted at once (the first bucket) or waits (the
    // wait count): the two move with every request, without summing buckets.
    return pg_atomic_read_u64(&s->lock_histogram[0]) + pg_atomic_read_u64(&s->lock_waits);
}

bool snapshot(Snapshot *out) {
    Statistics *s = shared::statistics();
    if (s == nullptr)
        return false;
    for (int i = 0; i < kTallies; ++i)
        out->tallies[i] = pg_atomic_read_u64(&s->tallies[i]);
    out->lock_waits = pg_atomic_read_u64(&s->lock_waits);
    out->lock_wait_us = pg_atomic_read_u64(&s->lock_wait_us);
    out->lock_wait_max_us = pg_atomic_read_u64(&s->lock_wait_max_us);
    out->lock_requests = 0;
    for (int i = 0; i < histogram::kBuckets; ++i) {
        out->lock_histogram[i] = pg_atomic_read_u64(&s->lock_histogram[i]);
        out->lock_requests += out->lock_histogram[i];
    }
    out->reset_at = static_cast<TimestampTz>(pg_atomic_read_u64(&s->reset_at));
    LWLockAcquire(shared::lock(), LW_SHARED);
    out->worker = s->worker;
    LWLockRelease(shared::lock());
    return true;
}

bool reset() {
    Statistics *s = shared::statistics();
    if (s == nullptr)
        return false;
    zero_counters(s);
    with_worker([](WorkerStatus *w) {
        w->passes = 0;
        w->expired = 0;
        w->errors = 0;
    });
    return true;
}

void worker_launcher_started(int pid) {
    with_worker([pid](WorkerStatus *w) {
        w->launcher_pid = pid;
        w->state = WorkerState::waiting_for_database;
        w->state_since = GetCurrentTimestamp();
    });
}

void worker_launcher_stopped(int pid) {
    with_worker([pid](WorkerStatus *w) {
        if (w->launcher_pid != pid)
            return;  // a successor has already taken over
        w->launcher_pid = 0;
        if (w->sweeper_pid == 0) {
            w->state = WorkerState::not_started;
            w->state_since = GetCurrentTimestamp();
        }
    });
}

void worker_sweeper_started(int pid, const char *database) {
    with_worker([pid, database](WorkerStatus *w) {
        w->sweeper_pid = pid;
        strlcpy(w->database, database, sizeof(w->database));
    });
}

void worker_sweeper_stopped(int pid) {
    with_worker([pid](WorkerStatus *w) {
        if (w->sweeper_pid != pid)
            return;  // a successor has already taken over
        w->sweeper_pid = 0;
        w->database[0] = '\0';
        w->state = w->launcher_pid != 0 ? WorkerState::waiting_for_database
                                        : WorkerState::not_started;
        w->state_since = GetCurrentTimestamp();
    });
}

void worker_set_state(WorkerState state) {
    with_worker([state](WorkerStatus *w) {
        if (w->state != state) {
            w->state = state;
            w->state_since = GetCurrentTimestamp();
        }
    });
}

void worker_settings(int interval_ms, int batch_size) {
    with_worker([interval_ms, batch_size](WorkerStatus *w) {
        w->interval_ms = interval_ms;
        w->batch_size = batch_size;
    });
}

void worker_batch_done(uint64 expired) {
    with_worker([expired](WorkerStatus *w) { w->expired += expired; });
}

void worker_pass_done(bool failed) {
    with_worker([failed](WorkerStatus *w) {
        TimestampTz now = GetCurrentTimestamp();
        w->passes += 1;
        w->last_pass_at = now;
        if (failed) {
            w->errors += 1;
            w->last_error_at = now;
        }
    });
}

}  // namespace booking::pg::stats
