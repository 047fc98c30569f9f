// An organisation's own policy (set_org_policy, booking.org_policies): the
// limits it may only tighten, and the limits a call of it obeys.
//
// A call's limit is the strictest of the server's setting, the
// organisation's value and, for a role bound to a tenant tightening in its
// own transaction, the session's (settings/limits.cpp already folds the
// session's into the setting's value in force). The policies are cached per
// backend as calendar rules are (kernel/keyed_cache.hpp) and dropped when
// booking.org_policies changes, or, distributed with Citus, one of this
// node's shards of it: every session sees a change at its next transaction.
#pragma once

#include "core/org_policy.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/kernel/json_out.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

// The policy's settings, in set_org_policy's argument order.
enum class PolicyField {
    hold_ttl,
    max_hold_ttl,
    otp_digits,
    otp_ttl,
    otp_max_attempts,
    otp_max_sends,
    otp_resend_interval,
    max_active_per_contact,
    otp_sends_per_phone_hour,
    count_
};
constexpr int kPolicyFields = static_cast<int>(PolicyField::count_);

// Values by PolicyField: intervals in microseconds, the others as counts.
struct PolicyValues {
    bool has[kPolicyFields];  // false: the organisation set none (in an answer: never)
    int64 value[kPolicyFields];
};
BOOKING_PLAIN_DATA(PolicyValues);

// The limits one call of the organisation obeys.
struct OrgLimits {
    core::Micros hold_ttl;
    core::Micros max_hold_ttl;
    int otp_digits;
    core::Micros otp_ttl;
    int otp_max_attempts;
    int otp_max_sends;
    core::Micros otp_resend_interval;
    int max_active_per_contact;  // 0: no cap
    int otp_sends_per_phone_hour;
};
BOOKING_PLAIN_DATA(OrgLimits);

OrgLimits org_limits(const CallContext *ctx);

// set_org_policy's arguments as given (has false: NULL, the server's value).
// 22023 for a value out of range or looser than the server's, naming the
// setting and the server's value.
void check_org_policy(const PolicyValues &given);
// Stores them for ctx's organisation (a row of NULLs, none set, is deleted).
void store_org_policy(const CallContext *ctx, const PolicyValues &given);
// The effective values for a call of ctx's organisation in this session,
// every one set.
PolicyValues effective_policy(const CallContext *ctx);
// An answer's or audit row's "policy" object.
void put_policy(JsonOut *j, const char *key, const PolicyValues &values);
// The argument's name and whether it is an interval.
const char *policy_field_name(PolicyField field);
bool policy_field_is_interval(PolicyField field);

}  // namespace booking::pg
