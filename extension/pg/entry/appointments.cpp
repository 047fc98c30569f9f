// SQL entry points: book, cancel_appointment, reschedule_appointment.
#include "core/input_limits.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"

using namespace booking;
using namespace booking::pg;

BOOKING_SQL_FUNCTION(booking_book) {
    BookRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.calendar_id = text_arg(fcinfo, 1, "calendar_id", core::limits::kCalendarId);
    req.starts_at = timestamp_arg(fcinfo, 2, "starts_at");
    req.duration = length_arg(fcinfo, 3, "duration");
    req.contact_id = optional_uuid_arg(fcinfo, 4);
    req.service_id = optional_uuid_arg(fcinfo, 5);
    req.notes = optional_text_arg(fcinfo, 6, "notes", core::limits::kNotes);
    req.metadata = optional_object_arg(fcinfo, 7, "metadata", core::limits::kMetadataBytes);
    req.idempotency_key =
        optional_text_arg(fcinfo, 8, "idempotency_key", core::limits::kIdempotencyKey);
    TextArg *with = nullptr;
    req.n_with = with_calendars_arg(fcinfo, 9, req.calendar_id, &with);
    req.with_calendars = with;
    PG_RETURN_JSONB_P(book(req));
}

BOOKING_SQL_FUNCTION(booking_cancel_appointment) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    const pg_uuid_t *appointment_id = uuid_arg(fcinfo, 1, "appointment_id");
    TextArg reason = optional_text_arg(fcinfo, 2, "reason", core::limits::kReason);
    bool erase_pii = bool_arg(fcinfo, 3, "erase_pii");
    bool force = bool_arg(fcinfo, 4, "force");
    PG_RETURN_JSONB_P(cancel_appointment(org_id, appointment_id, reason, erase_pii, force));
}

BOOKING_SQL_FUNCTION(booking_reschedule_appointment) {
    RescheduleRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.appointment_id = uuid_arg(fcinfo, 1, "appointment_id");
    req.new_starts_at = timestamp_arg(fcinfo, 2, "new_starts_at");
    req.new_duration = arg_is_null(fcinfo, 3)
                           ? 0
                           : length_arg(fcinfo, 3, "new_duration");
    req.force = bool_arg(fcinfo, 4, "force");
    PG_RETURN_JSONB_P(reschedule_appointment(req));
}
