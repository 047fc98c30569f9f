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
    WHERE @BLOCKING_STATUSES@;
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

CREATE FUNCTION booking.guard_overlap_end()
RETURNS trigger
AS 'MODULE_PATHNAME', 'booking_guard_overlap_end'
LANGUAGE C;
COMMENT ON FUNCTION booking.guard_overlap_end() IS
    'Statement trigger: a transaction that has written more calendars than it keeps locked to its end (half of max_locks_per_transaction) holds a further calendar''s lock only while its row goes in; this lets go of the last one when the statement ends.';
CREATE TRIGGER reservations_no_overlap_end
    AFTER INSERT OR UPDATE ON booking.reservations
    FOR EACH STATEMENT EXECUTE FUNCTION booking.guard_overlap_end();
ALTER TABLE booking.reservations ENABLE ALWAYS TRIGGER reservations_no_overlap_end;
COMMENT ON TRIGGER reservations_no_overlap_end ON booking.reservations IS
    'The end of a write of reservations: the calendar lock reservations_no_overlap held for the statement''s last row alone (past the transaction''s budget of calendar locks) is let go.';

-- A caller_ref holds one hold: see extension/core/caller_hold.hpp, whose
-- BOOKING_CALLER_HOLD_SQL the Makefile writes here.
CREATE UNIQUE INDEX reservations_caller_ref_active ON booking.reservations (org_id, caller_ref)
    WHERE @CALLER_HOLD@;
CREATE UNIQUE INDEX reservations_idempotency_key ON booking.reservations (org_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
-- What the contact cap (max_active_per_contact) counts: a contact's future
-- blocking reservations, by its contact_id, else by its phone's digits; so
-- the count reads the contact's rows, not the organisation's.
CREATE INDEX reservations_contact ON booking.reservations (org_id, contact_id, starts_at)
    WHERE contact_id IS NOT NULL AND @BLOCKING_STATUSES@;
COMMENT ON INDEX booking.reservations_contact IS
    'Blocking reservations of each contact (contact_id) by start: what the contact cap (max_active_per_contact) counts.';
CREATE INDEX reservations_contact_phone ON booking.reservations
    (org_id, (pg_catalog.regexp_replace(patient_phone, '[^0-9]', '', 'g')), starts_at)
    WHERE contact_id IS NULL AND patient_phone IS NOT NULL AND @BLOCKING_STATUSES@;
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

