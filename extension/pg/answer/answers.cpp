#include "pg/answer/answers.hpp"

#include "core/answer_codes.hpp"
#include "core/operation_rules.hpp"
#include "pg/settings/settings.hpp"
#include "pg/shared/stats.hpp"

namespace booking::pg {

void begin_success(JsonOut *j) {
    j->begin_object();
    j->put_bool("success", true);
}

void begin_failure(JsonOut *j, const char *code, const char *message, const char *action) {
    j->begin_object();
    j->put_bool("success", false);
    j->put_string("error", code);
    j->put_string("message", message);
    if (action != nullptr)
        j->put_string("action", action);
}

Jsonb *answer(const CallContext *ctx, JsonOut *j) {
    // Every answer of a call that named a pool says which (the member is its
    // calendar_id).
    if (ctx->pool_id != nullptr)
        j->put_string("pool_id", ctx->pool_id);
    j->end_object();
    return j->finish(ctx->caller_context);
}

Jsonb *failure_answer(const CallContext *ctx, const char *code, const char *message,
                      const char *action) {
    JsonOut j;
    begin_failure(&j, code, message, action);
    return answer(ctx, &j);
}

Jsonb *busy_answer(const CallContext *ctx) {
    stats::count(stats::Tally::busy);
    JsonOut j;
    begin_failure(&j, core::codes::kBusy,
                  "another booking on this calendar is in progress; try again",
                  core::codes::kRetry);
    j.put_int("retry_after_ms", core::busy_retry_after_ms(settings::lock_wait_timeout_ms));
    return answer(ctx, &j);
}

void put_reservation(JsonOut *j, const char *id_key, const pg_uuid_t *id, const char *calendar_id,
                     TimestampTz starts_at, TimestampTz ends_at) {
    j->put_uuid(id_key, id);
    j->put_string("calendar_id", calendar_id);
    j->put_timestamp("starts_at", starts_at);
    j->put_timestamp("ends_at", ends_at);
}

void put_alternatives(JsonOut *j, const core::TimeRange *slots, int n) {
    j->begin_array("alternatives");
    for (int i = 0; i < n; ++i) {
        j->begin_element_object();
        j->put_timestamp("starts_at", slots[i].start);
        j->put_timestamp("ends_at", slots[i].end);
        j->end_object();
    }
    j->end_array();
}

void put_conflict(JsonOut *j, const char *key, const Reservation &r, TimestampTz now) {
    j->begin_object(key);
    j->put_uuid("id", &r.id);
    j->put_timestamp("starts_at", r.starts_at);
    j->put_timestamp("ends_at", r.ends_at);
    j->put_string("status", core::status_name(core::effective_status(r.status, r.expires_at, now)));
    j->end_object();
}

}  // namespace booking::pg
