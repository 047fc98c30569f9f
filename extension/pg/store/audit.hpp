// The audit log: one row per state change (and, later, per code sent and per
// verification attempt). Rows carry structured facts only, never free text
// from callers (reasons, notes) and never a code or its hash, so erasing a
// patient's data from a reservation leaves nothing behind in the log.
#pragma once

#include "core/observed_actions.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/kernel/json_out.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

using Action = core::observed::Action;

// Writes an audit row; details may be null. The one place every change
// passes: it also counts the action in the live statistics (pg/shared/stats.hpp) and,
// for a state change, sends NOTIFY booking_events (pg/events/events.hpp). The details
// of a state change carry its calendar_id.
void write_audit(const CallContext *ctx, const pg_uuid_t *org_id, Action action,
                 const pg_uuid_t *entity_id, Jsonb *details);

// An audit row written by the statement that makes the change it records
// (a data-modifying WITH), one statement less per change: bind its values
// where that statement inserts into booking.audit_log (org_id, id, at,
// action, entity_id, actor, details), run it, then call audited(), which
// counts and announces the row as write_audit() does.
struct PendingAudit {
    Action action;
    const pg_uuid_t *org_id;
    const pg_uuid_t *entity_id;
    Jsonb *details;
    pg_uuid_t id;  // bind as UUIDPGetDatum(&row.id)
    Datum action_value, actor_value, details_value;
};
BOOKING_PLAIN_DATA(PendingAudit);
// details may be null. The row's time is ctx->now.
PendingAudit pending_audit(const CallContext *ctx, const pg_uuid_t *org_id, Action action,
                           const pg_uuid_t *entity_id, Jsonb *details);
void audited(const PendingAudit &row);
// Writes a pending row with a statement of its own (where the change's
// statement could not carry it), then counts and announces it.
void insert_pending_audit(const CallContext *ctx, const PendingAudit &row);
// The same without counting and announcing: for a write that may yet be
// rolled back to a savepoint (kernel/subtransaction.hpp), whose caller calls
// audited() once it stands.
void insert_audit_only(const CallContext *ctx, const PendingAudit &row);

// Writes n audit rows of one action at one time (ctx->now), one per entity,
// in a single statement; each is counted and announced as write_audit()
// does. For sweeps, where a statement per row would cost more than the rows.
void write_audits(const CallContext *ctx, Action action, int n, const pg_uuid_t *org_ids,
                  const pg_uuid_t *entity_ids, Jsonb *const *details);

// A call refused by a rule a clinic sets, written as refused (counted in
// rule_refusals): rule names it (e.g. "max_advance"), code is the answer's
// error, entity_id the reservation the call named (null for a new booking).
// Audited because a rule, unlike a taken slot, is the clinic's choice, and
// its staff want to see whom it turned away.
void audit_rule_refusal(const CallContext *ctx, const char *rule, const char *code,
                        const pg_uuid_t *entity_id, const char *calendar_id,
                        TimestampTz starts_at);
// The same for a recurring series refused whole (book_series), one row for
// the call: rule, code, calendar_id and starts_at of the earliest occurrence
// a rule refused, with how many of the series' occurrences rules refused.
void audit_series_refusal(const CallContext *ctx, const char *rule, const char *code,
                          const char *calendar_id, TimestampTz starts_at, int refused,
                          int occurrences);

// The details most rows carry: the calendar and the reservation's range.
Jsonb *range_details(const char *calendar_id, TimestampTz starts_at, TimestampTz ends_at);
// The same, with the set (a booking of several calendars) and the series the
// reservation belongs to, each when it does (null otherwise).
Jsonb *range_details(const char *calendar_id, TimestampTz starts_at, TimestampTz ends_at,
                     const pg_uuid_t *set_id, const pg_uuid_t *series_id);

}  // namespace booking::pg
