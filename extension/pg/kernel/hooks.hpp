// Every function PostgreSQL calls back through a pointer (transaction and
// invalidation callbacks, exit callbacks, shared-memory and utility hooks,
// GUC check hooks) is made here from a C++ body, by a template that runs the
// body behind the guard (kernel/guard.hpp). The rooms register hooks::X<body>,
// never a body itself (dev/house-rules checks every registration).
//
// Where PostgreSQL may take an ERROR the guard raises one: before a commit,
// in the shared-memory hooks (at server start), in the utility hook. Where it
// must not, the guard logs a WARNING and goes on: at commit and abort (the
// transaction's fate is decided), in subtransaction callbacks, in relcache
// invalidation (it runs wherever invalidations are accepted), at process exit,
// and in GUC check hooks (a reload in the postmaster must not fail there; a
// value whose check failed is refused).
#pragma once

#include "pg/kernel/guard.hpp"

namespace booking::pg::hooks {

// RegisterXactCallback(hooks::transaction<body>, nullptr)
template <void (*Body)(XactEvent)>
void transaction(XactEvent event, void *) noexcept {
    auto body = [event] { Body(event); };
    switch (event) {
    case XACT_EVENT_PRE_COMMIT:
    case XACT_EVENT_PARALLEL_PRE_COMMIT:
    case XACT_EVENT_PRE_PREPARE:
        guarded("transaction callback", body);
        break;
    default:
        guarded_quiet("transaction callback", body);
        break;
    }
}

// RegisterSubXactCallback(hooks::subtransaction<body>, nullptr)
template <void (*Body)(SubXactEvent, SubTransactionId, SubTransactionId)>
void subtransaction(SubXactEvent event, SubTransactionId subid, SubTransactionId parent,
                    void *) noexcept {
    guarded_quiet("subtransaction callback", [=] { Body(event, subid, parent); });
}

// CacheRegisterRelcacheCallback(hooks::relcache<body>, 0): relid is
// InvalidOid when every relation is invalidated.
template <void (*Body)(Oid)>
void relcache(Datum, Oid relid) noexcept {
    guarded_quiet("relcache callback", [relid] { Body(relid); });
}

// before_shmem_exit(hooks::process_exit<body>, 0)
template <void (*Body)()>
void process_exit(int, Datum) noexcept {
    guarded_quiet("exit callback", [] { Body(); });
}

// shmem_request_hook / shmem_startup_hook = hooks::shared_memory<body>
template <void (*Body)()>
void shared_memory() noexcept {
    guarded("shared memory hook", [] { Body(); });
}

// ProcessUtility_hook = hooks::utility<body>: body sees the statement and
// runs it (the previous hook or standard_ProcessUtility).
template <void (*Body)(PlannedStmt *, const char *, bool, ProcessUtilityContext, ParamListInfo,
                       QueryEnvironment *, DestReceiver *, QueryCompletion *)>
void utility(PlannedStmt *pstmt, const char *query, bool read_only_tree,
             ProcessUtilityContext context, ParamListInfo params, QueryEnvironment *env,
             DestReceiver *dest, QueryCompletion *qc) noexcept {
    guarded("utility hook", [&] {
        Body(pstmt, query, read_only_tree, context, params, env, dest, qc);
    });
}

// The check hook of an integer or string setting (DefineCustom*Variable):
// body answers whether *newval may be set.
template <bool (*Body)(int *, GucSource)>
bool int_check(int *newval, void **, GucSource source) noexcept {
    return guarded_quiet("setting check", false, [&] { return Body(newval, source); });
}

template <bool (*Body)(char **, GucSource)>
bool string_check(char **newval, void **, GucSource source) noexcept {
    return guarded_quiet("setting check", false, [&] { return Body(newval, source); });
}

}  // namespace booking::pg::hooks
