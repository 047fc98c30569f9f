-- booking 0.1: atomic appointment booking.
\echo Use "CREATE EXTENSION booking" to load this file. \quit

-------------------------------------------------------------------------------
-- Reservations: one row from hold to appointment.
-------------------------------------------------------------------------------

CREATE TYPE booking.reservation_status AS ENUM (
    'held',
    'confirmed',
    'cancelled',
    'completed',
    'released',
    'expired',
    'requires_manual_followup'
);
COMMENT ON TYPE booking.reservation_status IS
    'Life cycle of a reservation: held -> confirmed -> cancelled|completed; held -> released|expired|requires_manual_followup; requires_manual_followup -> confirmed|released|expired. held, requires_manual_followup and confirmed block the calendar (held only until expires_at).';

CREATE FUNCTION booking.blocking_range(starts_at timestamptz, ends_at timestamptz,
                                       buffer_before interval, buffer_after interval)
RETURNS tstzrange
AS 'MODULE_PATHNAME', 'booking_blocking_range'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION booking.blocking_range(timestamptz, timestamptz, interval, interval) IS
    'The range a reservation keeps others off: [starts_at - buffer_before, ends_at + buffer_after), days counted as 24 hours.';

CREATE TABLE booking.reservations (
    org_id          uuid        NOT NULL,
    id              uuid        NOT NULL,
    calendar_id     text        NOT NULL,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    buffer_before   interval    NOT NULL DEFAULT '0',
    buffer_after    interval    NOT NULL DEFAULT '0',
    blocks          tstzrange   GENERATED ALWAYS AS
                        (booking.blocking_range(starts_at, ends_at, buffer_before, buffer_after)) STORED,
    status          booking.reservation_status NOT NULL,
    expires_at      timestamptz,
    caller_ref      text,
    idempotency_key text,
    patient_name    text,
    patient_phone   text,
    contact_id      uuid,
    service_id      uuid,
    service_type    text,
    notes           text,
    metadata        jsonb,
    otp_sent_at     timestamptz,
    otp_sends       integer     NOT NULL DEFAULT 0,
    otp_attempts    integer     NOT NULL DEFAULT 0,
    verified_at     timestamptz,
    status_reason   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    confirmed_at    timestamptz,
    cancelled_at    timestamptz,
    CONSTRAINT reservations_pkey PRIMARY KEY (org_id, id),
    CONSTRAINT reservations_range_not_empty CHECK (starts_at < ends_at),
    CONSTRAINT reservations_held_expires CHECK (status <> 'held' OR expires_at IS NOT NULL),
    CONSTRAINT reservations_calendar_id_length CHECK (length(calendar_id) BETWEEN 1 AND 200),
    CONSTRAINT reservations_buffers CHECK (buffer_before >= '0' AND buffer_after >= '0'),
    -- The guarantee itself: no two blocking reservations of one calendar
    -- overlap, whoever writes them, in any isolation level.
    CONSTRAINT reservations_no_overlap EXCLUDE USING gist
        (org_id WITH =, calendar_id WITH =, blocks WITH &&)
        WHERE (status IN ('held', 'requires_manual_followup', 'confirmed'))
);
COMMENT ON TABLE booking.reservations IS
    'Holds and appointments, one row from hold to appointment. Written through the booking functions; the exclusion constraint reservations_no_overlap makes overlapping blocking reservations impossible for any writer.';
COMMENT ON COLUMN booking.reservations.blocks IS
    'The blocking range, buffers included; what the exclusion constraint compares.';
COMMENT ON COLUMN booking.reservations.expires_at IS
    'When a hold stops blocking. A held row past this instant no longer blocks, swept or not.';
COMMENT ON COLUMN booking.reservations.caller_ref IS
    'The call that holds this reservation; at most one active hold per caller_ref and tenant.';
COMMENT ON COLUMN booking.reservations.idempotency_key IS
    'Makes a retried book() return the first answer; unique per tenant.';
COMMENT ON COLUMN booking.reservations.status_reason IS
    'Why the row last changed status (a release or cancellation reason, ''ttl'', ''moved'').';

-- A caller_ref holds one hold: see extension/core/caller_hold.hpp.
CREATE UNIQUE INDEX reservations_caller_ref_active ON booking.reservations (org_id, caller_ref)
    WHERE caller_ref IS NOT NULL AND status IN ('held', 'requires_manual_followup');
CREATE UNIQUE INDEX reservations_idempotency_key ON booking.reservations (org_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
-- What the sweeper reads: holds by expiry.
CREATE INDEX reservations_held_expiry ON booking.reservations (expires_at)
    WHERE status = 'held';

COMMENT ON INDEX booking.reservations_caller_ref_active IS
    'One active hold (held or requires_manual_followup) per caller_ref and tenant.';
COMMENT ON INDEX booking.reservations_idempotency_key IS
    'One booking per idempotency_key and tenant.';
COMMENT ON INDEX booking.reservations_held_expiry IS
    'Lapsed holds in expiry order, for expire_holds() and the worker.';

-------------------------------------------------------------------------------
-- The audit log.
-------------------------------------------------------------------------------

CREATE TABLE booking.audit_log (
    org_id    uuid        NOT NULL,
    id        uuid        NOT NULL,
    at        timestamptz NOT NULL,
    action    text        NOT NULL,
    entity_id uuid,
    actor     text        NOT NULL,
    details   jsonb       NOT NULL DEFAULT '{}',
    CONSTRAINT audit_log_pkey PRIMARY KEY (org_id, id)
);
COMMENT ON TABLE booking.audit_log IS
    'One row per state change. id is a UUIDv7: ordering by id orders by time. Rows carry no free text from callers and never an OTP code or hash.';
COMMENT ON COLUMN booking.audit_log.action IS
    'claimed, released, expired, extended, confirmed, booked, cancelled, pii_erased, rescheduled, otp_sent, otp_attempt (details.result: match, mismatch, expired, key_rotated, not_issued, invalid_format), locked.';
COMMENT ON COLUMN booking.audit_log.actor IS
    'The role that made the call.';

-------------------------------------------------------------------------------
-- One-time codes: only a keyed hash, in a table no tenant role can read.
-------------------------------------------------------------------------------

CREATE TABLE booking.otp_codes (
    org_id     uuid        NOT NULL,
    hold_id    uuid        NOT NULL,
    code_mac   bytea       NOT NULL,
    key_id     bytea       NOT NULL,
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    CONSTRAINT otp_codes_pkey PRIMARY KEY (org_id, hold_id)
);
COMMENT ON TABLE booking.otp_codes IS
    'The current code of each hold as HMAC-SHA-256 over (org_id, hold_id, code), never the code, with a fingerprint of the key it was made under (key_id). Owner-only: row-level security with no policy. Not dumped: after a restore, callers ask for a new code.';
CREATE INDEX otp_codes_expiry ON booking.otp_codes (expires_at);
COMMENT ON INDEX booking.otp_codes_expiry IS 'Lapsed codes, for expire_holds().';

CREATE TABLE booking.otp_secret (
    id         integer     NOT NULL DEFAULT 1,
    key        bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT otp_secret_pkey PRIMARY KEY (id),
    CONSTRAINT otp_secret_single_row CHECK (id = 1)
);
COMMENT ON TABLE booking.otp_secret IS
    'The random per-database key of the codes'' keyed hash, made on first use when booking.otp_key is unset. Owner-only; not dumped. Deleting the row rotates the key.';

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

-------------------------------------------------------------------------------
-- Holds and confirmation.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.claim_slot(org_id uuid, calendar_id text, starts_at timestamptz,
                                   duration interval DEFAULT '30 minutes',
                                   caller_ref text DEFAULT NULL, patient_phone text DEFAULT NULL,
                                   patient_name text DEFAULT NULL, ttl interval DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_claim_slot'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.claim_slot(uuid, text, timestamptz, interval, text, text, text, interval) IS
    'Holds a slot for ttl (default booking.hold_ttl) while the caller is verified. Answers the hold, or slot_unavailable / slot_in_past with alternatives, or busy/RETRY, or otp_locked when the caller''s hold awaits staff. A caller_ref holds one hold: the same slot again returns it, another slot moves it.';

CREATE FUNCTION booking.extend_hold(org_id uuid, hold_id uuid, ttl interval)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_extend_hold'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.extend_hold(uuid, uuid, interval) IS
    'Keeps a live hold for ttl from now, never beyond booking.max_hold_ttl after its claim ("capped" says when that bound applied).';

CREATE FUNCTION booking.release_hold(org_id uuid, hold_id uuid, reason text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_release_hold'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.release_hold(uuid, uuid, text) IS
    'Gives a hold''s slot back (held or requires_manual_followup). Releasing twice answers success again.';

CREATE FUNCTION booking.hold_status(org_id uuid, hold_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_hold_status'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.hold_status(uuid, uuid) IS
    'A hold''s state as an agent needs it: status (expired once the TTL passed), times, verification progress, and appointment_id once confirmed.';

CREATE FUNCTION booking.confirm_hold(org_id uuid, hold_id uuid, contact_id uuid DEFAULT NULL,
                                     service_type text DEFAULT NULL, metadata jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_confirm_hold'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.confirm_hold(uuid, uuid, uuid, text, jsonb) IS
    'Staff/back-office confirmation without a code: the same reservation becomes the appointment (appointment_id = hold_id), so the slot is never free in between. Errors hold_not_found, hold_expired, hold_not_active.';

CREATE FUNCTION booking.issue_otp(org_id uuid, hold_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_issue_otp'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.issue_otp(uuid, uuid) IS
    'A fresh code for a live hold, for the caller''s SMS sender to deliver: {success, hold_id, code, expires_at, sends_left}. A resend replaces the previous code. Errors hold_not_found, hold_expired, hold_not_active, otp_locked, otp_send_limit, otp_too_soon (retry_after_ms). Only its keyed hash is stored. Not executable by PUBLIC: grant it to the SMS sender (grant_access(role, ''sms_sender'')).';

CREATE FUNCTION booking.verify_otp(org_id uuid, hold_id uuid, code text,
                                   contact_id uuid DEFAULT NULL, service_type text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_verify_otp'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.verify_otp(uuid, uuid, text, uuid, text) IS
    'Checks a code as a voice transcript delivers it (spaces, dashes, dots, commas ignored), in constant time. A match confirms the hold in the same transaction: {success, appointment_id}. Otherwise otp_mismatch (attempts_left), otp_locked at the last allowed miss (the hold waits for staff), otp_expired, otp_not_issued, otp_invalid_format (not counted).';

-------------------------------------------------------------------------------
-- Direct booking and the appointment life cycle.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.book(org_id uuid, calendar_id text, starts_at timestamptz,
                             duration interval DEFAULT '30 minutes', contact_id uuid DEFAULT NULL,
                             service_id uuid DEFAULT NULL, notes text DEFAULT NULL,
                             metadata jsonb DEFAULT NULL, idempotency_key text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_book'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.book(uuid, text, timestamptz, interval, uuid, uuid, text, jsonb, text) IS
    'Books a confirmed appointment in one call. Answers the appointment, or slot_unavailable with conflicting_appointment and alternatives, slot_in_past, busy/RETRY. A retried call with the same idempotency_key answers as the first did (replayed: true).';

CREATE FUNCTION booking.cancel_appointment(org_id uuid, appointment_id uuid,
                                           reason text DEFAULT NULL, erase_pii boolean DEFAULT false)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_cancel_appointment'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.cancel_appointment(uuid, uuid, text, boolean) IS
    'Cancels a confirmed appointment, freeing its time. With erase_pii the patient''s name, phone, notes, metadata, caller_ref and the reason are removed from the row (also for an appointment cancelled earlier).';

CREATE FUNCTION booking.reschedule_appointment(org_id uuid, appointment_id uuid,
                                               new_starts_at timestamptz,
                                               new_duration interval DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_reschedule_appointment'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.reschedule_appointment(uuid, uuid, timestamptz, interval) IS
    'Moves an appointment atomically: either it moved, or nothing changed and the answer is slot_unavailable with alternatives. The appointment''s own old range does not count against it.';

-------------------------------------------------------------------------------
-- Availability.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.check_availability(org_id uuid, calendar_id text, starts_at timestamptz,
                                           duration interval)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_check_availability'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.check_availability(uuid, text, timestamptz, interval) IS
    'Whether a slot is free now: available, the conflicts in its way, and alternatives when it is not. Nothing is reserved: claim_slot or book does that.';

CREATE FUNCTION booking.free_slots(org_id uuid, calendar_id text, from_ts timestamptz,
                                   until_ts timestamptz, duration interval,
                                   max_results integer DEFAULT 10)
RETURNS TABLE (starts_at timestamptz, ends_at timestamptz)
AS 'MODULE_PATHNAME', 'booking_free_slots'
LANGUAGE C STABLE PARALLEL UNSAFE ROWS 10;
COMMENT ON FUNCTION booking.free_slots(uuid, text, timestamptz, timestamptz, interval, integer) IS
    'Free slots of the given duration on the calendar''s grid within [from_ts, until_ts), earliest first, at most max_results (1..1000); the window is cut at booking.search_horizon.';

-------------------------------------------------------------------------------
-- Housekeeping and compatibility.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.expire_holds(batch_size integer DEFAULT 1000)
RETURNS integer
AS 'MODULE_PATHNAME', 'booking_expire_holds'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.expire_holds(integer) IS
    'Moves up to batch_size lapsed holds to expired (one audit row each) and returns how many. Schedule it (pg_cron or any scheduler) when the worker is not preloaded; correctness never depends on it.';

CREATE FUNCTION booking.slot_lock_key(org_id uuid, starts_at timestamptz)
RETURNS bigint
AS 'MODULE_PATHNAME', 'booking_slot_lock_key'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION booking.slot_lock_key(uuid, timestamptz) IS
    'The seed''s hashSlotToInt64, bit for bit: SHA-256 of org_id || ''_'' || ISO-8601 UTC with milliseconds and Z, first 8 bytes as a signed big-endian bigint.';

CREATE FUNCTION booking.claim_slot_atomic(org_id uuid, calendar_id text, slot_time timestamptz,
                                          call_id text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_claim_slot_atomic'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.claim_slot_atomic(uuid, text, timestamptz, text) IS
    'Seed-compatible claim_slot: a 30-minute hold with call_id as caller_ref.';

CREATE FUNCTION booking.confirm_held_slot(hold_id uuid, org_id uuid, contact_id uuid DEFAULT NULL,
                                          service_type text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_confirm_held_slot'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.confirm_held_slot(uuid, uuid, uuid, text) IS
    'Seed-compatible confirm_hold (note the seed''s argument order: hold_id first).';

CREATE FUNCTION booking.book_appointment_with_lock(p_org_id uuid, p_contact_id uuid,
                                                   p_scheduled_at timestamptz,
                                                   p_lock_key bigint DEFAULT NULL,
                                                   p_duration_minutes integer DEFAULT 30,
                                                   p_service_id uuid DEFAULT NULL,
                                                   p_notes text DEFAULT NULL,
                                                   p_metadata jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_book_appointment_with_lock'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.book_appointment_with_lock(uuid, uuid, timestamptz, bigint, integer, uuid, text, jsonb) IS
    'Seed-compatible book on the calendar ''primary''; p_lock_key is accepted and not needed (the calendar lock covers overlapping ranges, not one start time).';

CREATE FUNCTION booking.cleanup_expired_holds()
RETURNS integer
AS 'MODULE_PATHNAME', 'booking_cleanup_expired_holds'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.cleanup_expired_holds() IS
    'Seed-compatible expire_holds: expires every lapsed hold (up to 100000) and returns how many.';

-------------------------------------------------------------------------------
-- Tenancy and access.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.current_org_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'booking_current_org_id'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION booking.current_org_id() IS
    'The organisation the caller acts in: booking.org_id, or else request.jwt.claims ->> ''org_id'' (as PostgREST sets it); NULL when neither names one. The row-level security policies use it.';

CREATE FUNCTION booking.grant_access(role regrole, profile text)
RETURNS text[]
AS 'MODULE_PATHNAME', 'booking_grant_access'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.grant_access(regrole, text) IS
    'Grants a role one access profile: agent (holds, code verification, availability, booking), sms_sender (issue_otp, hold_status) or staff (everything but issue_otp, and reading its organisation''s rows). Returns the statements it ran. Run it as the extension''s owner.';

CREATE FUNCTION booking.revoke_access(role regrole)
RETURNS text[]
AS 'MODULE_PATHNAME', 'booking_revoke_access'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.revoke_access(regrole) IS
    'Revokes every right grant_access can give. Returns the statements it ran.';

-- Row-level security: a tenant role reads its own organisation's rows only,
-- and writes nothing directly (the functions write, as the tables' owner).
ALTER TABLE booking.reservations ENABLE ROW LEVEL SECURITY;
CREATE POLICY reservations_own_organisation ON booking.reservations
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY reservations_own_organisation ON booking.reservations IS
    'A tenant role sees only the rows of the organisation it acts in.';
ALTER TABLE booking.audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_own_organisation ON booking.audit_log
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY audit_log_own_organisation ON booking.audit_log IS
    'A tenant role sees only the rows of the organisation it acts in.';
-- No policy at all: nobody but the owner reads codes or the key.
ALTER TABLE booking.otp_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking.otp_secret ENABLE ROW LEVEL SECURITY;

-- Nothing is open to PUBLIC but the pure helpers; grant_access() gives the rest.
REVOKE ALL ON ALL TABLES IN SCHEMA booking FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA booking FROM PUBLIC;
GRANT EXECUTE ON FUNCTION booking.blocking_range(timestamptz, timestamptz, interval, interval),
                          booking.slot_lock_key(uuid, timestamptz),
                          booking.current_org_id()
    TO PUBLIC;
