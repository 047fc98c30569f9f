// The shapes of answers: business outcomes are returned as jsonb, never
// raised. Every answer has "success"; a failure has "error" (a stable code
// from core/answer_codes.hpp), a human "message", and where an agent has a
// next step, an "action".
#pragma once

#include "pg/kernel/json_out.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

// Opens {"success": true, ...}; the caller adds keys.
void begin_success(JsonOut *j);
// Opens {"success": false, "error", "message"[, "action"]}; the caller adds keys.
void begin_failure(JsonOut *j, const char *code, const char *message, const char *action);

// Closes the object and makes the answer in the caller's memory, which
// outlives the call scope (the scope itself stays open: in_call_scope leaves
// it once the body returned the answer).
Jsonb *answer(const CallContext *ctx, JsonOut *j);

// A complete failure answer.
Jsonb *failure_answer(const CallContext *ctx, const char *code, const char *message,
                      const char *action);

// busy/RETRY: the calendar lock was not granted within the bound.
Jsonb *busy_answer(const CallContext *ctx);

// What an answer about one reservation opens with: its id (under id_key,
// hold_id or appointment_id), calendar and range.
void put_reservation(JsonOut *j, const char *id_key, const pg_uuid_t *id, const char *calendar_id,
                     TimestampTz starts_at, TimestampTz ends_at);

void put_alternatives(JsonOut *j, const core::TimeRange *slots, int n);
void put_conflict(JsonOut *j, const char *key, const Reservation &r, TimestampTz now);

}  // namespace booking::pg
