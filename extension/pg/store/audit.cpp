#include "pg/store/audit.hpp"

#include "pg/events/events.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/ids.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/shared/stats.hpp"

namespace booking::pg {

namespace {

Statement insert_audit = {
    "INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
    7,
    {UUIDOID, UUIDOID, TIMESTAMPTZOID, TEXTOID, UUIDOID, TEXTOID, JSONBOID},
    nullptr};

Statement insert_audits = {
    "INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details) "
    "SELECT o, i, $3, $4, e, $6, d FROM unnest($1::uuid[], $2::uuid[], $5::uuid[], $7::jsonb[]) "
    "AS rows(o, i, e, d)",
    7,
    {UUIDARRAYOID, UUIDARRAYOID, TIMESTAMPTZOID, TEXTOID, UUIDARRAYOID, TEXTOID, JSONBARRAYOID},
    nullptr};

}  // namespace

PendingAudit pending_audit(const CallContext *ctx, const pg_uuid_t *org_id, Action action,
                           const pg_uuid_t *entity_id, Jsonb *details) {
    if (details == nullptr) {
        JsonOut empty;
        empty.begin_object();
        empty.end_object();
        details = empty.finish(CurrentMemoryContext);
    }
    PendingAudit row;
    row.action = action;
    row.org_id = org_id;
    row.entity_id = entity_id;
    row.details = details;
    row.id = new_id(ctx->now);
    row.action_value = CStringGetTextDatum(core::observed::action_text(action));
    row.actor_value = CStringGetTextDatum(caller_name(ctx));
    row.details_value = JsonbPGetDatum(details);
    return row;
}

void audited(const PendingAudit &row) {
    // Every change passes here: count it, and announce it on commit.
    stats::count_audit(row.action);
    events::announce(row.action, row.org_id, row.entity_id, row.details);
}

void write_audit(const CallContext *ctx, const pg_uuid_t *org_id, Action action,
                 const pg_uuid_t *entity_id, Jsonb *details) {
    insert_pending_audit(ctx, pending_audit(ctx, org_id, action, entity_id, details));
}

void insert_pending_audit(const CallContext *ctx, const PendingAudit &row) {
    insert_audit_only(ctx, row);
    audited(row);
}

void insert_audit_only(const CallContext *ctx, const PendingAudit &row) {
    const pg_uuid_t *entity_id = row.entity_id;
    Datum values[7] = {
        UUIDPGetDatum(const_cast<pg_uuid_t *>(row.org_id)),
        UUIDPGetDatum(const_cast<pg_uuid_t *>(&row.id)),
        TimestampTzGetDatum(ctx->now),
        row.action_value,
        entity_id ? UUIDPGetDatum(const_cast<pg_uuid_t *>(entity_id)) : (Datum)0,
        row.actor_value,
        row.details_value,
    };
    char nulls[8] = "       ";
    if (entity_id == nullptr)
        nulls[4] = 'n';
    run(insert_audit, values, nulls);
}

void write_audits(const CallContext *ctx, Action action, int n, const pg_uuid_t *org_ids,
                  const pg_uuid_t *entity_ids, Jsonb *const *details) {
    if (n <= 0)
        return;
    pg_uuid_t *ids = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * n));
    Datum *documents = static_cast<Datum *>(palloc(sizeof(Datum) * n));
    for (int i = 0; i < n; ++i) {
        ids[i] = new_id(ctx->now);
        documents[i] = JsonbPGetDatum(details[i]);
    }
    Datum values[7] = {
        uuid_array(org_ids, n),
        uuid_array(ids, n),
        TimestampTzGetDatum(ctx->now),
        CStringGetTextDatum(core::observed::action_text(action)),
        uuid_array(entity_ids, n),
        CStringGetTextDatum(caller_name(ctx)),
        PointerGetDatum(construct_array(documents, n, JSONBOID, -1, false, TYPALIGN_INT)),
    };
    run(insert_audits, values, nullptr);
    for (int i = 0; i < n; ++i) {
        stats::count_audit(action);
        events::announce(action, &org_ids[i], &entity_ids[i], details[i]);
    }
}

namespace {

// What every refused row says: the rule, the answer's error, where and when.
void begin_refusal(JsonOut *j, const char *rule, const char *code, const char *calendar_id,
                   TimestampTz starts_at) {
    j->begin_object();
    j->put_string("rule", rule);
    j->put_string("error", code);
    j->put_string("calendar_id", calendar_id);
    j->put_timestamp("starts_at", starts_at);
}

}  // namespace

void audit_rule_refusal(const CallContext *ctx, const char *rule, const char *code,
                        const pg_uuid_t *entity_id, const char *calendar_id,
                        TimestampTz starts_at) {
    JsonOut j;
    begin_refusal(&j, rule, code, calendar_id, starts_at);
    j.end_object();
    write_audit(ctx, ctx->org_id, Action::refused, entity_id, j.finish(CurrentMemoryContext));
}

void audit_series_refusal(const CallContext *ctx, const char *rule, const char *code,
                          const char *calendar_id, TimestampTz starts_at, int refused,
                          int occurrences) {
    JsonOut j;
    begin_refusal(&j, rule, code, calendar_id, starts_at);
    j.put_int("refused_occurrences", refused);
    j.put_int("occurrences", occurrences);
    j.end_object();
    write_audit(ctx, ctx->org_id, Action::refused, nullptr, j.finish(CurrentMemoryContext));
}

Jsonb *range_details(const char *calendar_id, TimestampTz starts_at, TimestampTz ends_at) {
    return range_details(calendar_id, starts_at, ends_at, nullptr, nullptr);
}

Jsonb *range_details(const char *calendar_id, TimestampTz starts_at, TimestampTz ends_at,
                     const pg_uuid_t *set_id, const pg_uuid_t *series_id) {
    JsonOut j;
    j.begin_object();
    j.put_string("calendar_id", calendar_id);
    j.put_timestamp("starts_at", starts_at);
    j.put_timestamp("ends_at", ends_at);
    if (set_id != nullptr)
        j.put_uuid("set_id", set_id);
    if (series_id != nullptr)
        j.put_uuid("series_id", series_id);
    j.end_object();
    return j.finish(CurrentMemoryContext);
}

}  // namespace booking::pg
