// SQL entry points: claim_slot, extend_hold, release_hold, hold_status,
// confirm_hold. Each reads its arguments (misuse raises) and runs the
// operation.
#include "core/input_limits.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"

using namespace booking;
using namespace booking::pg;

BOOKING_SQL_FUNCTION(booking_claim_slot) {
    ClaimRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.calendar_id = text_arg(fcinfo, 1, "calendar_id", core::limits::kCalendarId);
    req.starts_at = timestamp_arg(fcinfo, 2, "starts_at");
    req.duration = length_arg(fcinfo, 3, "duration");
    req.caller_ref = optional_text_arg(fcinfo, 4, "caller_ref", core::limits::kCallerRef);
    req.patient_phone = optional_text_arg(fcinfo, 5, "patient_phone", core::limits::kPatientPhone);
    req.patient_name = optional_text_arg(fcinfo, 6, "patient_name", core::limits::kPatientName);
    req.ttl = ttl_arg(fcinfo, 7, "ttl", true);
    req.ttl_given = !arg_is_null(fcinfo, 7);
    TextArg *with = nullptr;
    req.n_with = with_calendars_arg(fcinfo, 8, req.calendar_id, &with);
    req.with_calendars = with;
    PG_RETURN_JSONB_P(claim_slot(req));
}

BOOKING_SQL_FUNCTION(booking_extend_hold) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    const pg_uuid_t *hold_id = uuid_arg(fcinfo, 1, "hold_id");
    core::Micros ttl = ttl_arg(fcinfo, 2, "ttl", false);
    PG_RETURN_JSONB_P(extend_hold(org_id, hold_id, ttl));
}

BOOKING_SQL_FUNCTION(booking_release_hold) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    const pg_uuid_t *hold_id = uuid_arg(fcinfo, 1, "hold_id");
    TextArg reason = optional_text_arg(fcinfo, 2, "reason", core::limits::kReason);
    PG_RETURN_JSONB_P(release_hold(org_id, hold_id, reason));
}

BOOKING_SQL_FUNCTION(booking_hold_status) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    const pg_uuid_t *hold_id = uuid_arg(fcinfo, 1, "hold_id");
    PG_RETURN_JSONB_P(hold_status(org_id, hold_id));
}

BOOKING_SQL_FUNCTION(booking_confirm_hold) {
    ConfirmRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.hold_id = uuid_arg(fcinfo, 1, "hold_id");
    req.contact_id = optional_uuid_arg(fcinfo, 2);
    req.service_type = optional_text_arg(fcinfo, 3, "service_type", core::limits::kServiceType);
    req.metadata = optional_object_arg(fcinfo, 4, "metadata", core::limits::kMetadataBytes);
    PG_RETURN_JSONB_P(confirm_hold(req));
}
