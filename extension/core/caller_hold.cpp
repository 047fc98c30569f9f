#include "caller_hold.hpp"

namespace booking::core {

CallerHoldPlan plan_caller_hold(const CallerHold &existing, Micros now) {
    switch (effective_status(existing.status, existing.expires_at, now)) {
    case Status::requires_manual_followup:
        return CallerHoldPlan::locked;
    case Status::held:
        return existing.same_slot ? CallerHoldPlan::reuse : CallerHoldPlan::move;
    default:
        return CallerHoldPlan::claim_new;
    }
}

bool keeps_caller_ref(Status status) {
    return status == Status::held || status == Status::requires_manual_followup;
}

}  // namespace booking::core
