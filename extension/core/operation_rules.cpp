#include "operation_rules.hpp"

#include <algorithm>

namespace booking::core {

namespace {

bool is_hold_state(Status s) {
    return s == Status::held || s == Status::released || s == Status::expired ||
           s == Status::requires_manual_followup;
}

}  // namespace

Verdict decide_confirm_hold(Status stored, Micros expires_at, Micros now) {
    Status s = effective_status(stored, expires_at, now);
    switch (s) {
    case Status::held:
    case Status::requires_manual_followup:
        return Verdict::proceed;
    case Status::confirmed:
        return Verdict::already_done;
    case Status::expired:
        return Verdict::expired;
    default:
        return Verdict::not_active;
    }
}

Verdict decide_release_hold(Status stored, Micros expires_at, Micros now) {
    Status s = effective_status(stored, expires_at, now);
    switch (s) {
    case Status::held:
    case Status::requires_manual_followup:
        return Verdict::proceed;
    case Status::released:
        return Verdict::already_done;
    case Status::expired:
        return Verdict::expired;
    default:
        return Verdict::not_active;
    }
}

Verdict decide_extend_hold(Status stored, Micros expires_at, Micros now) {
    Status s = effective_status(stored, expires_at, now);
    switch (s) {
    case Status::held:
        return Verdict::proceed;
    case Status::expired:
        return Verdict::expired;
    default:
        // A hold locked after failed verification is for staff to decide, not
        // for the caller to keep alive.
        return Verdict::not_active;
    }
}

Verdict decide_issue_otp(Status stored, Micros expires_at, Micros now) {
    switch (effective_status(stored, expires_at, now)) {
    case Status::held:
        return Verdict::proceed;
    case Status::requires_manual_followup:
        return Verdict::locked;
    case Status::expired:
        return Verdict::expired;
    default:
        return Verdict::not_active;
    }
}

Verdict decide_withdraw_otp(Status stored, Micros expires_at, Micros now) {
    return decide_issue_otp(stored, expires_at, now);
}

Verdict decide_verify_otp(Status stored, Micros expires_at, bool verified, Micros now) {
    switch (effective_status(stored, expires_at, now)) {
    case Status::held:
        return Verdict::proceed;
    case Status::requires_manual_followup:
        return Verdict::locked;
    case Status::confirmed:
        return verified ? Verdict::already_done : Verdict::not_active;
    case Status::expired:
        return Verdict::expired;
    default:
        return Verdict::not_active;
    }
}

Verdict decide_cancel_appointment(Status stored) {
    if (is_hold_state(stored))
        return Verdict::not_found;
    switch (stored) {
    case Status::confirmed:
        return Verdict::proceed;
    case Status::cancelled:
        return Verdict::already_done;
    default:
        return Verdict::not_active;
    }
}

Verdict decide_reschedule_appointment(Status stored) {
    if (is_hold_state(stored))
        return Verdict::not_found;
    return stored == Status::confirmed ? Verdict::proceed : Verdict::not_active;
}

std::int64_t busy_retry_after_ms(std::int64_t lock_wait_timeout_ms) {
    constexpr std::int64_t kLeast = 100;
    constexpr std::int64_t kMost = 5000;
    return std::clamp(lock_wait_timeout_ms, kLeast, kMost);
}

bool too_late_to_change(Micros starts_at, Micros now, bool has_notice, Micros notice,
                        bool force) {
    return !force && has_notice && starts_at - now < notice;
}

}  // namespace booking::core
