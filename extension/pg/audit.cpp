#include "audit.hpp"

#include "events.hpp"
#include "ids.hpp"
#include "statement.hpp"
#include "stats.hpp"

namespace booking::pg {

namespace {

Statement insert_audit = {
    "INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
    7,
    {UUIDOID, UUIDOID, TIMESTAMPTZOID, TEXTOID, UUIDOID, TEXTOID, JSONBOID},
    nullptr};

}  // namespace

void write_audit(const CallContext *ctx, const pg_uuid_t *org_id, const char *action,
                 const pg_uuid_t *entity_id, Jsonb *details) {
    pg_uuid_t id = new_id(ctx->now);
    if (details == nullptr) {
        JsonOut empty;
        empty.begin_object();
        empty.end_object();
        details = empty.finish(CurrentMemoryContext);
    }
    Datum values[7] = {
        UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id)),
        UUIDPGetDatum(&id),
        TimestampTzGetDatum(ctx->now),
        CStringGetTextDatum(action),
        entity_id ? UUIDPGetDatum(const_cast<pg_uuid_t *>(entity_id)) : (Datum)0,
        CStringGetTextDatum(caller_name(ctx)),
        JsonbPGetDatum(details),
    };
    char nulls[8] = "       ";
    if (entity_id == nullptr)
        nulls[4] = 'n';
    run(insert_audit, values, nulls);
    // Every change passes here: count it, and announce it on commit.
    stats::count_audit(action, details);
    events::announce(action, org_id, entity_id, details);
}

Jsonb *range_details(const char *calendar_id, TimestampTz starts_at, TimestampTz ends_at) {
    JsonOut j;
    j.begin_object();
    j.put_string("calendar_id", calendar_id);
    j.put_timestamp("starts_at", starts_at);
    j.put_timestamp("ends_at", ends_at);
    j.end_object();
    return j.finish(CurrentMemoryContext);
}

}  // namespace booking::pg
