// Caller verification by one-time code: issue_otp sends, withdraw_otp takes
// back a code whose SMS could not be sent, verify_otp checks and, on a match,
// confirms the hold in the same transaction.
#include "core/answer_codes.hpp"
#include "core/operation_rules.hpp"
#include "core/org_policy.hpp"
#include "core/otp.hpp"
#include "pg/answer/hold_answers.hpp"
#include "pg/operations/operations.hpp"
#include "pg/operations/waitlist.hpp"
#include "pg/operations/write_path.hpp"
#include "pg/shared/shared_state.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/contact_locks.hpp"
#include "pg/store/otp_codes.hpp"
#include "pg/store/stale_holds.hpp"

namespace booking::pg {

namespace {

// A hold found stale is expired on the spot, so the row agrees with the answer.
Jsonb *expired_now(const CallContext *ctx, const Reservation &r) {
    expire_met_hold(ctx, r);
    return hold_expired(ctx, core::codes::kOfferAlternatives);
}

// One audit row per attempt, whatever its result; never the code.
Jsonb *attempt_details(const Reservation &r, const char *result, int misses) {
    JsonOut d;
    d.begin_object();
    d.put_string("calendar_id", r.calendar_id);
    d.put_string("result", result);
    d.put_int("misses", misses);
    d.end_object();
    return d.finish(CurrentMemoryContext);
}

// A code that did not match, or no guess at all (expired, rotated, unissued,
// malformed): one otp_attempt row, its result in the details.
void audit_attempt(const CallContext *ctx, const Reservation &r, const char *result, int misses) {
    Action action = strcmp(result, "mismatch") == 0 ? Action::otp_mismatch : Action::otp_unjudged;
    write_audit(ctx, ctx->org_id, action, &r.id, attempt_details(r, result, misses));
}

// The miss that reaches the limit: the hold waits for staff, its code goes.
// The whole set waits for staff with it.
void lock_set(const CallContext *ctx, const Reservation &r) {
    write_audit(ctx, ctx->org_id, Action::locked, &r.id, reservation_details(r));
    (void)follow_set(ctx, r, SetChange::lock, SetChangeArgs{}, Action::locked);
}

Jsonb *lock_for_staff(const CallContext *ctx, const Reservation &r, int misses) {
    record_otp_misses(ctx, &r.id, misses, true);
    delete_otp_code(ctx, &r.id);
    lock_set(ctx, r);
    return hold_locked(ctx);
}

void draw_code(int digits, char *code) {
    for (;;) {
        std::uint32_t random;
        if (!pg_strong_random(&random, sizeof(random)))
            ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                            errmsg("could not generate random bytes for a code")));
        if (core::otp::code_from_random(random, digits, code))
            return;
    }
}

// The SMS cost guard: at most otp_sends_per_phone_hour codes to one phone
// number per organisation in a rolling hour, across its holds. Under the
// phone's row lock (taken after the hold's, as every issue and withdrawal
// takes them), so two holds of one phone sending at once take turns and
// the second counts the first's send. Answers the refusal, or null with
// this send recorded.
Jsonb *phone_guard(const CallContext *ctx, const Reservation &r, int limit) {
    char key[kContactKeyLength + 1];
    if (!sms_key(r.patient_phone, key))
        return nullptr;
    TimestampTz *sends = nullptr;
    int n = lock_contact_row(ctx, key, &sends);
    core::Micros retry_after = 0;
    if (!core::policy::phone_send_allowed(sends, n, ctx->now, limit, &retry_after)) {
        audit_rule_refusal(ctx, "otp_sends_per_phone_hour", core::codes::kOtpPhoneLimit, &r.id,
                           r.calendar_id, r.starts_at);
        JsonOut j;
        begin_failure(&j, core::codes::kOtpPhoneLimit,
                      "this phone number was sent as many codes as an hour allows; a person "
                      "should verify the caller another way",
                      core::codes::kEscalateToHuman);
        j.put_int("retry_after_ms", (retry_after + 999) / 1000);
        return answer(ctx, &j);
    }
    n = core::policy::sends_in_window(sends, n, ctx->now);
    sends[n++] = ctx->now;
    record_phone_sends(ctx, key, sends, n);
    return nullptr;
}

}  // namespace

Jsonb *issue_otp(const pg_uuid_t *org_id, const pg_uuid_t *hold_id) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        Reservation r;
        if (!find_reservation(ctx, hold_id, true, &r))
            return hold_not_found(ctx);
        switch (core::decide_issue_otp(r.status, r.expires_at, ctx->now)) {
        case core::Verdict::proceed:
            break;
        case core::Verdict::locked:
            return hold_locked(ctx);
        case core::Verdict::expired:
            return expired_now(ctx, r);
        default:
            return hold_not_active(ctx, r, HoldUse::verify);
        }

        const OrgLimits limits = org_limits(ctx);
        core::otp::SendPolicy policy{limits.otp_max_sends, limits.otp_resend_interval};
        core::Micros retry_after = 0;
        switch (core::otp::decide_send(r.otp_sends, r.has_otp_sent_at, r.otp_sent_at, ctx->now,
                                       policy, &retry_after)) {
        case core::otp::SendVerdict::send:
            break;
        case core::otp::SendVerdict::limit_reached: {
            JsonOut j;
            begin_failure(&j, core::codes::kOtpSendLimit,
                          "no more codes can be sent for this hold", core::codes::kEscalateToHuman);
            j.put_int("sends_left", 0);
            return answer(ctx, &j);
        }
        case core::otp::SendVerdict::too_soon: {
            JsonOut j;
            begin_failure(&j, core::codes::kOtpTooSoon,
                          "a code was sent moments ago; wait a little", core::codes::kRetry);
            j.put_int("retry_after_ms", (retry_after + 999) / 1000);
            return answer(ctx, &j);
        }
        }

        if (Jsonb *refused = phone_guard(ctx, r, limits.otp_sends_per_phone_hour))
            return refused;

        char code[core::otp::kMaxDigits + 1];
        OtpKey key = current_otp_key();
        StoredCode stored;
        stored.digits = limits.otp_digits;
        stored.expires_at = ctx->now + limits.otp_ttl;
        // What withdrawing this code puts back.
        stored.has_previous_sent_at = r.has_otp_sent_at;
        stored.previous_sent_at = r.otp_sent_at;
        memcpy(stored.key_id, key.id, kOtpKeyIdLength);
        draw_code(stored.digits, code);
        otp_mac(ctx, key, &r.id, code, stored.mac);
        JsonOut d;
        d.begin_object();
        d.put_string("calendar_id", r.calendar_id);
        d.put_int("sends", r.otp_sends + 1);
        d.end_object();
        PendingAudit sent =
            pending_audit(ctx, ctx->org_id, Action::otp_sent, &r.id, d.finish(CurrentMemoryContext));
        record_code_sent(ctx, &r.id, stored, &sent);

        JsonOut j;
        begin_success(&j);
        j.put_uuid("hold_id", &r.id);
        j.put_string("code", code);
        j.put_int("digits", stored.digits);
        j.put_timestamp("expires_at", stored.expires_at);
        j.put_int("sends_left", policy.max_sends - (r.otp_sends + 1));
        // The SMS sender learns where to send the code from this answer, not
        // from the tables, which stay closed to it.
        j.put_string("patient_phone", r.patient_phone);
        Jsonb *issued = answer(ctx, &j);
        explicit_bzero(code, sizeof(code));
        return issued;
    });
}

// The SMS sender issues a code and commits before it calls the provider, so
// no transaction waits on the provider; when the provider fails, the sender
// takes the code back here, naming it: only who issued a code knows it, and
// only the hold's current code is taken back, in constant time as verify
// compares. Under the hold's row lock, as issue and verify take it, so a
// verification or a resend either came first (and the code is gone or
// replaced: nothing is undone) or comes after (and finds no code).
Jsonb *withdraw_otp(const pg_uuid_t *org_id, const pg_uuid_t *hold_id, const char *code) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        Reservation r;
        if (!find_reservation(ctx, hold_id, true, &r))
            return hold_not_found(ctx);
        switch (core::decide_withdraw_otp(r.status, r.expires_at, ctx->now)) {
        case core::Verdict::proceed:
            break;
        case core::Verdict::locked:
            return hold_locked(ctx);
        case core::Verdict::expired:
            return expired_now(ctx, r);
        default:
            // Confirmed (by this code, read out while its SMS was on its way,
            // or by staff), released, cancelled: kept as it is.
            return hold_not_active(ctx, r, HoldUse::verify);
        }

        StoredCode stored;
        if (!find_otp_code_to_withdraw(ctx, &r.id, &stored))
            return failure_answer(ctx, core::codes::kOtpNotIssued,
                                  "this hold has no code to withdraw; nothing was changed",
                                  nullptr);
        OtpKey key = current_otp_key();
        if (memcmp(key.id, stored.key_id, kOtpKeyIdLength) != 0)
            // Issued under an earlier key: it can be checked no more, nor
            // verified (verify_otp answers otp_expired); its send stays.
            return failure_answer(ctx, core::codes::kOtpExpired,
                                  "the code was issued under an earlier key and can no longer be "
                                  "checked; nothing was changed",
                                  nullptr);
        uint8 given[kOtpMacLength];
        otp_mac(ctx, key, &r.id, code, given);
        if (!core::otp::constant_time_equal(given, stored.mac, kOtpMacLength))
            // A later send replaced it (its own send and code stand), or it
            // was never this hold's code.
            return failure_answer(ctx, core::codes::kOtpReplaced,
                                  "that is not the hold's current code (a later send replaced "
                                  "it); nothing was changed",
                                  nullptr);

        core::otp::SendCount after = core::otp::give_back_send(
            {r.otp_sends, r.has_otp_sent_at, r.otp_sent_at}, stored.has_previous_sent_at,
            stored.previous_sent_at);
        JsonOut d;
        d.begin_object();
        d.put_string("calendar_id", r.calendar_id);
        d.put_int("sends", after.sends);
        d.end_object();
        PendingAudit withdrawn = pending_audit(ctx, ctx->org_id, Action::otp_withdrawn, &r.id,
                                               d.finish(CurrentMemoryContext));
        record_code_withdrawn(ctx, &r.id, after, &withdrawn);
        // Its send costs the clinic nothing either: the phone's hour gets it back.
        char phone[kContactKeyLength + 1];
        if (r.has_otp_sent_at && sms_key(r.patient_phone, phone))
            give_back_phone_send(ctx, phone, r.otp_sent_at);

        const int max_sends = org_limits(ctx).otp_max_sends;
        JsonOut j;
        begin_success(&j);
        j.put_uuid("hold_id", &r.id);
        j.put_bool("withdrawn", true);
        j.put_int("sends_left", max_sends > after.sends ? max_sends - after.sends : 0);
        j.put_optional_timestamp("otp_sent_at", after.last_sent_at, after.sent_before);
        return answer(ctx, &j);
    });
}

Jsonb *verify_otp(const VerifyRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        const int cap = lock_confirming_contact(ctx, req.contact_id);
        Reservation r;
        if (!find_reservation(ctx, req.hold_id, true, &r))
            return hold_not_found(ctx);
        switch (core::decide_verify_otp(r.status, r.expires_at, r.has_verified_at, ctx->now)) {
        case core::Verdict::proceed:
            break;
        case core::Verdict::already_done: {
            JsonOut j;
            begin_success(&j);
            j.put_uuid("appointment_id", &r.id);
            j.put_uuid("hold_id", &r.id);
            j.put_string("status", "confirmed");
            return answer(ctx, &j);
        }
        case core::Verdict::locked:
            return hold_locked(ctx);
        case core::Verdict::expired:
            return expired_now(ctx, r);
        default:
            return hold_not_active(ctx, r, HoldUse::verify);
        }

        const int max_attempts = org_limits(ctx).otp_max_attempts;
        int misses = misses_so_far(ctx, r);
        // The ledger remembers misses a rolled-back transaction hid.
        if (core::otp::miss_locks_hold(misses, max_attempts))
            return lock_for_staff(ctx, r, misses);
        // A match confirms the hold for the contact named, whose cap counts
        // it: checked before the code is judged, so a refusal spends no
        // attempt and leaves the code and the hold as they were.
        if (Jsonb *refused = confirm_refused(ctx, r, req.contact_id, cap))
            return refused;

        // What is judged comes from the code as issued: whether there is one,
        // whether it still counts, and how many digits it has.
        StoredCode stored;
        if (!find_otp_code(ctx, &r.id, &stored)) {
            audit_attempt(ctx, r, "not_issued", misses);
            return failure_answer(ctx, core::codes::kOtpNotIssued,
                                  "no code was sent for this hold", core::codes::kResendOtp);
        }
        OtpKey key = current_otp_key();
        bool rotated = memcmp(key.id, stored.key_id, kOtpKeyIdLength) != 0;
        if (stored.expires_at <= ctx->now || rotated) {
            // A code issued under an earlier key can no longer be checked: it
            // is as good as expired, and no guess was made.
            audit_attempt(ctx, r, rotated ? "key_rotated" : "expired", misses);
            return failure_answer(ctx, core::codes::kOtpExpired,
                                  "the code has expired; send a new one", core::codes::kResendOtp);
        }

        char cleaned[core::otp::kMaxDigits + 1];
        int len = core::otp::clean_input(req.code.str, cleaned);
        if (len < 0 || !core::otp::well_formed({cleaned, static_cast<std::size_t>(len)},
                                               stored.digits)) {
            explicit_bzero(cleaned, sizeof(cleaned));
            audit_attempt(ctx, r, "invalid_format", misses);
            JsonOut j;
            begin_failure(&j, core::codes::kOtpInvalidFormat,
                          psprintf("a code has %d digits; ask the caller again", stored.digits),
                          core::codes::kRetry);
            j.put_int("digits", stored.digits);
            j.put_int("attempts_left", core::otp::attempts_left(misses, max_attempts));
            return answer(ctx, &j);
        }

        uint8 given[kOtpMacLength];
        otp_mac(ctx, key, &r.id, cleaned, given);
        explicit_bzero(cleaned, sizeof(cleaned));
        if (core::otp::constant_time_equal(given, stored.mac, kOtpMacLength)) {
            PendingAudit attempt = pending_audit(ctx, ctx->org_id, Action::otp_match, &r.id,
                                                 attempt_details(r, "match", misses));
            PendingAudit confirmed =
                pending_audit(ctx, ctx->org_id, Action::confirmed, &r.id, reservation_details(r));
            record_code_match(ctx, &r.id, req.contact_id, req.service_type.str, &attempt,
                              &confirmed);
            (void)follow_set(ctx, r, SetChange::verify,
                             {req.contact_id, req.service_type.str, nullptr, 0}, Action::confirmed);
            shared::forget_otp_misses(&r.id);
            settle_offer(ctx, &r.id, true);
            return hold_confirmed(ctx, r);
        }

        int ledger = shared::record_otp_miss(&r.id, ctx->now);
        misses = (misses + 1 > ledger) ? misses + 1 : ledger;
        bool lock = core::otp::miss_locks_hold(misses, max_attempts);
        record_otp_misses(ctx, &r.id, misses, lock);
        audit_attempt(ctx, r, "mismatch", misses);
        if (lock) {
            delete_otp_code(ctx, &r.id);
            lock_set(ctx, r);
            return hold_locked(ctx);
        }
        JsonOut j;
        begin_failure(&j, core::codes::kOtpMismatch, "that code is not right", core::codes::kRetry);
        j.put_int("attempts_left", core::otp::attempts_left(misses, max_attempts));
        return answer(ctx, &j);
    });
}

}  // namespace booking::pg
