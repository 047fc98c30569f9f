// The caller_ref rule: one caller_ref holds at most one hold per tenant.
//
// A voice agent's tool calls are retried, and callers change their minds. A
// caller_ref (the call's id) therefore names "this caller's hold":
//  - claiming the same slot again returns the same hold (a retried call);
//  - claiming another slot moves the hold: the old one is released in the same
//    transaction, and only if the new slot could be taken;
//  - a hold that expired no longer counts: the caller simply claims anew;
//  - a hold locked for staff after failed verification cannot be moved away
//    by the caller, or the lockout would be one claim away from undone.
// The database backs the rule with a unique index on (org_id, caller_ref) over
// held and requires_manual_followup rows.
#pragma once

#include "reservation_state.hpp"

namespace booking::core {

enum class CallerHoldPlan {
    claim_new,  // no active hold under this caller_ref
    reuse,      // the same slot again: answer with the existing hold
    move,       // release the old hold once the new slot is known to be free
    locked,     // the caller's hold awaits staff; refuse
};

struct CallerHold {
    Status status;
    Micros expires_at;
    bool same_slot;  // same calendar, start and end as the new claim
};

CallerHoldPlan plan_caller_hold(const CallerHold &existing, Micros now);

// Whether a row in this status still holds its caller_ref (held, whether its
// TTL passed or not, until someone expires it; or locked for staff): the set
// the unique index enforces one row of per caller_ref.
bool keeps_caller_ref(Status status);

// The same rule as SQL reads it, the one text of it: the predicate of the
// unique index reservations_caller_ref_active (the Makefile writes it into
// the install script, where @CALLER_HOLD@ stands), the arbiter of a claim's
// insert, and the lookup of a caller's hold. test_caller_hold checks that it
// names exactly the statuses keeps_caller_ref() answers true for.
// (One line: the Makefile reads it.)
#define BOOKING_CALLER_HOLD_SQL "caller_ref IS NOT NULL AND status IN ('held', 'requires_manual_followup')"

}  // namespace booking::core
