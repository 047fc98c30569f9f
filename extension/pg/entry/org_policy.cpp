// SQL entry points: set_org_policy, org_policy.
#include "core/duration.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"

using namespace booking;
using namespace booking::pg;

namespace {

// A limit as given: an interval of fixed length (no month part), or an
// integer; range and strictness are the policy's to judge.
void read_limit(FunctionCallInfo fcinfo, PolicyField field, PolicyValues *out) {
    const int i = static_cast<int>(field);
    const int argno = i + 1;
    out->has[i] = !arg_is_null(fcinfo, argno);
    out->value[i] = 0;
    if (!out->has[i])
        return;
    if (!policy_field_is_interval(field)) {
        out->value[i] = PG_GETARG_INT32(argno);
        return;
    }
    Interval *iv = PG_GETARG_INTERVAL_P(argno);
    core::DurationResult r = core::fixed_length({iv->month, iv->day, iv->time});
    if (r.error == core::DurationError::has_months)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must not have a month or year part", policy_field_name(field))));
    if (r.error != core::DurationError::none)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s is out of range", policy_field_name(field))));
    out->value[i] = r.micros;
}

}  // namespace

BOOKING_SQL_FUNCTION(booking_set_org_policy) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    PolicyValues given;
    for (int i = 0; i < kPolicyFields; ++i)
        read_limit(fcinfo, static_cast<PolicyField>(i), &given);
    PG_RETURN_JSONB_P(set_org_policy(org_id, given));
}

BOOKING_SQL_FUNCTION(booking_org_policy) {
    PG_RETURN_JSONB_P(org_policy(uuid_arg(fcinfo, 0, "org_id")));
}
