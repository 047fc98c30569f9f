// SQL entry points: issue_otp, withdraw_otp, verify_otp.
#include "core/input_limits.hpp"
#include "core/otp.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"

using namespace booking;
using namespace booking::pg;

BOOKING_SQL_FUNCTION(booking_issue_otp) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    const pg_uuid_t *hold_id = uuid_arg(fcinfo, 1, "hold_id");
    PG_RETURN_JSONB_P(issue_otp(org_id, hold_id));
}

BOOKING_SQL_FUNCTION(booking_withdraw_otp) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    const pg_uuid_t *hold_id = uuid_arg(fcinfo, 1, "hold_id");
    TextArg code = text_arg(fcinfo, 2, "code", core::limits::kCodeInput);
    // The code as issue_otp answered it, from the SMS sender that sent it:
    // anything else is misuse, not a guess.
    if (!core::otp::is_issued_form({code.str, static_cast<std::size_t>(code.len)}))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("code must be the %d to %d digits issue_otp answered",
                               core::otp::kMinDigits, core::otp::kMaxDigits)));
    PG_RETURN_JSONB_P(withdraw_otp(org_id, hold_id, code.str));
}

BOOKING_SQL_FUNCTION(booking_verify_otp) {
    VerifyRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.hold_id = uuid_arg(fcinfo, 1, "hold_id");
    // Not text_arg: blank input is a malformed code (an answer), not misuse.
    if (arg_is_null(fcinfo, 2))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("code must not be null")));
    req.code = optional_text_arg(fcinfo, 2, "code", core::limits::kCodeInput);
    if (!req.code.present())
        req.code.str = "";
    req.contact_id = optional_uuid_arg(fcinfo, 3);
    req.service_type = optional_text_arg(fcinfo, 4, "service_type", core::limits::kServiceType);
    PG_RETURN_JSONB_P(verify_otp(req));
}
