#include "pg/worker/process.hpp"

namespace booking::pg::worker {

void describe(BackgroundWorker *w, const char *name, const char *function) {
    memset(w, 0, sizeof(*w));
    w->bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
    w->bgw_start_time = BgWorkerStart_RecoveryFinished;
    strlcpy(w->bgw_library_name, "booking", BGW_MAXLEN);
    strlcpy(w->bgw_function_name, function, BGW_MAXLEN);
    strlcpy(w->bgw_name, name, BGW_MAXLEN);
    strlcpy(w->bgw_type, name, BGW_MAXLEN);
}

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

}  // namespace booking::pg::worker
