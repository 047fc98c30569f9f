-- pg_dump keeps the rows of extension tables only when told to.
SELECT pg_catalog.pg_extension_config_dump('booking.reservations', '');
SELECT pg_catalog.pg_extension_config_dump('booking.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('booking.reservation_links', '');

-------------------------------------------------------------------------------
-- Read views.
-------------------------------------------------------------------------------

CREATE VIEW booking.holds WITH (security_invoker = true) AS
SELECT org_id, id, calendar_id, starts_at, ends_at,
       CASE WHEN status = 'held' AND expires_at <= now()
            THEN 'expired'::booking.reservation_status ELSE status END AS status,
       expires_at, caller_ref, patient_name, patient_phone,
       otp_sent_at, otp_attempts, verified_at, status_reason, created_at, updated_at,
       set_id, series_id
FROM booking.reservations
WHERE status IN ('held', 'released', 'expired', 'requires_manual_followup');
COMMENT ON VIEW booking.holds IS
    'Reservations that are or were holds and did not become appointments. status shows expired as soon as a hold''s TTL passes. set_id: the hold of several calendars this row is one of.';

CREATE VIEW booking.appointments WITH (security_invoker = true) AS
SELECT org_id, id, calendar_id, starts_at, ends_at, status,
       contact_id, service_id, service_type, patient_name, patient_phone, notes, metadata,
       verified_at, confirmed_at, cancelled_at, status_reason, created_at, updated_at,
       set_id, series_id
FROM booking.reservations
WHERE status IN ('confirmed', 'cancelled', 'completed');
COMMENT ON VIEW booking.appointments IS
    'Confirmed reservations and their later states (cancelled, completed). set_id: the appointment of several calendars this row is one of; series_id: the recurring series it is an occurrence of.';

-- The views are read-only: changes go through the functions. Without these
-- triggers PostgreSQL's rewriter would refuse a write to a view column it
-- cannot update (0A000) before checking privileges; with them a role that
-- may not write hears 42501, and the owner hears why.
CREATE FUNCTION booking.refuse_view_write()
RETURNS trigger
AS 'MODULE_PATHNAME', 'booking_refuse_view_write'
LANGUAGE C;
COMMENT ON FUNCTION booking.refuse_view_write() IS
    'Trigger (INSTEAD OF, on the read views): refuses every INSERT, UPDATE and DELETE with 42501; reservations change through the booking functions.';
CREATE TRIGGER holds_read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON booking.holds
    FOR EACH ROW EXECUTE FUNCTION booking.refuse_view_write();
COMMENT ON TRIGGER holds_read_only ON booking.holds IS
    'booking.holds is read-only: claim, extend, release and confirm through the functions.';
CREATE TRIGGER appointments_read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON booking.appointments
    FOR EACH ROW EXECUTE FUNCTION booking.refuse_view_write();
COMMENT ON TRIGGER appointments_read_only ON booking.appointments IS
    'booking.appointments is read-only: book, cancel and reschedule through the functions.';
