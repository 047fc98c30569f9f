#include "events.hpp"

#include "core/observed_actions.hpp"

extern "C" {
#include "commands/async.h"
#include "lib/stringinfo.h"
#include "utils/guc.h"
#include "utils/json.h"
}

namespace booking::pg::events {

namespace {

bool events_enabled = true;

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
    Async_Notify(kChannel, buf.data);
    pfree(buf.data);
}

}  // namespace booking::pg::events
