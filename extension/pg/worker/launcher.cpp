// The launcher: connected to no database, it looks for booking.database every
// second, runs one sweeper there, restarts it when it ends, and moves it when
// the setting changes on reload (worker.hpp has the whole picture).
#include "pg/kernel/hooks.hpp"
#include "pg/settings/settings.hpp"
#include "pg/shared/stats.hpp"
#include "pg/worker/process.hpp"
#include "pg/worker/worker.hpp"

namespace booking::pg::worker {

namespace {

using stats::WorkerState;

constexpr long kLauncherNapMs = 1000;  // how often the launcher looks for the database
constexpr long kRestartDelayMs = 1000;  // the least time between two sweeper starts
constexpr int kLauncherRestartSeconds = 1;

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
void launcher_exit() {
    if (sweeper != nullptr)
        TerminateBackgroundWorker(sweeper);
    stats::worker_launcher_stopped(MyProcPid);
}

}  // namespace

void register_at_preload() {
    // pg_upgrade starts both servers in binary-upgrade mode and drops and
    // restores every database, "postgres" included: a sweeper connected to
    // one would make it fail. No worker then; the upgraded server has its own.
    if (IsBinaryUpgrade)
        return;
    BackgroundWorker w;
    describe(&w, kLauncherName, "booking_launcher_main");
    w.bgw_restart_time = kLauncherRestartSeconds;
    RegisterBackgroundWorker(&w);
}

void launcher_main() {
    set_up_signals();
    BackgroundWorkerInitializeConnection(nullptr, nullptr, 0);
    pgstat_report_appname(kLauncherName);
    before_shmem_exit(hooks::process_exit<launcher_exit>, 0);
    stats::worker_launcher_started(MyProcPid);

    TimestampTz last_start = 0;
    bool warned_no_slot = false;
    MemoryContext turn =
        AllocSetContextCreate(TopMemoryContext, "booking launcher turn", ALLOCSET_DEFAULT_SIZES);
    for (;;) {
        MemoryContextSwitchTo(turn);
        CHECK_FOR_INTERRUPTS();
        reload_if_asked();
        Oid wanted = wanted_database();
        MemoryContextSwitchTo(turn);

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
        MemoryContextReset(turn);
    }
}

}  // namespace booking::pg::worker
