// The answers about one hold that several operations give (the hold's life
// in operations/holds.cpp, its verification in operations/otp.cpp), so each
// reads the same wherever it comes from.
#pragma once

#include "pg/answer/answers.hpp"

namespace booking::pg {

// hold_not_found.
Jsonb *hold_not_found(const CallContext *ctx);

// hold_expired, with action (may be null); the caller has expired the row.
Jsonb *hold_expired(const CallContext *ctx, const char *action);

// What the caller tried to do with a hold that is not active.
enum class HoldUse { change, verify };
// hold_not_active, with the hold's status.
Jsonb *hold_not_active(const CallContext *ctx, const Reservation &r, HoldUse use);

// otp_locked / ESCALATE_TO_HUMAN: too many wrong codes, the hold awaits staff.
Jsonb *hold_locked(const CallContext *ctx);

// The hold became the appointment (confirm_hold, a matching code).
Jsonb *hold_confirmed(const CallContext *ctx, const Reservation &r);

}  // namespace booking::pg
