#include "events.hpp"

#include "core/observed_actions.hpp"

#include "event_consumers.hpp"
#include "ids.hpp"
#include "shared_state.hpp"
#include "statement.hpp"
#include "stats.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "nodes/parsenodes.h"
#include "storage/ipc.h"
#include "tcop/utility.h"
#include "utils/guc.h"
}

namespace booking::pg::events {

namespace {

bool events_enabled = true;
bool notify_enabled = true;

Statement record_event = {
    "INSERT INTO booking.event_queue (org_id, id, event, reservation_id, calendar_id, status, at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
    7,
    {UUIDOID, UUIDOID, TEXTOID, UUIDOID, TEXTOID, TEXTOID, TIMESTAMPTZOID},
    nullptr};

// Whether this transaction recorded an event, so its commit wakes listeners.
// A subtransaction that rolled its events back leaves it set: a wake-up
// with nothing new costs a consumer one empty read.
bool recorded = false;
bool callbacks_registered = false;

void on_transaction(XactEvent event, void *) {
    switch (event) {
    case XACT_EVENT_PRE_COMMIT:
    case XACT_EVENT_PRE_PREPARE:
        // The payload is empty: a wake-up tells no tenant anything about
        // another. Without preloading nobody can be ruled out as listening.
        if (recorded && notify_enabled && shared::listeners_in(MyDatabaseId) != 0)
            Async_Notify(kChannel, "");
        recorded = false;
        break;
    case XACT_EVENT_COMMIT:
    case XACT_EVENT_ABORT:
    case XACT_EVENT_PREPARE:
    case XACT_EVENT_PARALLEL_COMMIT:
    case XACT_EVENT_PARALLEL_ABORT:
        recorded = false;
        break;
    default:
        break;
    }
}

// Listener counting (preloaded only): LISTEN, UNLISTEN and DISCARD ALL of
// the channel, and sessions that end.
ProcessUtility_hook_type previous_utility_hook = nullptr;
bool this_backend_listens = false;
bool exit_callback_registered = false;
// An UNLISTEN takes effect only if its transaction commits, and only if the
// subtransaction it ran in (or any around it) was not rolled back.
bool unlisten_at_commit = false;
SubTransactionId unlisten_subid = InvalidSubTransactionId;

void stop_counting(int, Datum) {
    if (this_backend_listens) {
        shared::count_listener(MyDatabaseId, -1);
        this_backend_listens = false;
    }
}

void on_listener_transaction(XactEvent event, void *) {
    if (event == XACT_EVENT_COMMIT && unlisten_at_commit)
        stop_counting(0, (Datum)0);
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT)
        unlisten_at_commit = false;
}

void on_listener_subtransaction(SubXactEvent event, SubTransactionId subid,
                                SubTransactionId parent, void *) {
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
                before_shmem_exit(stop_counting, (Datum)0);
                RegisterXactCallback(on_listener_transaction, nullptr);
                RegisterSubXactCallback(on_listener_subtransaction, nullptr);
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

// details.calendar_id as text, or null.
Datum calendar_of(Jsonb *details, char *null_flag) {
    if (details != nullptr && JB_ROOT_IS_OBJECT(details)) {
        JsonbValue *v = getKeyJsonValueFromContainer(&details->root, "calendar_id", 11, nullptr);
        if (v != nullptr && v->type == jbvString)
            return PointerGetDatum(cstring_to_text_with_len(v->val.string.val, v->val.string.len));
    }
    *null_flag = 'n';
    return (Datum)0;
}

}  // namespace

void define_settings() {
    DefineCustomBoolVariable(
        "booking.events", "Records every reservation state change for registered event consumers.",
        "Off: nothing is recorded, even for consumers (they miss what happens meanwhile).",
        &events_enabled, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomBoolVariable(
        "booking.event_notify",
        "Wakes listening consumers with NOTIFY booking_events when events were recorded.",
        "A notifying commit takes PostgreSQL's notification queue lock; turn this off when "
        "consumers poll read_events() instead of listening.",
        &notify_enabled, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
}

void announce(const char *action, const pg_uuid_t *org_id, const pg_uuid_t *id, Jsonb *details) {
    if (!events_enabled)
        return;
    const char *status = core::observed::facts_of(action, {}).event_status;
    if (status == nullptr)
        return;
    if (!events_wanted(org_id)) {
        stats::count(stats::Tally::events_unheard);
        return;
    }
    // The event's own id is taken now, under the lock its change holds (the
    // calendar's or the row's), so ids order events of one calendar or one
    // reservation as their commits do.
    TimestampTz now = GetCurrentTimestamp();
    pg_uuid_t event_id = new_id(now);
    char nulls[8] = "       ";
    Datum values[7] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id)),
                       UUIDPGetDatum(&event_id),
                       CStringGetTextDatum(action),
                       UUIDPGetDatum(const_cast<pg_uuid_t *>(id)),
                       calendar_of(details, &nulls[4]),
                       CStringGetTextDatum(status),
                       TimestampTzGetDatum(now)};
    run(record_event, values, nulls);
    stats::count(stats::Tally::events_sent);
    recorded = true;
}

void register_callbacks() {
    if (callbacks_registered)
        return;
    RegisterXactCallback(on_transaction, nullptr);
    callbacks_registered = true;
}

void install_listener_hook() {
    previous_utility_hook = ProcessUtility_hook;
    ProcessUtility_hook = utility_hook;
}

}  // namespace booking::pg::events
