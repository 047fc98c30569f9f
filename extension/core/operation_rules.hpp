// What each operation may do to a reservation in a given state. The
// PostgreSQL layer reads the row, asks here, and only then writes; the answer
// codes a caller hears come from these verdicts.
#pragma once

#include <cstdint>

#include "reservation_state.hpp"

namespace booking::core {

enum class Verdict {
    proceed,       // make the change
    already_done,  // the change was made before (a retried call): answer success again
    not_found,     // the row is not the kind of reservation the operation works on
    expired,       // a hold whose TTL has passed
    not_active,    // a state the operation cannot leave
    locked,        // locked for staff after failed verification
};

// Staff/back-office confirmation, and confirmation after a matching code.
Verdict decide_confirm_hold(Status stored, Micros expires_at, Micros now);
Verdict decide_release_hold(Status stored, Micros expires_at, Micros now);
Verdict decide_extend_hold(Status stored, Micros expires_at, Micros now);
Verdict decide_cancel_appointment(Status stored);
// A calendar's change notice: an appointment that starts sooner than notice
// from now is no longer cancelled or moved by a caller (too_late_to_change),
// only by a person who decides to (force). Without the rule (has_notice
// false) it always may be.
bool too_late_to_change(Micros starts_at, Micros now, bool has_notice, Micros notice, bool force);
// Codes are sent and checked only while the hold is live and held; a retried
// verification of a hold already verified answers success again.
Verdict decide_issue_otp(Status stored, Micros expires_at, Micros now);
Verdict decide_verify_otp(Status stored, Micros expires_at, bool verified, Micros now);
// A code whose SMS could not be sent is taken back under the rule it was
// given by: only from a live held hold. Whatever else happened to the hold
// meanwhile (verified, released, lapsed, locked) stays as it is.
Verdict decide_withdraw_otp(Status stored, Micros expires_at, Micros now);
Verdict decide_reschedule_appointment(Status stored);

// How long a caller answered busy should pause before trying again, given
// booking.lock_wait_timeout: it already waited that long while a rival held
// the calendar, and a retry waits as long again, so the pause is the same
// bound, no less than 100 ms and no more than 5 s (a voice caller is on the
// line).
std::int64_t busy_retry_after_ms(std::int64_t lock_wait_timeout_ms);

// The status an operation moves the row to when the verdict is proceed.
constexpr Status kConfirmTarget = Status::confirmed;
constexpr Status kReleaseTarget = Status::released;
constexpr Status kCancelTarget = Status::cancelled;

}  // namespace booking::core
