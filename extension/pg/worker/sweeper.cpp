// The sweeper: connected to booking.database, it waits while the extension
// is not installed there, then expires lapsed holds every
// booking.expiry_interval, one short transaction per batch (worker.hpp has
// the whole picture).
#include "pg/call/schema.hpp"
#include "pg/kernel/hooks.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/operations/operations.hpp"
#include "pg/settings/settings.hpp"
#include "pg/shared/stats.hpp"
#include "pg/worker/process.hpp"
#include "pg/worker/worker.hpp"

namespace booking::pg::worker {

namespace {

using stats::WorkerState;

bool extension_installed() { return OidIsValid(get_extension_oid("booking", true)); }

void sweeper_exit() { stats::worker_sweeper_stopped(MyProcPid); }

// One pass: batches, each its own transaction, until one comes back short.
// An error ends the pass; it is logged and counted, and the next pass runs
// after the usual interval. Between transactions it works in turn, the
// loop's context.
void run_pass(MemoryContext turn) {
    volatile uint64 expired = 0;
    volatile bool installed = true;
    volatile bool current = true;
    volatile bool failed = false;
    PG_TRY();
    {
        for (;;) {
            SetCurrentStatementStartTimestamp();
            StartTransactionCommand();
            PushActiveSnapshot(GetTransactionSnapshot());
            if (!extension_installed() || !schema::is_current()) {
                installed = extension_installed();
                current = false;
                PopActiveSnapshot();
                CommitTransactionCommand();
                MemoryContextSwitchTo(turn);
                break;
            }
            stats::worker_set_state(WorkerState::sweeping);
            pgstat_report_activity(STATE_RUNNING, "expiring lapsed holds");
            TimestampTz started = GetCurrentTimestamp();
            uint64 writes_before = stats::calendar_writes();
            int batch_size = settings::expiry_batch_size;
            int n = expire_holds(batch_size);
            PopActiveSnapshot();
            CommitTransactionCommand();
            MemoryContextSwitchTo(turn);
            stats::worker_batch_done(static_cast<uint64>(n));
            expired = expired + static_cast<uint64>(n);
            if (n < batch_size)
                break;
            // Yields between batches to the claims, when there are any: in
            // proportion to what the batch took (so more when the server is
            // busy). With nobody booking, the backlog goes at full speed.
            long pause_ms = 0;
            if (stats::calendar_writes() != writes_before)
                pause_ms = (GetCurrentTimestamp() - started) *
                           settings::expiry_batch_pause_percent / 100000;
            if (pause_ms > 0) {
                pgstat_report_activity(STATE_IDLE, "pausing between batches");
                nap(pause_ms);
            }
            CHECK_FOR_INTERRUPTS();
            reload_if_asked();
        }
    }
    PG_CATCH();
    {
        HOLD_INTERRUPTS();
        EmitErrorReport();
        AbortCurrentTransaction();
        FlushErrorState();
        MemoryContextSwitchTo(turn);
        RESUME_INTERRUPTS();
        forget_scale_out();
        failed = true;
    }
    PG_END_TRY();

    pgstat_report_stat(true);  // autovacuum learns of the dead rows
    if (!installed) {
        stats::worker_set_state(WorkerState::waiting_for_extension);
        pgstat_report_activity(STATE_IDLE, "waiting for CREATE EXTENSION booking");
        return;
    }
    // The library serves its own release's schema only (call/schema.hpp).
    if (!current) {
        stats::worker_set_state(WorkerState::waiting_for_update);
        pgstat_report_activity(STATE_IDLE, "waiting for ALTER EXTENSION booking UPDATE");
        return;
    }
    if (failed)
        ereport(LOG, (errmsg("booking expiry worker: the pass failed after expiring %llu holds; "
                             "the next pass runs in %d ms",
                             static_cast<unsigned long long>(expired),
                             settings::expiry_interval_ms)));
    stats::worker_pass_done(failed);
    stats::worker_set_state(WorkerState::idle);
    pgstat_report_activity(STATE_IDLE, "waiting for the next pass");
}

}  // namespace

void sweeper_main(Oid database) {
    char name[NAMEDATALEN];
    strlcpy(name, MyBgworkerEntry->bgw_extra, sizeof(name));

    set_up_signals();
    BackgroundWorkerInitializeConnectionByOid(database, InvalidOid, 0);
    SetConfigOption("application_name", kSweeperName, PGC_SUSET, PGC_S_OVERRIDE);
    // Expiring is idempotent: batches lost with the last moments before a
    // crash are swept again, so the worker never waits for a WAL flush.
    SetConfigOption("synchronous_commit", "off", PGC_SUSET, PGC_S_OVERRIDE);
    before_shmem_exit(hooks::process_exit<sweeper_exit>, 0);
    stats::worker_sweeper_started(MyProcPid, name);

    MemoryContext turn =
        AllocSetContextCreate(TopMemoryContext, "booking expiry worker turn",
                              ALLOCSET_DEFAULT_SIZES);
    for (;;) {
        MemoryContextSwitchTo(turn);
        CHECK_FOR_INTERRUPTS();
        reload_if_asked();
        run_pass(turn);
        // Published after the pass, so a reader that sees a new value knows
        // the next pass (and this nap) use it.
        stats::worker_settings(settings::expiry_interval_ms, settings::expiry_batch_size);
        nap(settings::expiry_interval_ms);
        MemoryContextReset(turn);
    }
}

}  // namespace booking::pg::worker
