-- booking 0.5: atomic appointment booking.
\echo Use "CREATE EXTENSION booking" to load this file. \quit

-------------------------------------------------------------------------------
-- The tenant a caller acts in (row-level security policies use it).
-------------------------------------------------------------------------------

CREATE FUNCTION booking.current_org_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'booking_current_org_id'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION booking.current_org_id() IS
    'The organisation the caller acts in: its role''s binding (bind_role), booking.org_id set for the transaction, or request.jwt.claims ->> ''org_id'' set for the transaction (as PostgREST does); NULL when none names one; 42501 when they disagree. The row-level security policies use it. Security: runs as the caller; the role bindings are read as the tables'' owner. STABLE: within a statement the binding does not change.';

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
    blocks          tstzrange   NOT NULL,
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
    capacity        integer     NOT NULL DEFAULT 1,
    set_id          uuid,
    series_id       uuid,
    CONSTRAINT reservations_pkey PRIMARY KEY (org_id, id)
    -- The row rules (the range is not empty, reservations_range_not_empty;
    -- it lasts at most 31 days, the ceiling of booking.max_duration; a held
    -- row has expires_at; calendar_id is 1 to 200 characters; buffers are 0
    -- to 1 day; capacity is 1 to 1000) are checked, and blocks is set, by the trigger
    -- reservations_no_overlap, which every write passes anyway (it is enabled
    -- ALWAYS; only the owner can disable it, and with it the overlap guard):
    -- PostgreSQL re-reads and re-plans each CHECK and generated-column
    -- expression for every statement a function runs, and the last CHECK
    -- alone cost a booking 5% of its server time (a profile at 100,000
    -- tenants).
);
COMMENT ON TABLE booking.reservations IS
    'Holds and appointments, one row from hold to appointment. Written through the booking functions; the trigger reservations_no_overlap makes overlapping blocking reservations impossible for any writer.';
COMMENT ON COLUMN booking.reservations.blocks IS
    'The blocking range, booking.blocking_range(starts_at, ends_at, buffer_before, buffer_after): set by the trigger reservations_no_overlap on every write (a value written by hand is replaced); what the overlap guard compares.';
COMMENT ON COLUMN booking.reservations.expires_at IS
    'When a hold stops blocking. A held row past this instant no longer blocks, swept or not.';
COMMENT ON COLUMN booking.reservations.caller_ref IS
    'The call that holds this reservation; at most one active hold per caller_ref and tenant.';
COMMENT ON COLUMN booking.reservations.idempotency_key IS
    'Makes a retried book() return the first answer; unique per tenant.';
COMMENT ON COLUMN booking.reservations.capacity IS
    'The places its calendar had when the reservation was written (set_calendar''s capacity; 1, the default, keeps the time to itself): at every instant of a blocking reservation, at most this many blocking reservations of its calendar overlap, itself included. Raising a calendar''s capacity raises it for its live reservations; lowering it leaves them theirs.';
COMMENT ON COLUMN booking.reservations.set_id IS
    'The booking this reservation is one calendar of, when a claim or booking blocked several calendars at once (with_calendars): the id of its first reservation (the hold_id or appointment_id answered), the same on every row of the set. NULL for a booking of one calendar. Confirming, verifying, releasing, extending, cancelling and rescheduling one row of a set act on all of them.';
COMMENT ON COLUMN booking.reservations.series_id IS
    'The recurring series (book_series) this reservation is an occurrence of, the same on every row of the series (each calendar of each occurrence); NULL otherwise. cancel_series cancels the rest of it.';
COMMENT ON COLUMN booking.reservations.status_reason IS
    'Why the row last changed status (a release or cancellation reason, ''ttl'', ''moved'').';

-- The guarantee itself: no two blocking reservations of one calendar overlap
-- (no more than its capacity, for a calendar with places for several),
-- whoever writes them, in any isolation level. Every write that adds blocking
-- time passes a BEFORE ROW trigger (extension/pg/store/overlap_guard.hpp) that takes
-- the calendar lock and probes this index: blocking rows by the end of their
-- range. Enabled ALWAYS: it fires in replica mode and for logical replication.
-- The blocking statuses are the core's (BOOKING_BLOCKING_STATUSES_SQL in
-- extension/core/reservation_state.hpp), written here by the Makefile.
CREATE INDEX reservations_blocking ON booking.reservations
    (org_id, calendar_id, (pg_catalog.upper(blocks)))
    WHERE status IN ('held', 'requires_manual_followup', 'confirmed');
COMMENT ON INDEX booking.reservations_blocking IS
    'Blocking reservations of each calendar by the end of their blocking range: what the overlap guard, conflict answers and free-slot searches read.';

CREATE FUNCTION booking.guard_overlap()
RETURNS trigger
AS 'MODULE_PATHNAME', 'booking_guard_overlap'
LANGUAGE C;
COMMENT ON FUNCTION booking.guard_overlap() IS
    'Trigger: sets blocks from the row''s range and buffers; refuses (23P01) a row whose blocking range overlaps another blocking reservation of its calendar (for a row of capacity N: one that would make more than N overlap at some instant, or more than the capacity of a row it overlaps), under the calendar lock; and (23514, 22023, 22007) a row that breaks the row rules: an empty or inverted range, infinite times, a held row without expires_at, a calendar_id not of 1 to 200 characters, a buffer not of 0 to 1 day, a reservation longer than 31 days, a capacity not of 1 to 1000.';
CREATE TRIGGER reservations_no_overlap
    BEFORE INSERT OR UPDATE OF org_id, calendar_id, starts_at, ends_at, buffer_before, buffer_after, blocks,
        status, expires_at, capacity
    ON booking.reservations FOR EACH ROW EXECUTE FUNCTION booking.guard_overlap();
ALTER TABLE booking.reservations ENABLE ALWAYS TRIGGER reservations_no_overlap;
COMMENT ON TRIGGER reservations_no_overlap ON booking.reservations IS
    'No two blocking reservations of one calendar overlap (no more than their capacity, where a calendar has several places): every insert or update that adds blocking time, or lowers a row''s capacity, is checked under the calendar lock. Also sets blocks and checks the row rules named in guard_overlap().';

-- A caller_ref holds one hold: see extension/core/caller_hold.hpp, whose
-- BOOKING_CALLER_HOLD_SQL the Makefile writes here.
CREATE UNIQUE INDEX reservations_caller_ref_active ON booking.reservations (org_id, caller_ref)
    WHERE caller_ref IS NOT NULL AND status IN ('held', 'requires_manual_followup');
CREATE UNIQUE INDEX reservations_idempotency_key ON booking.reservations (org_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
-- What the contact cap (max_active_per_contact) counts: a contact's future
-- blocking reservations, by its contact_id, else by its phone's digits; so
-- the count reads the contact's rows, not the organisation's.
CREATE INDEX reservations_contact ON booking.reservations (org_id, contact_id, starts_at)
    WHERE contact_id IS NOT NULL AND status IN ('held', 'requires_manual_followup', 'confirmed');
COMMENT ON INDEX booking.reservations_contact IS
    'Blocking reservations of each contact (contact_id) by start: what the contact cap (max_active_per_contact) counts.';
CREATE INDEX reservations_contact_phone ON booking.reservations
    (org_id, (pg_catalog.regexp_replace(patient_phone, '[^0-9]', '', 'g')), starts_at)
    WHERE contact_id IS NULL AND patient_phone IS NOT NULL AND status IN ('held', 'requires_manual_followup', 'confirmed');
COMMENT ON INDEX booking.reservations_contact_phone IS
    'Blocking reservations without a contact_id by their phone''s digits and start: what the contact cap (max_active_per_contact) counts for a caller known by phone alone.';
-- What the sweeper reads: holds by expiry.
CREATE INDEX reservations_held_expiry ON booking.reservations (expires_at)
    WHERE status = 'held';

-- The rows of each set and each series, found through a table of their own
-- rather than an index of booking.reservations: every index of that table,
-- even a partial one that a one-calendar booking adds nothing to, is opened,
-- and its predicate evaluated, by every insert (11% of a booking's
-- instructions for the two such indexes this replaced). Only a booking of
-- several calendars or a series writes here, in the same transaction as its
-- reservations.
CREATE TABLE booking.reservation_links (
    org_id         uuid NOT NULL,
    link_id        uuid NOT NULL,
    reservation_id uuid NOT NULL,
    CONSTRAINT reservation_links_pkey PRIMARY KEY (org_id, link_id, reservation_id)
);
COMMENT ON TABLE booking.reservation_links IS
    'The reservations of each set (link_id is reservations.set_id) and each series (link_id is reservations.series_id), written with them: how the functions find every row of one to act on all. Owner-only.';

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
    'claimed, released, expired, extended, confirmed, booked, cancelled, pii_erased, rescheduled, otp_sent, otp_withdrawn (a code taken back because its SMS could not be sent; details.sends: the hold''s sends after it), otp_attempt (details.result: match, mismatch, expired, key_rotated, not_issued, invalid_format), locked, role_bound, role_unbound (details.role), calendar_set (no entity_id; details: the calendar''s settings), refused (a call refused by a rule a clinic sets, nothing else changed; entity_id: the appointment when one was named; details: rule, error, calendar_id, starts_at), org_policy_set (no entity_id; details.policy: the values the organisation set), waitlist_offered (entity_id: the offered hold; details: calendar_id, waitlist_id, starts_at, ends_at, expires_at).';
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
    digits     smallint    NOT NULL,
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    previous_sent_at timestamptz,
    CONSTRAINT otp_codes_pkey PRIMARY KEY (org_id, hold_id)
);
COMMENT ON TABLE booking.otp_codes IS
    'The current code of each hold as HMAC-SHA-256 over (org_id, hold_id, code), never the code, with a fingerprint of the key it was made under (key_id) and its length (digits): a code is checked in the form it was issued, whatever booking.otp_digits says at the time. Owner-only: row-level security with no policy. Not dumped: after a restore, callers ask for a new code.';
COMMENT ON COLUMN booking.otp_codes.digits IS
    'How many digits the code was issued with; what a caller types is judged against it.';
COMMENT ON COLUMN booking.otp_codes.previous_sent_at IS
    'The hold''s otp_sent_at before this code was issued (NULL: this was its first send, or the code was issued before release 0.3): withdraw_otp puts it back, with the send count, when the code''s SMS could not be sent.';
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

-- Backends keep copies of two tables' rows (the code key below, calendar
-- rules in 75_calendars.sql); any change to either makes them read it again
-- (a relcache invalidation on commit, and at once in this backend). The
-- triggers fire ALWAYS, so changes applied by logical replication count too.
CREATE FUNCTION booking.cached_table_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'booking_cached_table_changed'
LANGUAGE C;
COMMENT ON FUNCTION booking.cached_table_changed() IS
    'Trigger (statement level): every backend drops its copy of the table''s rows (the code key of booking.otp_secret, the calendar rules of booking.calendars) when a change to it commits.';
CREATE TRIGGER otp_secret_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.otp_secret
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.otp_secret ENABLE ALWAYS TRIGGER otp_secret_changed;
COMMENT ON TRIGGER otp_secret_changed ON booking.otp_secret IS
    'Keeps the per-backend copy of the code key in step with the table (a rotation takes effect in every backend).';

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

-------------------------------------------------------------------------------
-- Direct booking and the appointment life cycle.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.book(org_id uuid, calendar_id text, starts_at timestamptz,
                             duration interval DEFAULT '30 minutes', contact_id uuid DEFAULT NULL,
                             service_id uuid DEFAULT NULL, notes text DEFAULT NULL,
                             metadata jsonb DEFAULT NULL, idempotency_key text DEFAULT NULL,
                             with_calendars text[] DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_book'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.book(uuid, text, timestamptz, interval, uuid, uuid, text, jsonb, text, text[]) IS
    'Books a confirmed appointment in one call. Answers the appointment, or slot_unavailable with conflicting_appointment and alternatives, slot_in_past, busy/RETRY. A retried call with the same idempotency_key answers as the first did (replayed: true). with_calendars: the appointment also blocks each listed calendar of the tenant for the same range (each with its own rules), all or nothing, one reservation per calendar linked by set_id; a refusal names the conflicting_calendar. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.cancel_appointment(org_id uuid, appointment_id uuid,
                                           reason text DEFAULT NULL, erase_pii boolean DEFAULT false,
                                           force boolean DEFAULT false)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_cancel_appointment'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.cancel_appointment(uuid, uuid, text, boolean, boolean) IS
    'Cancels a confirmed appointment (every calendar of its set), freeing its time. With erase_pii the patient''s name, phone, notes, metadata, caller_ref and the reason are removed from the row (also for an appointment cancelled earlier). An appointment that starts sooner than its calendar''s change_notice from now is not cancelled: too_late_to_change (ESCALATE_TO_HUMAN); force, a person''s decision, bypasses it and the audit row says details.forced = true. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.reschedule_appointment(org_id uuid, appointment_id uuid,
                                               new_starts_at timestamptz,
                                               new_duration interval DEFAULT NULL,
                                               force boolean DEFAULT false)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_reschedule_appointment'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.reschedule_appointment(uuid, uuid, timestamptz, interval, boolean) IS
    'Moves an appointment atomically (every calendar of its set, each with its own rules): either it moved, or nothing changed and the answer is slot_unavailable with alternatives. The appointment''s own old range does not count against it. An appointment that starts sooner than its calendar''s change_notice from now is not moved: too_late_to_change (ESCALATE_TO_HUMAN); force, a person''s decision, bypasses it and the audit rows say details.forced = true. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.book_series(org_id uuid, calendar_id text, first_starts_at timestamptz,
                                    duration interval, every interval, count integer,
                                    contact_id uuid DEFAULT NULL, service_id uuid DEFAULT NULL,
                                    notes text DEFAULT NULL, metadata jsonb DEFAULT NULL,
                                    with_calendars text[] DEFAULT NULL,
                                    idempotency_key text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_book_series'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.book_series(uuid, text, timestamptz, interval, interval, integer, uuid, uuid, text, jsonb, text[], text) IS
    'Books a recurring series whole or not at all: count appointments (at most booking.max_series_count), the k-th at first_starts_at + k * every stepped in the calendar''s local time (a weekly 09:00 stays 09:00 across a daylight-saving change), each blocking with_calendars too. Answers {success, series_id, appointments: [{appointment_id, starts_at, ends_at}]}, or slot_unavailable with conflicts: [{starts_at, ends_at, error}] for each occurrence refused, nothing booked (a refusal by a clinic''s rule, too_far_ahead or limit_reached, is audited as one refused row for the call); contact_limit_reached; busy/RETRY. A retried call with the same idempotency_key answers as the first did (replayed: true). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.cancel_series(org_id uuid, series_id uuid,
                                      from_starts_at timestamptz DEFAULT NULL,
                                      reason text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_cancel_series'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.cancel_series(uuid, uuid, timestamptz, text) IS
    'Cancels the rest of a series: every appointment of it (every calendar of each) starting at or after from_starts_at (NULL: now), each with its audit row. Answers {success, series_id, status: "cancelled", cancelled: [{appointment_id, starts_at, ends_at}]}; series_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

-------------------------------------------------------------------------------
-- Availability.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.check_availability(org_id uuid, calendar_id text, starts_at timestamptz,
                                           duration interval)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_check_availability'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.check_availability(uuid, text, timestamptz, interval) IS
    'Whether a slot is free now: available, the conflicts in its way (for a calendar of capacity above 1, the reservations sharing it and places_left), and alternatives when it is not. Nothing is reserved: claim_slot or book does that. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';

CREATE FUNCTION booking.free_slots(org_id uuid, calendar_id text, from_ts timestamptz,
                                   until_ts timestamptz, duration interval,
                                   max_results integer DEFAULT 10)
RETURNS TABLE (starts_at timestamptz, ends_at timestamptz, places_left integer)
AS 'MODULE_PATHNAME', 'booking_free_slots'
LANGUAGE C STABLE PARALLEL UNSAFE ROWS 10;
COMMENT ON FUNCTION booking.free_slots(uuid, text, timestamptz, timestamptz, interval, integer) IS
    'Free slots of the given duration on the calendar''s grid within [from_ts, until_ts), earliest first, at most max_results (1..1000), each with places_left, how many more reservations of that slot its calendar would take (always 1 at capacity 1); the window is cut at booking.search_horizon, and at the calendar''s max_advance (nothing starting later than now plus it); no slot starts on a local day or ISO week that the calendar''s max_per_day or max_per_week has filled. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';

-------------------------------------------------------------------------------
-- Calendars: time zone, step grid, buffers, minimum notice, booking horizon,
-- change notice, limits per day and week, working hours, capacity.
-------------------------------------------------------------------------------

CREATE TABLE booking.calendars (
    org_id        uuid        NOT NULL,
    calendar_id   text        NOT NULL,
    time_zone     text        NOT NULL DEFAULT 'UTC',
    slot_step     interval,
    buffer_before interval    NOT NULL DEFAULT '0',
    buffer_after  interval    NOT NULL DEFAULT '0',
    min_notice    interval    NOT NULL DEFAULT '0',
    working_hours jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    capacity      integer     NOT NULL DEFAULT 1,
    max_advance   interval,
    change_notice interval,
    max_per_day   integer,
    max_per_week  integer,
    CONSTRAINT calendars_pkey PRIMARY KEY (org_id, calendar_id)
);
COMMENT ON TABLE booking.calendars IS
    'The settings of calendars that have any, written by set_calendar. A calendar with no row is open at all hours in UTC on the booking.slot_step grid.';
COMMENT ON COLUMN booking.calendars.working_hours IS
    'Local opening intervals per ISO weekday: {"mon": [["09:00","12:00"],["13:00","17:00"]], "sat": []}; a weekday left out is closed; NULL means open at all hours.';
COMMENT ON COLUMN booking.calendars.capacity IS
    'How many blocking reservations the calendar accepts at one instant (1 to 1000): 1 for a clinician or a room, N for a class or a waiting room. Each reservation keeps the capacity it was made with (booking.reservations.capacity).';
COMMENT ON COLUMN booking.calendars.max_advance IS
    'The booking horizon: nothing may start later than now plus this (claim_slot, book, reschedule_appointment and book_series answer too_far_ahead, with alternatives inside it; free_slots and alternatives offer nothing beyond it). 0 to 36525 days; NULL, the default, means no horizon.';
COMMENT ON COLUMN booking.calendars.change_notice IS
    'How long before its start an appointment may still be cancelled or moved by a caller: cancel_appointment and reschedule_appointment of one that starts sooner than this from now answer too_late_to_change (ESCALATE_TO_HUMAN), unless a person passes force (recorded as details.forced in the audit row). 0 to 36525 days; NULL, the default, means none.';
COMMENT ON COLUMN booking.calendars.max_per_day IS
    'At most this many blocking reservations (live holds, appointments awaiting staff, confirmed ones; each counts once, whatever the capacity) start on one local day of the calendar''s time zone: the next claim_slot, book, reschedule_appointment or book_series occurrence answers limit_reached (limit "max_per_day", OFFER_ALTERNATIVES, alternatives on days with room); free_slots and alternatives offer nothing on a full day. 1 to 100000; NULL, the default, means no limit.';
COMMENT ON COLUMN booking.calendars.max_per_week IS
    'The same per ISO week (Monday to Sunday, local days of the calendar''s time zone): limit_reached with limit "max_per_week", alternatives in weeks with room. 1 to 100000; NULL, the default, means no limit.';
COMMENT ON COLUMN booking.calendars.slot_step IS
    'The grid of alternatives and free slots, anchored at each opening''s local start (local midnight when open at all hours); NULL means booking.slot_step.';
SELECT pg_catalog.pg_extension_config_dump('booking.calendars', '');

CREATE TRIGGER calendars_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.calendars
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.calendars ENABLE ALWAYS TRIGGER calendars_changed;
COMMENT ON TRIGGER calendars_changed ON booking.calendars IS
    'Keeps the per-backend cache of calendar rules in step with the table.';

ALTER TABLE booking.calendars ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendars_own_organisation ON booking.calendars
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY calendars_own_organisation ON booking.calendars IS
    'A tenant role sees only the calendars of the organisation it acts in.';

CREATE FUNCTION booking.set_calendar(org_id uuid, calendar_id text, time_zone text DEFAULT 'UTC',
                                     slot_step interval DEFAULT NULL,
                                     buffer_before interval DEFAULT '0',
                                     buffer_after interval DEFAULT '0',
                                     min_notice interval DEFAULT '0',
                                     working_hours jsonb DEFAULT NULL,
                                     capacity integer DEFAULT 1,
                                     max_advance interval DEFAULT NULL,
                                     change_notice interval DEFAULT NULL,
                                     max_per_day integer DEFAULT NULL,
                                     max_per_week integer DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_set_calendar'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.set_calendar(uuid, text, text, interval, interval, interval, interval, jsonb, integer, interval, interval, integer, integer) IS
    'Creates or updates a calendar''s settings: IANA time zone, step grid (NULL: booking.slot_step), buffers kept between neighbours, minimum notice, working hours per ISO weekday in local time (NULL: open at all hours), capacity, how many blocking reservations it accepts at one instant (1 to 1000), and max_advance, the booking horizon (0 to 36525 days; NULL: none): nothing may start later than now plus it (too_far_ahead), and change_notice (0 to 36525 days; NULL: none): an appointment starting sooner than that from now is not cancelled or moved without force (too_late_to_change); max_per_day and max_per_week (1 to 100000; NULL: none): at most that many blocking reservations start on one local day, or in one ISO week (Monday first), of its time zone (limit_reached). Answers {success, calendar_id, time_zone, capacity (when not 1), max_advance, change_notice, max_per_day and max_per_week (when set)}. Changing them never moves or cancels existing reservations; appointments_outside_hours() lists those left outside; a raised capacity applies to the live reservations too, a lowered one leaves them their places. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.appointments_outside_hours(org_id uuid, calendar_id text,
                                                   from_ts timestamptz DEFAULT now(),
                                                   until_ts timestamptz DEFAULT now() + interval '90 days')
RETURNS TABLE (appointment_id uuid, starts_at timestamptz, ends_at timestamptz, status text)
AS 'MODULE_PATHNAME', 'booking_appointments_outside_hours'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.appointments_outside_hours(uuid, text, timestamptz, timestamptz) IS
    'The live reservations (appointments, holds) starting in the window that lie outside the calendar''s current working hours: what staff move or cancel after changing the hours. The window is at most 366 days. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';

-------------------------------------------------------------------------------
-- Pools (issue 24): "any clinician is fine". A pool's id goes wherever a
-- calendar id does; the call picks a free member inside its transaction.
-------------------------------------------------------------------------------

CREATE TABLE booking.pools (
    org_id     uuid        NOT NULL,
    pool_id    text        NOT NULL,
    calendars  text[]      NOT NULL,
    strategy   text        NOT NULL DEFAULT 'round_robin',
    weights    jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pools_pkey PRIMARY KEY (org_id, pool_id),
    CONSTRAINT pools_strategy CHECK (strategy IN ('round_robin', 'first_free')),
    CONSTRAINT pools_members CHECK (cardinality(calendars) BETWEEN 2 AND 50)
);
COMMENT ON TABLE booking.pools IS
    'Pools of calendars, written by set_pool: a pool''s id names it wherever a calendar id goes (claim_slot, book, check_availability, free_slots, join_waitlist), and each call books one member free for the whole request. Pools and calendars share one namespace.';
COMMENT ON COLUMN booking.pools.calendars IS
    'The members, 2 to 50 calendar ids of the organisation, in the pool''s order (first_free asks them in it; round_robin breaks ties by it).';
COMMENT ON COLUMN booking.pools.strategy IS
    'round_robin: the free member whose last assignment from this pool is oldest, or with weights smooth weighted round robin; first_free: the first free member in the pool''s order.';
COMMENT ON COLUMN booking.pools.weights IS
    'round_robin''s weights per member, {"dr-a": 2, "dr-b": 1} (1 to 1000; a member left out weighs 1); NULL: none.';
SELECT pg_catalog.pg_extension_config_dump('booking.pools', '');

CREATE TRIGGER pools_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.pools
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.pools ENABLE ALWAYS TRIGGER pools_changed;
COMMENT ON TRIGGER pools_changed ON booking.pools IS
    'Keeps the per-backend cache of which ids are pools in step with the table.';

ALTER TABLE booking.pools ENABLE ROW LEVEL SECURITY;
CREATE POLICY pools_own_organisation ON booking.pools
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY pools_own_organisation ON booking.pools IS
    'A tenant role sees only the pools of the organisation it acts in.';

-- The fairness counters live in their own rows, one per member, so a
-- booking moves its member's counter in its own transaction, under the
-- members' calendar locks, and the pool's definition (cached) stays
-- unchanged by bookings.
CREATE TABLE booking.pool_members (
    org_id           uuid        NOT NULL,
    pool_id          text        NOT NULL,
    calendar_id      text        NOT NULL,
    position         integer     NOT NULL,
    weight           integer     NOT NULL DEFAULT 1,
    assigned         bigint      NOT NULL DEFAULT 0,
    last_turn        bigint      NOT NULL DEFAULT 0,
    last_assigned_at timestamptz,
    CONSTRAINT pool_members_pkey PRIMARY KEY (org_id, pool_id, calendar_id),
    CONSTRAINT pool_members_weight CHECK (weight BETWEEN 1 AND 1000)
);
COMMENT ON TABLE booking.pool_members IS
    'Each pool''s members and their fairness counters: assigned counts the bookings the pool gave the member since set_pool last wrote the pool, last_turn orders the last assignments (0: never). Moved by the booking''s own transaction.';
SELECT pg_catalog.pg_extension_config_dump('booking.pool_members', '');
ALTER TABLE booking.pool_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY pool_members_own_organisation ON booking.pool_members
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY pool_members_own_organisation ON booking.pool_members IS
    'A tenant role sees only the pools of the organisation it acts in.';

CREATE FUNCTION booking.set_pool(org_id uuid, pool_id text, calendars text[],
                                 strategy text DEFAULT 'round_robin', weights jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_set_pool'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.set_pool(uuid, text, text[], text, jsonb) IS
    'Creates or replaces a pool: 2 to 50 member calendars (each a calendar set up with set_calendar, none a pool, none twice), strategy round_robin or first_free, and round_robin''s weights {"calendar_id": 1..1000}. Anything else raises 22023 and changes nothing. Its id then goes wherever a calendar id does: join_waitlist waits for any member; claim_slot and book book one member free for the whole request (its rules included) and answer calendar_id (the member) and pool_id; check_availability answers available when some member is free; free_slots answers the union, places_left counting the free members; book_series and with_calendars refuse a pool (0A000). Writing a pool starts its counters afresh. Answers {success, pool_id, calendars, strategy}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.drop_pool(org_id uuid, pool_id text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_drop_pool'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.drop_pool(uuid, text) IS
    'Removes a pool and its counters; its members'' reservations stay. Answers {success, pool_id, dropped} (dropped false when there was none). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

-------------------------------------------------------------------------------
-- An organisation's own policy (set_org_policy): limits it may only tighten,
-- and the per-contact and per-phone rows that serialise its contact cap and
-- its SMS cost guard.
-------------------------------------------------------------------------------

CREATE TABLE booking.org_policies (
    org_id                   uuid        NOT NULL,
    hold_ttl                 interval,
    max_hold_ttl             interval,
    otp_digits               integer,
    otp_ttl                  interval,
    otp_max_attempts         integer,
    otp_max_sends            integer,
    otp_resend_interval      interval,
    max_active_per_contact   integer,
    otp_sends_per_phone_hour integer,
    updated_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT org_policies_pkey PRIMARY KEY (org_id)
);
COMMENT ON TABLE booking.org_policies IS
    'Each organisation''s own limits, written by set_org_policy: a column NULL means the server''s setting of that name (booking.hold_ttl, booking.max_hold_ttl, ...). A value may only be stricter than the server''s; a call uses the strictest of the server''s, the organisation''s and (for a tenant role tightening in its own transaction) the session''s. No row: the server''s values. Distributed by tenant with the other tables on Citus.';
COMMENT ON COLUMN booking.org_policies.max_active_per_contact IS
    'The most blocking reservations starting in the future one contact (its contact_id, else its patient_phone reduced to digits) may hold in the organisation across its calendars; NULL means booking.max_active_per_contact (0 there: no cap).';
COMMENT ON COLUMN booking.org_policies.otp_sends_per_phone_hour IS
    'The most codes issue_otp sends to one phone number (reduced to digits) in a rolling hour, across the organisation''s holds; NULL means booking.otp_sends_per_phone_hour.';
SELECT pg_catalog.pg_extension_config_dump('booking.org_policies', '');
CREATE TRIGGER org_policies_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.org_policies
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.org_policies ENABLE ALWAYS TRIGGER org_policies_changed;
COMMENT ON TRIGGER org_policies_changed ON booking.org_policies IS
    'Keeps the per-backend copy of the organisations'' policies in step with the table: every session sees a change at its next transaction.';
ALTER TABLE booking.org_policies ENABLE ROW LEVEL SECURITY;

CREATE TABLE booking.contact_locks (
    org_id      uuid          NOT NULL,
    contact_key text          NOT NULL,
    touched_at  timestamptz   NOT NULL,
    sends       timestamptz[] NOT NULL DEFAULT '{}',
    CONSTRAINT contact_locks_pkey PRIMARY KEY (org_id, contact_key)
);
COMMENT ON TABLE booking.contact_locks IS
    'One row per phone the SMS cost guard counts sends to (contact_key sms:<digits>) and, with the tables distributed by Citus, per contact the contact cap counts for (c:<contact_id> or p:<digits>), locked by the call that counts: its row lock, on the tenant''s shard, serialises the callers of one phone or contact across calendars and across Citus nodes, which an advisory lock on a node without the shard could not (on one node the cap takes an advisory lock and writes no row). sends: the SMS guard''s sends to the phone in the last hour. Rows untouched for a day are deleted by expire_holds. Owner-only; not dumped (a restore starts the windows afresh).';
CREATE INDEX contact_locks_touched ON booking.contact_locks (touched_at);
COMMENT ON INDEX booking.contact_locks_touched IS 'Idle rows, for expire_holds().';
ALTER TABLE booking.contact_locks ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION booking.set_org_policy(org_id uuid, hold_ttl interval DEFAULT NULL,
                                       max_hold_ttl interval DEFAULT NULL,
                                       otp_digits integer DEFAULT NULL,
                                       otp_ttl interval DEFAULT NULL,
                                       otp_max_attempts integer DEFAULT NULL,
                                       otp_max_sends integer DEFAULT NULL,
                                       otp_resend_interval interval DEFAULT NULL,
                                       max_active_per_contact integer DEFAULT NULL,
                                       otp_sends_per_phone_hour integer DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_set_org_policy'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.set_org_policy(uuid, interval, interval, integer, interval, integer, integer, interval, integer, integer) IS
    'Sets the organisation''s own limits, each only stricter than the server''s setting of the same name (shorter TTLs, fewer attempts and sends, a longer resend interval, more digits, a lower cap; anything looser raises 22023 naming the setting and the server''s value); NULL restores the server''s value. max_active_per_contact caps the blocking reservations one contact holds in the future (contact_limit_reached); otp_sends_per_phone_hour the codes sent to one phone per rolling hour (otp_phone_limit). Every session uses them from its next transaction. Answers {success, policy: {one key per argument, the effective value: integers as numbers, intervals as interval text}}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.org_policy(org_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_org_policy'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.org_policy(uuid) IS
    'The organisation''s limits in effect for a call in this session, as set_org_policy answers them: {success, policy: {hold_ttl, max_hold_ttl, otp_digits, otp_ttl, otp_max_attempts, otp_max_sends, otp_resend_interval, max_active_per_contact (0: no cap), otp_sends_per_phone_hour}}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';

-------------------------------------------------------------------------------
-- The waitlist: callers waiting for time on a calendar, each offered a hold
-- when time is freed there, in the order they joined.
-------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS booking.waitlist (
    org_id           uuid        NOT NULL,
    id               uuid        NOT NULL,
    calendar_id      text        NOT NULL,
    from_ts          timestamptz NOT NULL,
    until_ts         timestamptz NOT NULL,
    duration         interval    NOT NULL,
    patient_phone    text,
    patient_name     text,
    contact_id       uuid,
    caller_ref       text,
    status           text        NOT NULL DEFAULT 'waiting',
    hold_id          uuid,
    offer_starts_at  timestamptz,
    offer_ends_at    timestamptz,
    offer_expires_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    changed_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT waitlist_pkey PRIMARY KEY (org_id, id),
    CONSTRAINT waitlist_status CHECK (status IN ('waiting', 'offered', 'booked', 'left', 'lapsed', 'expired')),
    CONSTRAINT waitlist_window CHECK (until_ts > from_ts),
    CONSTRAINT waitlist_duration CHECK (duration > interval '0'),
    CONSTRAINT waitlist_offer CHECK ((status = 'waiting') = (hold_id IS NULL) OR status IN ('left', 'expired'))
);
COMMENT ON TABLE booking.waitlist IS
    'Callers waiting for time on a calendar (join_waitlist): when a write frees blocking time there, the earliest-joined waiting entry whose window holds a free slot of its duration is offered a hold on the earliest one, in the same transaction. Written only through join_waitlist, leave_waitlist and the writes that free or settle time. Owner-only: read it through waitlist_status.';
COMMENT ON COLUMN booking.waitlist.id IS
    'A UUIDv7: entries are served, and positions counted, in the order of their ids, which is the order they joined.';
COMMENT ON COLUMN booking.waitlist.status IS
    'waiting, offered (hold_id holds a slot for it), booked (the hold was confirmed), left (leave_waitlist), lapsed (the offer was released or its hold lapsed), expired (until_ts passed while waiting; waitlist_status says so before the row does).';
COMMENT ON COLUMN booking.waitlist.hold_id IS
    'The offered hold (caller_ref ''waitlist:'' || id), confirmed like any hold; the offer''s slot and the hold''s expiry are offer_starts_at, offer_ends_at and offer_expires_at.';
COMMENT ON CONSTRAINT waitlist_offer ON booking.waitlist IS
    'A waiting entry has no offer; an offered, booked or lapsed one has its hold.';
CREATE INDEX IF NOT EXISTS waitlist_waiting ON booking.waitlist (org_id, calendar_id, id)
    INCLUDE (from_ts, until_ts) WHERE status = 'waiting';
COMMENT ON INDEX booking.waitlist_waiting IS
    'The waiting entries of a calendar in join order, with their windows: a write that frees time finds the first whose window meets it, and with nobody waiting pays one probe of an empty range.';
CREATE INDEX IF NOT EXISTS waitlist_live ON booking.waitlist (org_id, calendar_id, id)
    WHERE status IN ('waiting', 'offered');
COMMENT ON INDEX booking.waitlist_live IS
    'The live entries of a calendar in join order: what a position counts.';
CREATE UNIQUE INDEX IF NOT EXISTS waitlist_caller_ref ON booking.waitlist (org_id, caller_ref)
    WHERE caller_ref IS NOT NULL AND status IN ('waiting', 'offered');
COMMENT ON INDEX booking.waitlist_caller_ref IS
    'One live entry per caller_ref and organisation: a repeated join_waitlist answers the entry it made.';
CREATE INDEX IF NOT EXISTS waitlist_offers ON booking.waitlist (org_id, hold_id)
    WHERE status = 'offered';
COMMENT ON INDEX booking.waitlist_offers IS
    'The entry an offered hold was made for: a confirm, release or expiry settles it with one probe.';
SELECT pg_catalog.pg_extension_config_dump('booking.waitlist', '');
ALTER TABLE booking.waitlist ENABLE ROW LEVEL SECURITY;

CREATE OR REPLACE FUNCTION booking.join_waitlist(org_id uuid, calendar_id text, from_ts timestamptz,
                                                 until_ts timestamptz, duration interval DEFAULT '30 minutes',
                                                 patient_phone text DEFAULT NULL, patient_name text DEFAULT NULL,
                                                 contact_id uuid DEFAULT NULL, caller_ref text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_join_waitlist'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.join_waitlist(uuid, text, timestamptz, timestamptz, interval, text, text, uuid, text) IS
    'Puts a caller on the waitlist of a calendar, or of a pool (any member), for a slot of duration starting and ending within [from_ts, until_ts): {success, waitlist_id, position, status: "waiting"}; position counts the live entries of the calendar (or pool) that joined earlier, plus one. When a write frees time on a calendar (cancel, release, reschedule, a lapsed hold swept), the earliest-joined waiting entry of the calendar or of a pool it belongs to whose window holds a free slot there gets a hold on the earliest one (caller_ref ''waitlist:'' || waitlist_id, TTL booking.waitlist_offer_ttl) in the same transaction, and the event waitlist_offered. A caller_ref has one live entry: joining again answers it (existing: true). A window that ends before it starts, is shorter than the duration or has passed raises 22023. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE OR REPLACE FUNCTION booking.leave_waitlist(org_id uuid, waitlist_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_leave_waitlist'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.leave_waitlist(uuid, uuid) IS
    'Takes an entry off the waitlist: {success, waitlist_id, status: "left"}; leaving twice answers the same. An entry holding an offer gives its hold back, and the time goes to the next in line. Errors waitlist_not_found, waitlist_not_active (booked, lapsed or expired; status). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE OR REPLACE FUNCTION booking.waitlist_status(org_id uuid, waitlist_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_waitlist_status'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.waitlist_status(uuid, uuid) IS
    'An entry as the caller''s agent needs it: {success, waitlist_id, calendar_id, status (waiting, offered, booked, left, lapsed, expired), position (null unless waiting or offered), hold_id, starts_at, ends_at, offer_expires_at (null until an offer), from_ts, until_ts}. Error waitlist_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';

-------------------------------------------------------------------------------
-- Housekeeping and compatibility.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.expire_holds(batch_size integer DEFAULT 1000)
RETURNS integer
AS 'MODULE_PATHNAME', 'booking_expire_holds'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.expire_holds(integer) IS
    'Moves up to batch_size lapsed holds to expired (one audit row each) and returns how many. Schedule it (pg_cron or any scheduler) when the worker is not preloaded; correctness never depends on it. Security: runs as the caller (not SECURITY DEFINER); a caller bound to one organisation sweeps only its own. It works as the tables'' owner with search_path pinned to pg_catalog.';

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
    'Seed-compatible claim_slot: a 30-minute hold with call_id as caller_ref. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.confirm_held_slot(hold_id uuid, org_id uuid, contact_id uuid DEFAULT NULL,
                                          service_type text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_confirm_held_slot'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.confirm_held_slot(uuid, uuid, uuid, text) IS
    'Seed-compatible confirm_hold (note the seed''s argument order: hold_id first). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

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
    'Seed-compatible book on the calendar ''primary''; p_lock_key is accepted and not needed (the calendar lock covers overlapping ranges, not one start time). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.cleanup_expired_holds()
RETURNS integer
AS 'MODULE_PATHNAME', 'booking_cleanup_expired_holds'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.cleanup_expired_holds() IS
    'Seed-compatible expire_holds: expires every lapsed hold (up to 100000) and returns how many. Security: runs as the caller (not SECURITY DEFINER); a caller bound to one organisation sweeps only its own. It works as the tables'' owner with search_path pinned to pg_catalog.';

-------------------------------------------------------------------------------
-- Observability: live statistics (shared memory, with the library preloaded).
-- Events are NOTIFY booking_events, sent by the functions themselves.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.stats(
    OUT preloaded boolean,
    OUT claims bigint,
    OUT bookings bigint,
    OUT confirms bigint,
    OUT releases bigint,
    OUT extensions bigint,
    OUT cancellations bigint,
    OUT reschedules bigint,
    OUT expiries bigint,
    OUT conflicts bigint,
    OUT busy bigint,
    OUT rule_refusals bigint,
    OUT otp_sends bigint,
    OUT otp_matches bigint,
    OUT otp_misses bigint,
    OUT otp_lockouts bigint,
    OUT events_sent bigint,
    OUT events_unheard bigint,
    OUT lock_requests bigint,
    OUT lock_waits bigint,
    OUT lock_wait_total_ms double precision,
    OUT lock_wait_max_ms double precision,
    OUT lock_wait_p50_ms double precision,
    OUT lock_wait_p99_ms double precision,
    OUT worker_state text,
    OUT launcher_pid integer,
    OUT worker_pid integer,
    OUT worker_database text,
    OUT worker_passes bigint,
    OUT worker_expired bigint,
    OUT worker_errors bigint,
    OUT worker_last_pass_at timestamptz,
    OUT worker_last_error_at timestamptz,
    OUT worker_interval_ms integer,
    OUT worker_batch_size integer,
    OUT stats_reset timestamptz,
    OUT node text)
RETURNS record
AS 'MODULE_PATHNAME', 'booking_stats'
LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION booking.stats() IS
    'Live statistics of the whole server (all databases) since it started or since stats_reset(): counts of claims, bookings, confirms, releases, extensions, cancellations, reschedules, expiries, conflicts (slot_unavailable), busy answers, calls refused by a rule a clinic sets (rule_refusals: too_far_ahead, too_late_to_change and the like, each with its audit row refused), codes sent, matched and missed, lockouts; calendar lock requests and their waits (p50/p99 over all requests, 0 when granted at once); and the expiry worker''s state; node says which server they describe (cluster_name, else its port: on a Citus cluster each node has its own). Without preloading: preloaded is false, the rest NULL, and a NOTICE says why. The figures are every tenant''s together: a role that acts in one organisation (bound, or naming one in booking.org_id or its JWT claims) reads none of them, whatever it was granted (42501); the extension''s owner and members of pg_monitor always read them.';

CREATE VIEW booking.stats WITH (security_invoker = true) AS
SELECT * FROM booking.stats();
COMMENT ON VIEW booking.stats IS
    'booking.stats() as a view, for dashboards and exporters that read relations.';

CREATE FUNCTION booking.stats_reset()
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'booking_stats_reset'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.stats_reset() IS
    'Sets the statistics of booking.stats() to zero (the worker''s state stays) and returns the reset time; NULL when the library is not preloaded. For the extension''s owner.';

CREATE FUNCTION booking.lock_wait_histogram(OUT lower_us bigint, OUT upper_us bigint,
                                            OUT requests bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'booking_lock_wait_histogram'
LANGUAGE C VOLATILE PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION booking.lock_wait_histogram() IS
    'The calendar lock waits behind booking.stats(): requests that waited at least lower_us and less than upper_us microseconds, for each bucket that has any (bucket width at most 1/8 of its lower bound). Requests granted at once are in [0, 1). Read by the same roles as booking.stats().';

-- Monitoring tools read the statistics as members of pg_monitor, which
-- 99_access.sql grants the monitor profile; a deployment's own roles get it
-- with booking.grant_access(role, 'monitor').

-------------------------------------------------------------------------------
-- Booking events: an outbox that registered consumers read with a cursor and
-- acknowledge (see extension/pg/events/events.hpp). Nothing is recorded for an
-- organisation no consumer asked for.
-------------------------------------------------------------------------------

CREATE TABLE booking.event_consumers (
    org_id     uuid,
    consumer   text        NOT NULL,
    acked      bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL DEFAULT current_user,
    acked_at   timestamptz,
    CONSTRAINT event_consumers_key UNIQUE NULLS NOT DISTINCT (org_id, consumer),
    CONSTRAINT event_consumers_name CHECK (length(consumer) BETWEEN 1 AND 200)
);
COMMENT ON TABLE booking.event_consumers IS
    'Registered event consumers: of one organisation (org_id), or of every organisation (org_id NULL, the owner''s). acked is the last position the consumer acknowledged; read_events() answers what lies past it. Written through create_event_consumer, ack_events, drop_event_consumer. Owner-only.';
COMMENT ON COLUMN booking.event_consumers.acked IS
    'The last event position the consumer acknowledged (ack_events); it starts at the log''s position when the consumer was created.';
COMMENT ON INDEX booking.event_consumers_key IS
    'One consumer of each name per organisation, and one of each name for every organisation.';
SELECT pg_catalog.pg_extension_config_dump('booking.event_consumers', '');
-- Backends keep which organisations have consumers; only creating or
-- dropping one changes that (acknowledging does not).
CREATE TRIGGER event_consumers_changed
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF org_id ON booking.event_consumers
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.event_consumers ENABLE ALWAYS TRIGGER event_consumers_changed;
COMMENT ON TRIGGER event_consumers_changed ON booking.event_consumers IS
    'Every backend reads again which organisations have consumers after one is created or dropped.';

CREATE TABLE booking.event_queue (
    org_id         uuid        NOT NULL,
    id             uuid        NOT NULL,
    event          text        NOT NULL,
    reservation_id uuid        NOT NULL,
    calendar_id    text,
    status         text        NOT NULL,
    at             timestamptz NOT NULL,
    CONSTRAINT event_queue_pkey PRIMARY KEY (org_id, id)
);
COMMENT ON TABLE booking.event_queue IS
    'State changes committed for consumers and not yet given a position: each is written by the transaction that makes the change, so it exists exactly when the change commits. Readers move them to booking.event_log in the order they became visible. Owner-only.';
COMMENT ON COLUMN booking.event_queue.id IS
    'A UUIDv7 taken under the lock the change held (its calendar''s or its reservation''s), so ids order the changes of one calendar or one reservation as their commits did.';
SELECT pg_catalog.pg_extension_config_dump('booking.event_queue', '');

CREATE SEQUENCE booking.event_position AS bigint;
COMMENT ON SEQUENCE booking.event_position IS
    'Positions of booking.event_log, given out by one reader at a time (a transaction-scoped lock), so a position is visible only after every smaller one is.';
SELECT pg_catalog.pg_extension_config_dump('booking.event_position', '');

CREATE TABLE booking.event_log (
    org_id         uuid        NOT NULL,
    position       bigint      NOT NULL,
    id             uuid        NOT NULL,
    event          text        NOT NULL,
    reservation_id uuid        NOT NULL,
    calendar_id    text,
    status         text        NOT NULL,
    at             timestamptz NOT NULL,
    CONSTRAINT event_log_pkey PRIMARY KEY (org_id, position)
);
CREATE INDEX event_log_position ON booking.event_log (position);
COMMENT ON TABLE booking.event_log IS
    'State changes in commit order: position grows in the order changes became visible (within a transaction, in the order they were made). Rows every consumer of their organisation has acknowledged are deleted by expire_holds() and the expiry worker. Owner-only: consumers read through read_events().';
COMMENT ON COLUMN booking.event_log.event IS
    'The audit action: claimed, booked, confirmed, released, cancelled, rescheduled, expired, locked.';
COMMENT ON COLUMN booking.event_log.status IS
    'The reservation''s status after the change.';
COMMENT ON INDEX booking.event_log_position IS 'What a consumer of every organisation reads.';
SELECT pg_catalog.pg_extension_config_dump('booking.event_log', '');

ALTER TABLE booking.event_consumers ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking.event_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking.event_log ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION booking.create_event_consumer(org_id uuid, consumer text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_create_event_consumer'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.create_event_consumer(uuid, text) IS
    'Registers a consumer of the organisation''s events (org_id NULL: of every organisation, the owner''s call). From its commit on, every state change of the organisation is recorded until the consumer has acknowledged it. Creating it again answers success (created: false). {success, consumer, org_id, position, created}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.drop_event_consumer(org_id uuid, consumer text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_drop_event_consumer'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.drop_event_consumer(uuid, text) IS
    'Removes a consumer; what only it still needed is deleted at the next sweep. {success, consumer, dropped}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.read_events(org_id uuid, consumer text, max_events integer DEFAULT 100)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_read_events'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.read_events(uuid, text, integer) IS
    'The consumer''s next events past its acknowledged position, in commit order, at most max_events (1..1000): {success, consumer, events: [{position, event, org_id, calendar_id, id, status, at, set_id?, series_id?}], last_position, more}. Reading acknowledges nothing: call ack_events(last_position) once they are handled, so a consumer that stops in between reads them again. Error consumer_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.ack_events(org_id uuid, consumer text, up_to bigint)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_ack_events'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.ack_events(uuid, text, bigint) IS
    'Acknowledges every event up to position up_to (never moving back): {success, consumer, acked}. A position not yet given out is refused (22023). Error consumer_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

-------------------------------------------------------------------------------
-- Scale-out by tenant on Citus: every tenant table distributed by org_id and
-- colocated, the global ones replicated to every node, and every function
-- that takes an organisation delegated to the node that holds it.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.distribute_by_tenant()
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    tenant_tables constant text[] := ARRAY['booking.reservations', 'booking.audit_log',
        'booking.calendars', 'booking.otp_codes', 'booking.event_queue', 'booking.event_log',
        'booking.reservation_links', 'booking.org_policies', 'booking.contact_locks',
        'booking.pools', 'booking.pool_members', 'booking.waitlist'];
    global_tables constant text[] := ARRAY['booking.otp_secret', 'booking.role_bindings',
        'booking.event_consumers'];
    owner oid := (SELECT relowner FROM pg_class WHERE oid = 'booking.reservations'::regclass);
    distributed text[] := '{}';
    replicated text[] := '{}';
    delegated text[] := '{}';
    t text;
    f record;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'the citus extension is not installed in this database'
            USING ERRCODE = '55000',
                  HINT = 'On the coordinator: CREATE EXTENSION citus; add the workers with citus_add_node(); then call booking.distribute_by_tenant() again.';
    END IF;
    IF NOT pg_has_role(current_user, owner, 'USAGE') THEN
        RAISE EXCEPTION 'permission denied to distribute the booking tables'
            USING ERRCODE = '42501',
                  DETAIL = format('Only the owner of the booking extension (%s) may distribute its tables.', owner::regrole);
    END IF;
    -- Citus copies a table's triggers to its shards only when told that they
    -- are safe there: the overlap guard reads nothing but its own shard (its
    -- calendar's rows live there), and the cache triggers only invalidate.
    PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
    FOREACH t IN ARRAY tenant_tables LOOP
        IF NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = t::regclass) THEN
            IF t = 'booking.reservations' THEN
                PERFORM create_distributed_table(t, 'org_id');
            ELSE
                PERFORM create_distributed_table(t, 'org_id', colocate_with => 'booking.reservations');
            END IF;
            distributed := distributed || t;
        END IF;
    END LOOP;
    FOREACH t IN ARRAY global_tables LOOP
        IF NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = t::regclass) THEN
            PERFORM create_reference_table(t);
            replicated := replicated || t;
        END IF;
    END LOOP;
    -- Every function whose arguments name an organisation runs on the node
    -- that holds it, in one round trip (slot_lock_key computes, it reads
    -- nothing). A call inside a transaction block runs on the coordinator
    -- instead, as safely: the guard lives on the shard.
    FOR f IN
        SELECT p.oid::regprocedure AS proc, a.name AS arg
        FROM pg_proc p,
             LATERAL (SELECT n AS name FROM unnest(p.proargnames) WITH ORDINALITY u(n, i)
                      WHERE n IN ('org_id', 'p_org_id') AND i <= p.pronargs LIMIT 1) a
        WHERE p.pronamespace = 'booking'::regnamespace AND p.prokind = 'f'
          AND p.proname NOT IN ('slot_lock_key')
          AND NOT EXISTS (SELECT FROM pg_dist_object o
                          WHERE o.classid = 'pg_proc'::regclass AND o.objid = p.oid
                            AND o.distribution_argument_index IS NOT NULL)
        ORDER BY 1
    LOOP
        PERFORM create_distributed_function(f.proc, f.arg::text, colocate_with => 'booking.reservations');
        delegated := delegated || f.proc::text;
    END LOOP;
    RETURN jsonb_build_object('success', true, 'distributed', to_jsonb(distributed),
                              'replicated', to_jsonb(replicated), 'delegated', to_jsonb(delegated));
END
$$;
COMMENT ON FUNCTION booking.distribute_by_tenant() IS
    'On a Citus coordinator (CREATE EXTENSION citus, the workers added, then CREATE EXTENSION booking): distributes every tenant table by org_id, colocated with booking.reservations; makes the global tables (the code key, role bindings, event consumers) reference tables; delegates every function that takes an organisation to the node that holds it. Idempotent: answers what it changed this time. The extension''s owner only; 55000 without Citus.';

-------------------------------------------------------------------------------
-- Tenancy and access.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.grant_access(role regrole, profile text)
RETURNS text[]
AS 'MODULE_PATHNAME', 'booking_grant_access'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.grant_access(regrole, text) IS
    'Grants a role one access profile: agent (holds, code verification, availability, booking, series), sms_sender (issue_otp, withdraw_otp, hold_status), staff (everything but issuing and withdrawing codes, and reading its organisation''s rows) or monitor (the server-wide live statistics), as booking.access_profiles lists them. Returns the statements it ran. Run it as the extension''s owner. Security: runs as the caller (not SECURITY DEFINER): the profiles are read from booking.access_profiles as the tables'' owner, and the statements run with the caller''s own rights.';

CREATE FUNCTION booking.revoke_access(role regrole)
RETURNS text[]
AS 'MODULE_PATHNAME', 'booking_revoke_access'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.revoke_access(regrole) IS
    'Revokes every right grant_access can give. Returns the statements it ran. Security: runs as the caller (not SECURITY DEFINER): the profiles are read from booking.access_profiles as the tables'' owner, and the statements run with the caller''s own rights.';

-- Roles the owner bound to one organisation: such a role acts there whatever
-- any setting or claim says (see extension/pg/tenancy/tenant_binding.hpp).
CREATE TABLE booking.role_bindings (
    role     regrole     NOT NULL,
    org_id   uuid        NOT NULL,
    bound_at timestamptz NOT NULL DEFAULT now(),
    bound_by text        NOT NULL DEFAULT current_user,
    CONSTRAINT role_bindings_pkey PRIMARY KEY (role)
);
COMMENT ON TABLE booking.role_bindings IS
    'Roles bound to one organisation by the owner (bind_role / unbind_role). A bound role, or a session whose login role is bound, acts only in that organisation: booking.org_id or request.jwt.claims naming another raise 42501. Owner-only; kept by pg_dump.';
COMMENT ON COLUMN booking.role_bindings.role IS
    'The bound role (a login role, or a role reached with SET ROLE). Stored by OID, so a rename keeps the binding.';
SELECT pg_catalog.pg_extension_config_dump('booking.role_bindings', '');
CREATE TRIGGER role_bindings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.role_bindings
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.role_bindings ENABLE ALWAYS TRIGGER role_bindings_changed;
COMMENT ON TRIGGER role_bindings_changed ON booking.role_bindings IS
    'Every backend reads the bindings again after a change commits.';
ALTER TABLE booking.role_bindings ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION booking.bind_role(role regrole, org_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_bind_role'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.bind_role(regrole, uuid) IS
    'Binds a role to one organisation (the owner''s call): the role, and every session whose login role it is, then acts in that organisation only, whatever booking.org_id or request.jwt.claims say. Rebinding moves it. Answers {success, role, org_id, previous_org_id}; writes role_bound (and role_unbound) audit rows. Security: runs as the caller (not SECURITY DEFINER); refused (42501) unless the caller has the rights of the tables'' owner, as whom it then writes, search_path pinned to pg_catalog.';

CREATE FUNCTION booking.unbind_role(role regrole)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_unbind_role'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.unbind_role(regrole) IS
    'Removes a role''s binding (the owner''s call): {success, role, org_id, was_bound}. Security: runs as the caller (not SECURITY DEFINER); refused (42501) unless the caller has the rights of the tables'' owner, as whom it then writes, search_path pinned to pg_catalog.';

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
-- No policy at all: nobody but the owner reads codes or the key, nor the
-- links of sets and series (the views show set_id and series_id).
ALTER TABLE booking.otp_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking.reservation_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking.otp_secret ENABLE ROW LEVEL SECURITY;

-- Who may call and read what: the one list of it. grant_access and
-- revoke_access read it (the library holds no copy), the grants to PUBLIC and
-- to pg_monitor below are made from it, and a pgTAP test fails when a
-- function or relation of the schema is in no row. Rows are given out in
-- ordinal order, as grant_access answers them.
CREATE TABLE booking.access_profiles (
    profile text    NOT NULL,
    object  text    NOT NULL,
    kind    text    NOT NULL,
    ordinal integer NOT NULL,
    CONSTRAINT access_profiles_pkey PRIMARY KEY (profile, kind, object),
    CONSTRAINT access_profiles_ordinal UNIQUE (ordinal),
    CONSTRAINT access_profiles_profile
        CHECK (profile IN ('agent', 'sms_sender', 'staff', 'monitor', 'public', 'owner')),
    CONSTRAINT access_profiles_kind CHECK (kind IN ('function', 'relation'))
);
COMMENT ON TABLE booking.access_profiles IS
    'Which access profile may call which function (kind function: EXECUTE) and read which table or view (kind relation: SELECT): agent, sms_sender, staff and monitor are what grant_access(role, profile) grants; public names the pure helpers every role may call; owner names what only the tables'' owner uses (role bindings, profile grants, the statistics reset, the trigger functions, the owner-only tables). Every function and relation of the schema is in some row. Part of the extension''s definition: not dumped, and changed only by upgrade scripts. Owner-only.';
COMMENT ON COLUMN booking.access_profiles.ordinal IS
    'The order grant_access and revoke_access give the statements in.';
COMMENT ON INDEX booking.access_profiles_ordinal IS 'One place in the order per row.';
INSERT INTO booking.access_profiles (profile, ordinal, kind, object) VALUES
    -- agent: a voice agent or booking widget acting for callers.
    ('agent', 1, 'function', 'claim_slot'),
    ('agent', 2, 'function', 'extend_hold'),
    ('agent', 3, 'function', 'release_hold'),
    ('agent', 4, 'function', 'hold_status'),
    ('agent', 5, 'function', 'verify_otp'),
    ('agent', 6, 'function', 'book'),
    ('agent', 7, 'function', 'check_availability'),
    ('agent', 8, 'function', 'free_slots'),
    ('agent', 9, 'function', 'claim_slot_atomic'),
    -- sms_sender: the service that delivers codes.
    ('sms_sender', 10, 'function', 'issue_otp'),
    ('sms_sender', 11, 'function', 'hold_status'),
    -- staff: the back office; everything but issuing codes, and its rows.
    ('staff', 12, 'function', 'claim_slot'),
    ('staff', 13, 'function', 'extend_hold'),
    ('staff', 14, 'function', 'release_hold'),
    ('staff', 15, 'function', 'hold_status'),
    ('staff', 16, 'function', 'confirm_hold'),
    ('staff', 17, 'function', 'book'),
    ('staff', 18, 'function', 'cancel_appointment'),
    ('staff', 19, 'function', 'reschedule_appointment'),
    ('staff', 20, 'function', 'check_availability'),
    ('staff', 21, 'function', 'free_slots'),
    ('staff', 22, 'function', 'expire_holds'),
    ('staff', 23, 'function', 'claim_slot_atomic'),
    ('staff', 24, 'function', 'confirm_held_slot'),
    ('staff', 25, 'function', 'book_appointment_with_lock'),
    ('staff', 26, 'function', 'cleanup_expired_holds'),
    ('staff', 27, 'function', 'set_calendar'),
    ('staff', 28, 'function', 'appointments_outside_hours'),
    ('staff', 29, 'function', 'create_event_consumer'),
    ('staff', 30, 'function', 'drop_event_consumer'),
    ('staff', 31, 'function', 'read_events'),
    ('staff', 32, 'function', 'ack_events'),
    ('staff', 33, 'relation', 'reservations'),
    ('staff', 34, 'relation', 'audit_log'),
    ('staff', 35, 'relation', 'holds'),
    ('staff', 36, 'relation', 'appointments'),
    ('staff', 37, 'relation', 'calendars'),
    -- monitor: the server-wide statistics, never a tenant's.
    ('monitor', 38, 'function', 'stats'),
    ('monitor', 39, 'function', 'lock_wait_histogram'),
    ('monitor', 40, 'relation', 'stats'),
    -- public: pure helpers, executable by every role.
    ('public', 41, 'function', 'blocking_range'),
    ('public', 42, 'function', 'slot_lock_key'),
    ('public', 43, 'function', 'current_org_id'),
    -- owner: the tables' owner's alone.
    ('owner', 44, 'function', 'bind_role'),
    ('owner', 45, 'function', 'unbind_role'),
    ('owner', 46, 'function', 'grant_access'),
    ('owner', 47, 'function', 'revoke_access'),
    ('owner', 48, 'function', 'stats_reset'),
    ('owner', 49, 'function', 'guard_overlap'),
    ('owner', 50, 'function', 'cached_table_changed'),
    ('owner', 51, 'function', 'refuse_view_write'),
    ('owner', 52, 'relation', 'otp_codes'),
    ('owner', 53, 'relation', 'otp_secret'),
    ('owner', 54, 'relation', 'role_bindings'),
    ('owner', 55, 'relation', 'event_consumers'),
    ('owner', 56, 'relation', 'event_queue'),
    ('owner', 57, 'relation', 'event_log'),
    ('owner', 58, 'relation', 'access_profiles'),
    ('owner', 59, 'function', 'distribute_by_tenant'),
    -- A series books like book (the agent's and staff's); cancelling the rest
    -- of one cancels like cancel_appointment (staff's).
    ('agent', 60, 'function', 'book_series'),
    ('staff', 61, 'function', 'book_series'),
    ('staff', 62, 'function', 'cancel_series'),
    ('owner', 63, 'relation', 'reservation_links'),
    -- Whoever sends codes takes back those its provider could not deliver.
    ('sms_sender', 64, 'function', 'withdraw_otp'),
    -- An organisation's own policy: staff set it; agents may read it, to tell
    -- a caller why a limit applies.
    ('staff', 65, 'function', 'set_org_policy'),
    ('agent', 66, 'function', 'org_policy'),
    ('staff', 67, 'function', 'org_policy'),
    ('owner', 68, 'relation', 'org_policies'),
    ('owner', 69, 'relation', 'contact_locks'),
    -- The waitlist: whoever may claim a hold may put a caller on the list.
    ('agent', 70, 'function', 'join_waitlist'),
    ('agent', 71, 'function', 'leave_waitlist'),
    ('agent', 72, 'function', 'waitlist_status'),
    ('staff', 73, 'function', 'join_waitlist'),
    ('staff', 74, 'function', 'leave_waitlist'),
    ('staff', 75, 'function', 'waitlist_status'),
    ('owner', 76, 'relation', 'waitlist'),
    -- Pools (issue 24) are managed by whoever sets calendars.
    ('staff', 80, 'function', 'set_pool'),
    ('staff', 81, 'function', 'drop_pool'),
    ('staff', 82, 'relation', 'pools'),
    ('staff', 83, 'relation', 'pool_members');
ALTER TABLE booking.access_profiles ENABLE ROW LEVEL SECURITY;

-- Nothing is open to PUBLIC but the pure helpers (the profile public);
-- grant_access() gives the rest, and pg_monitor gets the monitor profile.
REVOKE ALL ON ALL TABLES IN SCHEMA booking FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA booking FROM PUBLIC;
DO $$
DECLARE
    f text;
BEGIN
    FOR f IN SELECT object FROM booking.access_profiles
             WHERE profile = 'public' AND kind = 'function' ORDER BY ordinal LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION booking.%I TO PUBLIC', f);
    END LOOP;
END
$$;
SELECT booking.grant_access('pg_monitor', 'monitor');

