#include "events.hpp"

#include "core/observed_actions.hpp"

#include "shared_state.hpp"
#include "stats.hpp"

extern "C" {
#include "access/xact.h"
#include "commands/async.h"
#include "lib/stringinfo.h"
#include "nodes/parsenodes.h"
#include "storage/ipc.h"
#include "tcop/utility.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/memutils.h"
}

namespace booking::pg::events {

namespace {

bool events_enabled = true;

// Payloads of this transaction, oldest first, and for each open
// subtransaction (innermost first) its id and the queue's length when it
// began: a rollback to it drops what came after. In TopTransactionContext.
List *pending = NIL;
List *mark_subids = NIL;
List *mark_lengths = NIL;
bool callbacks_registered = false;

void send_pending() {
    if (pending == NIL)
        return;
    if (shared::listeners_in(MyDatabaseId) != 0) {
        ListCell *lc;
        foreach (lc, pending)
            Async_Notify(kChannel, static_cast<const char *>(lfirst(lc)));
        stats::count(stats::Tally::events_sent, list_length(pending));
    } else {
        stats::count(stats::Tally::events_unheard, list_length(pending));
    }
    pending = NIL;
}

void on_transaction(XactEvent event, void *) {
    switch (event) {
    case XACT_EVENT_PRE_COMMIT:
    case XACT_EVENT_PRE_PREPARE:
        send_pending();
        break;
    case XACT_EVENT_COMMIT:
    case XACT_EVENT_ABORT:
    case XACT_EVENT_PREPARE:
    case XACT_EVENT_PARALLEL_COMMIT:
    case XACT_EVENT_PARALLEL_ABORT:
        pending = NIL;
        mark_subids = NIL;
        mark_lengths = NIL;
        break;
    default:
        break;
    }
}

void forget_marks_from(int index) {
    // Marks are innermost first: dropping index i drops the inner ones too.
    mark_subids = list_copy_tail(mark_subids, index + 1);
    mark_lengths = list_copy_tail(mark_lengths, index + 1);
}

int find_mark(SubTransactionId subid) {
    int i = 0;
    ListCell *lc;
    foreach (lc, mark_subids) {
        if (static_cast<SubTransactionId>(lfirst_int(lc)) == subid)
            return i;
        ++i;
    }
    return -1;
}

void on_subtransaction(SubXactEvent event, SubTransactionId subid, SubTransactionId, void *) {
    MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);
    switch (event) {
    case SUBXACT_EVENT_START_SUB:
        mark_subids = lcons_int(static_cast<int>(subid), mark_subids);
        mark_lengths = lcons_int(list_length(pending), mark_lengths);
        break;
    case SUBXACT_EVENT_ABORT_SUB: {
        int i = find_mark(subid);
        if (i < 0) {
            // Begun before this library saw it (the library loaded inside
            // it): everything queued so far came after its start.
            pending = NIL;
        } else {
            pending = list_truncate(pending, list_nth_int(mark_lengths, i));
            forget_marks_from(i);
        }
        break;
    }
    case SUBXACT_EVENT_COMMIT_SUB: {
        int i = find_mark(subid);
        if (i >= 0)
            forget_marks_from(i);
        break;
    }
    default:
        break;
    }
    MemoryContextSwitchTo(old);
}

// Listener counting (preloaded only).
ProcessUtility_hook_type previous_utility_hook = nullptr;
bool this_backend_listens = false;
bool exit_callback_registered = false;
bool unlisten_at_commit = false;

void stop_counting(int, Datum) {
    if (this_backend_listens) {
        shared::count_listener(MyDatabaseId, -1);
        this_backend_listens = false;
    }
}

void on_listener_transaction(XactEvent event, void *) {
    // An UNLISTEN takes effect only if its transaction commits.
    if (event == XACT_EVENT_COMMIT && unlisten_at_commit)
        stop_counting(0, (Datum)0);
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT)
        unlisten_at_commit = false;
}

void note_listen_statement(Node *statement) {
    if (statement == nullptr)
        return;
    if (IsA(statement, ListenStmt)) {
        const char *channel = reinterpret_cast<ListenStmt *>(statement)->conditionname;
        // Counted at once, before its commit: at worst an aborted LISTEN
        // makes announcements go out to nobody until this backend exits.
        if (strcmp(channel, kChannel) == 0 && !this_backend_listens) {
            if (!exit_callback_registered) {
                before_shmem_exit(stop_counting, (Datum)0);
                RegisterXactCallback(on_listener_transaction, nullptr);
                exit_callback_registered = true;
            }
            shared::count_listener(MyDatabaseId, +1);
            this_backend_listens = true;
        }
        unlisten_at_commit = false;
    } else if (IsA(statement, UnlistenStmt)) {
        const char *channel = reinterpret_cast<UnlistenStmt *>(statement)->conditionname;
        if (this_backend_listens && (channel == nullptr || strcmp(channel, kChannel) == 0))
            unlisten_at_commit = true;
    } else if (IsA(statement, DiscardStmt)) {
        if (this_backend_listens && reinterpret_cast<DiscardStmt *>(statement)->target == DISCARD_ALL)
            unlisten_at_commit = true;
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

void put_key(StringInfo buf, const char *key, bool first) {
    if (!first)
        appendStringInfoString(buf, ", ");
    escape_json(buf, key);
    appendStringInfoString(buf, ": ");
}

void put_string(StringInfo buf, const char *key, const char *value, bool first = false) {
    put_key(buf, key, first);
    if (value == nullptr)
        appendStringInfoString(buf, "null");
    else
        escape_json(buf, value);
}

void put_uuid(StringInfo buf, const char *key, const pg_uuid_t *value) {
    put_string(buf, key,
               value == nullptr ? nullptr
                                : DatumGetCString(DirectFunctionCall1(
                                      uuid_out, UUIDPGetDatum(const_cast<pg_uuid_t *>(value)))));
}

// details.calendar_id as a C string, or null.
const char *calendar_of(Jsonb *details) {
    if (details == nullptr || !JB_ROOT_IS_OBJECT(details))
        return nullptr;
    JsonbValue *v = getKeyJsonValueFromContainer(&details->root, "calendar_id", 11, nullptr);
    if (v == nullptr || v->type != jbvString)
        return nullptr;
    return pnstrdup(v->val.string.val, static_cast<Size>(v->val.string.len));
}

}  // namespace

void define_setting() {
    DefineCustomBoolVariable(
        "booking.events",
        "Announces every reservation state change with NOTIFY booking_events.",
        "Each announcing transaction takes PostgreSQL's notification queue lock at commit; "
        "turn this off when nobody listens.",
        &events_enabled, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
}

void announce(const char *action, const pg_uuid_t *org_id, const pg_uuid_t *id, Jsonb *details) {
    if (!events_enabled)
        return;
    const char *status = core::observed::facts_of(action, {}).event_status;
    if (status == nullptr)
        return;
    StringInfoData buf;
    initStringInfo(&buf);
    appendStringInfoChar(&buf, '{');
    put_string(&buf, "event", action, true);
    put_uuid(&buf, "org_id", org_id);
    put_string(&buf, "calendar_id", calendar_of(details));
    put_uuid(&buf, "id", id);
    put_string(&buf, "status", status);
    appendStringInfoChar(&buf, '}');
    MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);
    pending = lappend(pending, pstrdup(buf.data));
    MemoryContextSwitchTo(old);
    pfree(buf.data);
}

void register_callbacks() {
    if (callbacks_registered)
        return;
    RegisterXactCallback(on_transaction, nullptr);
    RegisterSubXactCallback(on_subtransaction, nullptr);
    callbacks_registered = true;
}

void install_listener_hook() {
    previous_utility_hook = ProcessUtility_hook;
    ProcessUtility_hook = utility_hook;
}

}  // namespace booking::pg::events
