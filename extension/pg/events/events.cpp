#include "pg/events/events.hpp"

#include "core/observed_actions.hpp"
#include "pg/events/consumers.hpp"
#include "pg/kernel/hooks.hpp"
#include "pg/kernel/ids.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/settings/settings.hpp"
#include "pg/shared/shared_state.hpp"
#include "pg/shared/stats.hpp"

namespace booking::pg::events {

namespace {

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

void on_transaction(XactEvent event) {
    switch (event) {
    case XACT_EVENT_PRE_COMMIT:
    case XACT_EVENT_PRE_PREPARE:
        // The payload is empty: a wake-up tells no tenant anything about
        // another. Without preloading nobody can be ruled out as listening.
        if (recorded && settings::event_notify && shared::listeners_in(MyDatabaseId) != 0)
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

void announce(core::observed::Action action, const pg_uuid_t *org_id, const pg_uuid_t *id,
              Jsonb *details) {
    if (!settings::events_enabled)
        return;
    const char *status = core::observed::facts_of(action).event_status;
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
                       CStringGetTextDatum(core::observed::action_text(action)),
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
    RegisterXactCallback(hooks::transaction<on_transaction>, nullptr);
    callbacks_registered = true;
}

}  // namespace booking::pg::events
