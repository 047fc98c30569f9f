// The life of a hold after its claim: status, extension, release, and the
// staff confirmation that turns it into an appointment.
#include "core/answer_codes.hpp"
#include "core/operation_rules.hpp"
#include "core/otp.hpp"
#include "pg/answer/hold_answers.hpp"
#include "pg/operations/operations.hpp"
#include "pg/operations/waitlist.hpp"
#include "pg/operations/write_path.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/otp_codes.hpp"
#include "pg/store/stale_holds.hpp"

namespace booking::pg {

namespace {

// A hold found stale is expired on the spot, so the row agrees with the answer.
Jsonb *expired_now(const CallContext *ctx, const Reservation &r, const char *action) {
    expire_met_hold(ctx, r);
    return hold_expired(ctx, action);
}

}  // namespace

Jsonb *confirm_hold(const ConfirmRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        const int cap = lock_confirming_contact(ctx, req.contact_id);
        Reservation r;
        if (!find_reservation(ctx, req.hold_id, true, &r))
            return hold_not_found(ctx);
        switch (core::decide_confirm_hold(r.status, r.expires_at, ctx->now)) {
        case core::Verdict::proceed:
            // Confirmed for a contact, the hold counts against its cap.
            if (Jsonb *refused = confirm_refused(ctx, r, req.contact_id, cap))
                return refused;
            mark_confirmed(ctx, &r.id, req.contact_id, req.service_type.str, req.metadata);
            write_audit(ctx, ctx->org_id, Action::confirmed, &r.id, reservation_details(r));
            (void)follow_set(ctx, r, SetChange::confirm,
                             {req.contact_id, req.service_type.str, nullptr, 0}, Action::confirmed);
            settle_offer(ctx, &r.id, true);
            break;
        case core::Verdict::already_done:
            break;
        case core::Verdict::expired:
            return expired_now(ctx, r, core::codes::kOfferAlternatives);
        case core::Verdict::not_found:
            return hold_not_found(ctx);
        case core::Verdict::locked:
        case core::Verdict::not_active:
            return hold_not_active(ctx, r, HoldUse::change);
        }
        return hold_confirmed(ctx, r);
    });
}

Jsonb *release_hold(const pg_uuid_t *org_id, const pg_uuid_t *hold_id, TextArg reason) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        Reservation r;
        if (!find_reservation(ctx, hold_id, true, &r))
            return hold_not_found(ctx);
        switch (core::decide_release_hold(r.status, r.expires_at, ctx->now)) {
        case core::Verdict::proceed:
            mark_released(ctx, &r.id, reason.str);
            write_audit(ctx, ctx->org_id, Action::released, &r.id, reservation_details(r));
            (void)follow_set(ctx, r, SetChange::release, {nullptr, nullptr, reason.str, 0},
                             Action::released);
            // A released offer lapses; released time (a lockout released by
            // staff too) goes to the next in line.
            settle_offer(ctx, &r.id, false);
            pass_freed_reservation(ctx, r);
            break;
        case core::Verdict::already_done:
            break;
        case core::Verdict::expired:
            return expired_now(ctx, r, nullptr);
        case core::Verdict::not_found:
            return hold_not_found(ctx);
        case core::Verdict::locked:
        case core::Verdict::not_active:
            return hold_not_active(ctx, r, HoldUse::change);
        }
        JsonOut j;
        begin_success(&j);
        j.put_uuid("hold_id", &r.id);
        j.put_string("status", "released");
        if (r.has_set)
            j.put_uuid("set_id", &r.set_id);
        return answer(ctx, &j);
    });
}

Jsonb *extend_hold(const pg_uuid_t *org_id, const pg_uuid_t *hold_id, core::Micros ttl) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        Reservation r;
        if (!find_reservation(ctx, hold_id, true, &r))
            return hold_not_found(ctx);
        switch (core::decide_extend_hold(r.status, r.expires_at, ctx->now)) {
        case core::Verdict::proceed:
            break;
        case core::Verdict::expired:
            return expired_now(ctx, r, core::codes::kOfferAlternatives);
        case core::Verdict::already_done:
        case core::Verdict::not_found:
            return hold_not_found(ctx);
        case core::Verdict::locked:
        case core::Verdict::not_active:
            return hold_not_active(ctx, r, HoldUse::change);
        }
        // A hold lives at most booking.max_hold_ttl (or its organisation's
        // shorter one) from its claim, however often it is extended; an
        // extension never shortens it.
        TimestampTz cap = r.created_at + org_limits(ctx).max_hold_ttl;
        TimestampTz wanted = ctx->now + ttl;
        TimestampTz expires_at = wanted < cap ? wanted : cap;
        if (expires_at < r.expires_at)
            expires_at = r.expires_at;
        if (expires_at != r.expires_at) {
            set_expires_at(ctx, &r.id, expires_at);
            write_audit(ctx, ctx->org_id, Action::extended, &r.id, reservation_details(r));
            (void)follow_set(ctx, r, SetChange::extend, {nullptr, nullptr, nullptr, expires_at},
                             Action::extended);
        }
        JsonOut j;
        begin_success(&j);
        j.put_uuid("hold_id", &r.id);
        j.put_timestamp("expires_at", expires_at);
        j.put_bool("capped", wanted > cap);
        return answer(ctx, &j);
    });
}

Jsonb *hold_status(const pg_uuid_t *org_id, const pg_uuid_t *hold_id) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        Reservation r;
        if (!find_reservation(ctx, hold_id, false, &r))
            return hold_not_found(ctx);
        core::Status status = core::effective_status(r.status, r.expires_at, ctx->now);
        bool is_appointment = status == core::Status::confirmed ||
                              status == core::Status::cancelled ||
                              status == core::Status::completed;
        JsonOut j;
        begin_success(&j);
        j.put_uuid("hold_id", &r.id);
        j.put_string("calendar_id", r.calendar_id);
        j.put_string("status", core::status_name(status));
        j.put_timestamp("starts_at", r.starts_at);
        j.put_timestamp("ends_at", r.ends_at);
        j.put_optional_timestamp("expires_at", r.expires_at, r.has_expires_at);
        j.put_optional_timestamp("otp_sent_at", r.otp_sent_at, r.has_otp_sent_at);
        int misses = misses_so_far(ctx, r);
        j.put_int("otp_attempts", misses);
        j.put_int("attempts_left",
                  core::otp::attempts_left(misses, org_limits(ctx).otp_max_attempts));
        j.put_optional_timestamp("verified_at", r.verified_at, r.has_verified_at);
        j.put_uuid("appointment_id", is_appointment ? &r.id : nullptr);
        if (r.has_set)
            j.put_uuid("set_id", &r.set_id);
        return answer(ctx, &j);
    });
}

}  // namespace booking::pg
