#include "pg/answer/hold_answers.hpp"

#include "core/answer_codes.hpp"

namespace booking::pg {

Jsonb *hold_not_found(const CallContext *ctx) {
    return failure_answer(ctx, core::codes::kHoldNotFound, "no hold with that id", nullptr);
}

Jsonb *hold_expired(const CallContext *ctx, const char *action) {
    return failure_answer(ctx, core::codes::kHoldExpired,
                          "the hold has expired; claim the slot again", action);
}

Jsonb *hold_not_active(const CallContext *ctx, const Reservation &r, HoldUse use) {
    const char *status =
        core::status_name(core::effective_status(r.status, r.expires_at, ctx->now));
    const char *format = use == HoldUse::verify
                             ? "the hold is %s; codes apply only to held holds"
                             : "the hold is %s and cannot be changed this way";
    JsonOut j;
    begin_failure(&j, core::codes::kHoldNotActive, psprintf(format, status), nullptr);
    j.put_string("status", status);
    return answer(ctx, &j);
}

Jsonb *hold_locked(const CallContext *ctx) {
    JsonOut j;
    begin_failure(&j, core::codes::kOtpLocked, "too many wrong codes; the hold awaits staff",
                  core::codes::kEscalateToHuman);
    j.put_string("status", "requires_manual_followup");
    j.put_int("attempts_left", 0);
    return answer(ctx, &j);
}

Jsonb *hold_confirmed(const CallContext *ctx, const Reservation &r) {
    JsonOut j;
    begin_success(&j);
    j.put_uuid("appointment_id", &r.id);
    j.put_uuid("hold_id", &r.id);
    j.put_string("calendar_id", r.calendar_id);
    j.put_timestamp("starts_at", r.starts_at);
    j.put_timestamp("ends_at", r.ends_at);
    j.put_string("status", "confirmed");
    if (r.has_set)
        j.put_uuid("set_id", &r.set_id);
    return answer(ctx, &j);
}

}  // namespace booking::pg
