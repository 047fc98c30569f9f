#include "expiry_worker.hpp"

#include "operations/operations.hpp"
#include "settings.hpp"
#include "stats.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/pg_database.h"
#include "commands/extension.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/backend_status.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
#include "utils/wait_event.h"
}

namespace booking::pg::worker {

namespace {

using stats::WorkerState;

constexpr const char *kLauncherName = "booking launcher";
constexpr const char *kSweeperName = "booking expiry worker";
constexpr long kLauncherNapMs = 1000;  // how often the launcher looks for the database
constexpr long kRestartDelayMs = 1000;  // the least time between two sweeper starts
constexpr int kLauncherRestartSeconds = 1;

int batch_pause_percent = 1000;

void describe(BackgroundWorker *w, const char *name, const char *function) {
    memset(w, 0, sizeof(*w));
    w->bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
    w->bgw_start_time = BgWorkerStart_RecoveryFinished;
    strlcpy(w->bgw_library_name, "booking", BGW_MAXLEN);
    strlcpy(w->bgw_function_name, function, BGW_MAXLEN);
    strlcpy(w->bgw_name, name, BGW_MAXLEN);
    strlcpy(w->bgw_type, name, BGW_MAXLEN);
}

// Both processes: SIGHUP reloads the configuration at the next loop, SIGTERM
// ends the process at the next CHECK_FOR_INTERRUPTS (even mid-query).
void set_up_signals() {
    pqsignal(SIGHUP, SignalHandlerForConfigReload);
    pqsignal(SIGTERM, die);
    BackgroundWorkerUnblockSignals();
}

void reload_if_asked() {
    if (ConfigReloadPending) {
        ConfigReloadPending = false;
        ProcessConfigFile(PGC_SIGHUP);
    }
}

void nap(long ms) {
    (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, ms,
                    PG_WAIT_EXTENSION);
    ResetLatch(MyLatch);
}

// --- the launcher -------------------------------------------------------------

BackgroundWorkerHandle *sweeper = nullptr;
Oid sweeper_database = InvalidOid;

// The database booking.database names, if it exists and takes connections.
// Connected to no database, the launcher reads pg_database without its
// indexes (get_database_oid() would need them, and a process without a
// database may not have them in its relation cache).
Oid wanted_database() {
    const char *name = settings::database;
    if (name == nullptr || name[0] == '\0')
        return InvalidOid;
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    Relation rel = table_open(DatabaseRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_database_datname, BTEqualStrategyNumber, F_NAMEEQ,
                CStringGetDatum(name));
    SysScanDesc scan = systable_beginscan(rel, InvalidOid, false, nullptr, 1, &key);
    HeapTuple tuple = systable_getnext(scan);
    Oid oid = InvalidOid;
    if (HeapTupleIsValid(tuple)) {
        Form_pg_database db = reinterpret_cast<Form_pg_database>(GETSTRUCT(tuple));
        if (db->datallowconn)
            oid = db->oid;
    }
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
    CommitTransactionCommand();
    return oid;
}

bool start_sweeper(Oid database) {
    BackgroundWorker w;
    describe(&w, kSweeperName, "booking_sweeper_main");
    w.bgw_restart_time = BGW_NEVER_RESTART;  // the launcher restarts it
    w.bgw_main_arg = ObjectIdGetDatum(database);
    w.bgw_notify_pid = MyProcPid;
    strlcpy(w.bgw_extra, settings::database, NAMEDATALEN);
    MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
    BackgroundWorkerHandle *handle = nullptr;
    bool started = RegisterDynamicBackgroundWorker(&w, &handle);
    MemoryContextSwitchTo(old);
    if (!started)
        return false;
    sweeper = handle;
    sweeper_database = database;
    return true;
}

void forget_sweeper() {
    pfree(sweeper);
    sweeper = nullptr;
    sweeper_database = InvalidOid;
}

void stop_sweeper() {
    TerminateBackgroundWorker(sweeper);
    (void)WaitForBackgroundWorkerShutdown(sweeper);
    forget_sweeper();
}

// The sweeper never outlives its launcher: a new launcher starts its own.
void launcher_exit(int, Datum) {
    if (sweeper != nullptr)
        TerminateBackgroundWorker(sweeper);
    stats::worker_launcher_stopped(MyProcPid);
}

// --- the sweeper --------------------------------------------------------------

bool extension_installed() { return OidIsValid(get_extension_oid("booking", true)); }

void sweeper_exit(int, Datum) { stats::worker_sweeper_stopped(MyProcPid); }

// One pass: batches, each its own transaction, until one comes back short.
// An error ends the pass; it is logged and counted, and the next pass runs
// after the usual interval.
void run_pass() {
    volatile uint64 expired = 0;
    volatile bool installed = true;
    volatile bool failed = false;
    PG_TRY();
    {
        for (;;) {
            SetCurrentStatementStartTimestamp();
            StartTransactionCommand();
            PushActiveSnapshot(GetTransactionSnapshot());
            if (!extension_installed()) {
                installed = false;
                PopActiveSnapshot();
                CommitTransactionCommand();
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
            stats::worker_batch_done(static_cast<uint64>(n));
            expired = expired + static_cast<uint64>(n);
            if (n < batch_size)
                break;
            // Yields between batches to the claims, when there are any: in
            // proportion to what the batch took (so more when the server is
            // busy). With nobody booking, the backlog goes at full speed.
            long pause_ms = 0;
            if (stats::calendar_writes() != writes_before)
                pause_ms = (GetCurrentTimestamp() - started) * batch_pause_percent / 100000;
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
        MemoryContextSwitchTo(TopMemoryContext);
        RESUME_INTERRUPTS();
        failed = true;
    }
    PG_END_TRY();

    pgstat_report_stat(true);  // autovacuum learns of the dead rows
    if (!installed) {
        stats::worker_set_state(WorkerState::waiting_for_extension);
        pgstat_report_activity(STATE_IDLE, "waiting for CREATE EXTENSION booking");
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

void define_settings() {
    DefineCustomIntVariable(
        "booking.expiry_batch_pause",
        "The expiry worker's pause after each batch of a pass while claims, bookings or "
        "reschedules are running, as a percentage of the batch's own time.",
        "Spreads a large sweep out so that the callers keep most of the server.",
        &batch_pause_percent, 1000, 0, 10000, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
}

void register_at_preload() {
    BackgroundWorker w;
    describe(&w, kLauncherName, "booking_launcher_main");
    w.bgw_restart_time = kLauncherRestartSeconds;
    RegisterBackgroundWorker(&w);
}

}  // namespace booking::pg::worker

using namespace booking::pg;
using namespace booking::pg::worker;

void booking_launcher_main(Datum) {
    set_up_signals();
    BackgroundWorkerInitializeConnection(nullptr, nullptr, 0);
    pgstat_report_appname(kLauncherName);
    before_shmem_exit(launcher_exit, 0);
    stats::worker_launcher_started(MyProcPid);

    TimestampTz last_start = 0;
    bool warned_no_slot = false;
    for (;;) {
        CHECK_FOR_INTERRUPTS();
        reload_if_asked();
        Oid wanted = wanted_database();

        if (sweeper != nullptr) {
            pid_t pid;
            if (GetBackgroundWorkerPid(sweeper, &pid) == BGWH_STOPPED) {
                forget_sweeper();
            } else if (wanted != sweeper_database) {
                ereport(LOG, (errmsg("booking launcher: booking.database is now \"%s\"; "
                                     "stopping the expiry worker of the previous database",
                                     settings::database)));
                stop_sweeper();
            }
        }

        long wait_ms = kLauncherNapMs;
        if (sweeper == nullptr) {
            if (!OidIsValid(wanted)) {
                stats::worker_set_state(WorkerState::waiting_for_database);
                pgstat_report_activity(STATE_IDLE, "waiting for the database named by booking.database");
            } else {
                TimestampTz now = GetCurrentTimestamp();
                long since_ms = (now - last_start) / 1000;
                if (last_start != 0 && since_ms < kRestartDelayMs) {
                    wait_ms = kRestartDelayMs - since_ms;
                } else if (start_sweeper(wanted)) {
                    last_start = now;
                    warned_no_slot = false;
                    pgstat_report_activity(STATE_IDLE, "running the expiry worker");
                } else if (!warned_no_slot) {
                    warned_no_slot = true;
                    ereport(WARNING,
                            (errmsg("booking launcher: could not start the expiry worker"),
                             errhint("Raise max_worker_processes; trying again every second.")));
                }
            }
        }
        nap(wait_ms);
    }
}

void booking_sweeper_main(Datum arg) {
    Oid database = DatumGetObjectId(arg);
    char name[NAMEDATALEN];
    strlcpy(name, MyBgworkerEntry->bgw_extra, sizeof(name));

    set_up_signals();
    BackgroundWorkerInitializeConnectionByOid(database, InvalidOid, 0);
    SetConfigOption("application_name", kSweeperName, PGC_SUSET, PGC_S_OVERRIDE);
    // Expiring is idempotent: batches lost with the last moments before a
    // crash are swept again, so the worker never waits for a WAL flush.
    SetConfigOption("synchronous_commit", "off", PGC_SUSET, PGC_S_OVERRIDE);
    before_shmem_exit(sweeper_exit, 0);
    stats::worker_sweeper_started(MyProcPid, name);


    for (;;) {
        CHECK_FOR_INTERRUPTS();
        reload_if_asked();
        run_pass();
        // Published after the pass, so a reader that sees a new value knows
        // the next pass (and this nap) use it.
        stats::worker_settings(settings::expiry_interval_ms, settings::expiry_batch_size);
        nap(settings::expiry_interval_ms);
    }
}
