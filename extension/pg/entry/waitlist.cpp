// SQL entry points: join_waitlist, leave_waitlist, waitlist_status. Each
// reads its arguments (misuse raises) and runs the operation.
#include "core/input_limits.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"

using namespace booking;
using namespace booking::pg;

BOOKING_SQL_FUNCTION(booking_join_waitlist) {
    JoinWaitlistRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.calendar_id = text_arg(fcinfo, 1, "calendar_id", core::limits::kCalendarId);
    req.from_ts = timestamp_arg(fcinfo, 2, "from_ts");
    req.until_ts = timestamp_arg(fcinfo, 3, "until_ts");
    req.duration = length_arg(fcinfo, 4, "duration");
    req.patient_phone = optional_text_arg(fcinfo, 5, "patient_phone", core::limits::kPatientPhone);
    req.patient_name = optional_text_arg(fcinfo, 6, "patient_name", core::limits::kPatientName);
    req.contact_id = optional_uuid_arg(fcinfo, 7);
    req.caller_ref = optional_text_arg(fcinfo, 8, "caller_ref", core::limits::kCallerRef);
    PG_RETURN_JSONB_P(join_waitlist(req));
}

BOOKING_SQL_FUNCTION(booking_leave_waitlist) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    const pg_uuid_t *waitlist_id = uuid_arg(fcinfo, 1, "waitlist_id");
    PG_RETURN_JSONB_P(leave_waitlist(org_id, waitlist_id));
}

BOOKING_SQL_FUNCTION(booking_waitlist_status) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    const pg_uuid_t *waitlist_id = uuid_arg(fcinfo, 1, "waitlist_id");
    PG_RETURN_JSONB_P(waitlist_status(org_id, waitlist_id));
}
