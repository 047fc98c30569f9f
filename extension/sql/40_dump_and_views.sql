-- pg_dump keeps the rows of extension tables only when told to.
SELECT pg_catalog.pg_extension_config_dump('booking.reservations', '');
SELECT pg_catalog.pg_extension_config_dump('booking.audit_log', '');

-------------------------------------------------------------------------------
-- Read views.
-------------------------------------------------------------------------------

CREATE VIEW booking.holds WITH (security_invoker = true) AS
SELECT org_id, id, calendar_id, starts_at, ends_at,
       CASE WHEN status = 'held' AND expires_at <= now()
            THEN 'expired'::booking.reservation_status ELSE status END AS status,
       expires_at, caller_ref, patient_name, patient_phone,
       otp_sent_at, otp_attempts, verified_at, status_reason, created_at, updated_at
FROM booking.reservations
WHERE status IN ('held', 'released', 'expired', 'requires_manual_followup');
COMMENT ON VIEW booking.holds IS
    'Reservations that are or were holds and did not become appointments. status shows expired as soon as a hold''s TTL passes.';

CREATE VIEW booking.appointments WITH (security_invoker = true) AS
SELECT org_id, id, calendar_id, starts_at, ends_at, status,
       contact_id, service_id, service_type, patient_name, patient_phone, notes, metadata,
       verified_at, confirmed_at, cancelled_at, status_reason, created_at, updated_at
FROM booking.reservations
WHERE status IN ('confirmed', 'cancelled', 'completed');
COMMENT ON VIEW booking.appointments IS
    'Confirmed reservations and their later states (cancelled, completed).';
