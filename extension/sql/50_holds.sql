-------------------------------------------------------------------------------
-- Holds and confirmation.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.claim_slot(org_id uuid, calendar_id text, starts_at timestamptz,
                                   duration interval DEFAULT '30 minutes',
                                   caller_ref text DEFAULT NULL, patient_phone text DEFAULT NULL,
                                   patient_name text DEFAULT NULL, ttl interval DEFAULT NULL,
                                   with_calendars text[] DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_claim_slot'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.claim_slot(uuid, text, timestamptz, interval, text, text, text, interval, text[]) IS
    'Holds a slot for ttl (default booking.hold_ttl) while the caller is verified. Answers the hold, or slot_unavailable / slot_in_past with alternatives, or busy/RETRY, or otp_locked when the caller''s hold awaits staff. A caller_ref holds one hold: the same slot again returns it, another slot moves it. with_calendars: the hold also blocks each listed calendar of the tenant for the same range (each with its own rules), all or nothing, one reservation per calendar linked by set_id; a refusal names the conflicting_calendar. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.extend_hold(org_id uuid, hold_id uuid, ttl interval)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_extend_hold'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.extend_hold(uuid, uuid, interval) IS
    'Keeps a live hold for ttl from now, never beyond booking.max_hold_ttl after its claim ("capped" says when that bound applied). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.release_hold(org_id uuid, hold_id uuid, reason text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_release_hold'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.release_hold(uuid, uuid, text) IS
    'Gives a hold''s slot back (held or requires_manual_followup). Releasing twice answers success again. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.hold_status(org_id uuid, hold_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_hold_status'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.hold_status(uuid, uuid) IS
    'A hold''s state as an agent needs it: status (expired once the TTL passed), times, verification progress, and appointment_id once confirmed. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';

CREATE FUNCTION booking.confirm_hold(org_id uuid, hold_id uuid, contact_id uuid DEFAULT NULL,
                                     service_type text DEFAULT NULL, metadata jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_confirm_hold'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.confirm_hold(uuid, uuid, uuid, text, jsonb) IS
    'Staff/back-office confirmation without a code: the same reservation becomes the appointment (appointment_id = hold_id), so the slot is never free in between. Errors hold_not_found, hold_expired, hold_not_active; with a contact_id, contact_limit_reached (ESCALATE_TO_HUMAN, audited as refused, the hold left held) when the contact already holds the organisation''s max_active_per_contact upcoming bookings, the hold itself not counted. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.issue_otp(org_id uuid, hold_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_issue_otp'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.issue_otp(uuid, uuid) IS
    'A fresh code for a live hold, for the caller''s SMS sender to deliver: {success, hold_id, code, digits, expires_at, sends_left, patient_phone}. A resend replaces the previous code. Errors hold_not_found, hold_expired, hold_not_active, otp_locked, otp_send_limit, otp_too_soon (retry_after_ms). Only its keyed hash is stored. Commit it before calling the SMS provider, and take it back with withdraw_otp when the SMS could not be sent. Not executable by PUBLIC: grant it to the SMS sender (grant_access(role, ''sms_sender'')). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.withdraw_otp(org_id uuid, hold_id uuid, code text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_withdraw_otp'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.withdraw_otp(uuid, uuid, text) IS
    'Takes back a code whose SMS could not be sent, naming it as issue_otp answered it (checked against its keyed hash in constant time): the code is gone and its send given back (the hold''s send count and last send time as before it was issued, so no resend wait), with an otp_withdrawn audit row: {success, hold_id, withdrawn, sends_left, otp_sent_at}. Only the hold''s current code of a live held hold is taken back; otherwise nothing changes: otp_replaced (a later send replaced it), otp_not_issued (no code, or withdrawn already), otp_expired (issued under an earlier key), hold_not_active (e.g. confirmed by a verification that came first; status), hold_expired, otp_locked, hold_not_found. A code not of 4 to 8 digits raises 22023. Not executable by PUBLIC: it comes with issue_otp in the sms_sender profile. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.verify_otp(org_id uuid, hold_id uuid, code text,
                                   contact_id uuid DEFAULT NULL, service_type text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_verify_otp'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.verify_otp(uuid, uuid, text, uuid, text) IS
    'Checks a code as a voice transcript delivers it (spaces, dashes, dots, commas ignored), in constant time. A match confirms the hold in the same transaction: {success, appointment_id}. Otherwise otp_mismatch (attempts_left), otp_locked at the last allowed miss (the hold waits for staff), otp_expired, otp_not_issued, otp_invalid_format (not counted); with a contact_id, contact_limit_reached as confirm_hold answers it, before the code is judged (not counted). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
