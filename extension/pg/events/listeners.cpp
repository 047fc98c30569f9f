// Who listens on booking_events (preloaded only), so a commit that recorded
// events notifies only while some session of the database listens: LISTEN,
// UNLISTEN and DISCARD ALL of the channel are counted through the utility
// hook, and so are sessions that end.
#include "pg/events/events.hpp"
#include "pg/kernel/hooks.hpp"
#include "pg/shared/shared_state.hpp"

namespace booking::pg::events {

namespace {

ProcessUtility_hook_type previous_utility_hook = nullptr;
bool this_backend_listens = false;
bool exit_callback_registered = false;
// An UNLISTEN takes effect only if its transaction commits, and only if the
// subtransaction it ran in (or any around it) was not rolled back.
bool unlisten_at_commit = false;
SubTransactionId unlisten_subid = InvalidSubTransactionId;

void stop_counting() {
    if (this_backend_listens) {
        shared::count_listener(MyDatabaseId, -1);
        this_backend_listens = false;
    }
}

void on_listener_transaction(XactEvent event) {
    if (event == XACT_EVENT_COMMIT && unlisten_at_commit)
        stop_counting();
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT)
        unlisten_at_commit = false;
}

void on_listener_subtransaction(SubXactEvent event, SubTransactionId subid,
                                SubTransactionId parent) {
    if (!unlisten_at_commit)
        return;
    // Subtransaction ids grow: one begun after subid while it was open is
    // inside it, so an UNLISTEN with an id at or above it is undone with it.
    if (event == SUBXACT_EVENT_ABORT_SUB && unlisten_subid >= subid)
        unlisten_at_commit = false;
    else if (event == SUBXACT_EVENT_COMMIT_SUB && unlisten_subid == subid)
        unlisten_subid = parent;
}

void note_unlisten() {
    unlisten_at_commit = true;
    unlisten_subid = GetCurrentSubTransactionId();
}

void note_listen_statement(Node *statement) {
    if (statement == nullptr)
        return;
    if (IsA(statement, ListenStmt)) {
        const char *channel = reinterpret_cast<ListenStmt *>(statement)->conditionname;
        // Counted at once, before its commit: at worst an aborted LISTEN
        // makes wake-ups go out to nobody until this backend exits.
        if (strcmp(channel, kChannel) == 0 && !this_backend_listens) {
            if (!exit_callback_registered) {
                before_shmem_exit(hooks::process_exit<stop_counting>, (Datum)0);
                RegisterXactCallback(hooks::transaction<on_listener_transaction>, nullptr);
                RegisterSubXactCallback(hooks::subtransaction<on_listener_subtransaction>, nullptr);
                exit_callback_registered = true;
            }
            shared::count_listener(MyDatabaseId, +1);
            this_backend_listens = true;
        }
        if (strcmp(channel, kChannel) == 0)
            unlisten_at_commit = false;
    } else if (IsA(statement, UnlistenStmt)) {
        const char *channel = reinterpret_cast<UnlistenStmt *>(statement)->conditionname;
        if (this_backend_listens && (channel == nullptr || strcmp(channel, kChannel) == 0))
            note_unlisten();
    } else if (IsA(statement, DiscardStmt)) {
        if (this_backend_listens && reinterpret_cast<DiscardStmt *>(statement)->target == DISCARD_ALL)
            note_unlisten();
    }
}

void utility_hook(PlannedStmt *pstmt, const char *query, bool read_only_tree,
                  ProcessUtilityContext context, ParamListInfo params, QueryEnvironment *env,
                  DestReceiver *dest, QueryCompletion *qc) {
    note_listen_statement(pstmt->utilityStmt);
    if (previous_utility_hook != nullptr)
        previous_utility_hook(pstmt, query, read_only_tree, context, params, env, dest, qc);
    else
        standard_ProcessUtility(pstmt, query, read_only_tree, context, params, env, dest, qc);
}

}  // namespace

void install_listener_hook() {
    previous_utility_hook = ProcessUtility_hook;
    ProcessUtility_hook = hooks::utility<utility_hook>;
}

}  // namespace booking::pg::events
