#include "pg/answer/answers.hpp"

#include "core/answer_codes.hpp"
#include "core/operation_rules.hpp"
#include "pg/calendar/alternatives.hpp"
#include "pg/settings/settings.hpp"
#include "pg/stats/stats.hpp"

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
                  "another booking on this calendar is in progress; try again", core::codes::kRetry);
    j.put_int("retry_after_ms", core::busy_retry_after_ms(settings::lock_wait_timeout_ms));
    return answer(ctx, &j);
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

Jsonb *unavailable_answer(const CallContext *ctx, const char *code, const char *message,
                          const char *calendar_id, core::TimeRange requested,
                          const pg_uuid_t *exclude, const Reservation *conflicting) {
    if (strcmp(code, core::codes::kSlotUnavailable) == 0)
        stats::count(stats::Tally::conflicts);
    CalendarRules rules = calendar_rules(ctx, calendar_id);
    int capacity = settings::alternatives_count;
    core::TimeRange *alternatives =
        static_cast<core::TimeRange *>(palloc(sizeof(core::TimeRange) * (capacity + 1)));
    int n = find_alternatives(ctx, calendar_id, rules, requested, exclude, alternatives, capacity);

    JsonOut j;
    begin_failure(&j, code, message, core::codes::kOfferAlternatives);
    if (conflicting != nullptr)
        put_conflict(&j, "conflicting_appointment", *conflicting, ctx->now);
    put_alternatives(&j, alternatives, n);
    return answer(ctx, &j);
}

}  // namespace booking::pg
