-- booking 0.1 -> 0.2. Every statement may run again on a database already at
-- 0.2 (IF NOT EXISTS, ON CONFLICT DO NOTHING, COMMENT), since Citus workers
-- run upgrade scripts too. What it brings:
--   - booking.access_profiles, the one list of which profile may call and
--     read what (the library read a copy of it compiled in before);
--   - the functions' comments say how each runs: as the caller, then as the
--     tables' owner with a pinned search_path, and why the reading ones are
--     STABLE;
--   - capacity, several calendars in one booking, and recurring series
--     (issue 16): new columns (defaults keep every old row as it was), the
--     guard's trigger on them, new functions, and the functions that gained
--     arguments replaced with their grants kept (the last section).
\echo Use "ALTER EXTENSION booking UPDATE TO '0.2'" to load this file. \quit

CREATE TABLE IF NOT EXISTS booking.access_profiles (
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
    ('owner', 59, 'function', 'distribute_by_tenant')
ON CONFLICT (profile, kind, object) DO NOTHING;
ALTER TABLE booking.access_profiles ENABLE ROW LEVEL SECURITY;
-- As the install script leaves every table: nothing for PUBLIC.
REVOKE ALL ON booking.access_profiles FROM PUBLIC;

COMMENT ON FUNCTION booking.current_org_id() IS
    'The organisation the caller acts in: its role''s binding (bind_role), booking.org_id set for the transaction, or request.jwt.claims ->> ''org_id'' set for the transaction (as PostgREST does); NULL when none names one; 42501 when they disagree. The row-level security policies use it. Security: runs as the caller; the role bindings are read as the tables'' owner. STABLE: within a statement the binding does not change.';
COMMENT ON FUNCTION booking.extend_hold(uuid, uuid, interval) IS
    'Keeps a live hold for ttl from now, never beyond booking.max_hold_ttl after its claim ("capped" says when that bound applied). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.release_hold(uuid, uuid, text) IS
    'Gives a hold''s slot back (held or requires_manual_followup). Releasing twice answers success again. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.hold_status(uuid, uuid) IS
    'A hold''s state as an agent needs it: status (expired once the TTL passed), times, verification progress, and appointment_id once confirmed. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';
COMMENT ON FUNCTION booking.confirm_hold(uuid, uuid, uuid, text, jsonb) IS
    'Staff/back-office confirmation without a code: the same reservation becomes the appointment (appointment_id = hold_id), so the slot is never free in between. Errors hold_not_found, hold_expired, hold_not_active. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.issue_otp(uuid, uuid) IS
    'A fresh code for a live hold, for the caller''s SMS sender to deliver: {success, hold_id, code, expires_at, sends_left}. A resend replaces the previous code. Errors hold_not_found, hold_expired, hold_not_active, otp_locked, otp_send_limit, otp_too_soon (retry_after_ms). Only its keyed hash is stored. Not executable by PUBLIC: grant it to the SMS sender (grant_access(role, ''sms_sender'')). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.verify_otp(uuid, uuid, text, uuid, text) IS
    'Checks a code as a voice transcript delivers it (spaces, dashes, dots, commas ignored), in constant time. A match confirms the hold in the same transaction: {success, appointment_id}. Otherwise otp_mismatch (attempts_left), otp_locked at the last allowed miss (the hold waits for staff), otp_expired, otp_not_issued, otp_invalid_format (not counted). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.appointments_outside_hours(uuid, text, timestamptz, timestamptz) IS
    'The live reservations (appointments, holds) starting in the window that lie outside the calendar''s current working hours: what staff move or cancel after changing the hours. The window is at most 366 days. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';
COMMENT ON FUNCTION booking.expire_holds(integer) IS
    'Moves up to batch_size lapsed holds to expired (one audit row each) and returns how many. Schedule it (pg_cron or any scheduler) when the worker is not preloaded; correctness never depends on it. Security: runs as the caller (not SECURITY DEFINER); a caller bound to one organisation sweeps only its own. It works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.claim_slot_atomic(uuid, text, timestamptz, text) IS
    'Seed-compatible claim_slot: a 30-minute hold with call_id as caller_ref. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.confirm_held_slot(uuid, uuid, uuid, text) IS
    'Seed-compatible confirm_hold (note the seed''s argument order: hold_id first). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.book_appointment_with_lock(uuid, uuid, timestamptz, bigint, integer, uuid, text, jsonb) IS
    'Seed-compatible book on the calendar ''primary''; p_lock_key is accepted and not needed (the calendar lock covers overlapping ranges, not one start time). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.cleanup_expired_holds() IS
    'Seed-compatible expire_holds: expires every lapsed hold (up to 100000) and returns how many. Security: runs as the caller (not SECURITY DEFINER); a caller bound to one organisation sweeps only its own. It works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.create_event_consumer(uuid, text) IS
    'Registers a consumer of the organisation''s events (org_id NULL: of every organisation, the owner''s call). From its commit on, every state change of the organisation is recorded until the consumer has acknowledged it. Creating it again answers success (created: false). {success, consumer, org_id, position, created}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.drop_event_consumer(uuid, text) IS
    'Removes a consumer; what only it still needed is deleted at the next sweep. {success, consumer, dropped}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.read_events(uuid, text, integer) IS
    'The consumer''s next events past its acknowledged position, in commit order, at most max_events (1..1000): {success, consumer, events: [{position, event, org_id, calendar_id, id, status, at, set_id?, series_id?}], last_position, more}. Reading acknowledges nothing: call ack_events(last_position) once they are handled, so a consumer that stops in between reads them again. Error consumer_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.ack_events(uuid, text, bigint) IS
    'Acknowledges every event up to position up_to (never moving back): {success, consumer, acked}. A position not yet given out is refused (22023). Error consumer_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.grant_access(regrole, text) IS
    'Grants a role one access profile: agent (holds, code verification, availability, booking, series), sms_sender (issue_otp, hold_status), staff (everything but issue_otp, and reading its organisation''s rows) or monitor (the server-wide live statistics), as booking.access_profiles lists them. Returns the statements it ran. Run it as the extension''s owner. Security: runs as the caller (not SECURITY DEFINER): the profiles are read from booking.access_profiles as the tables'' owner, and the statements run with the caller''s own rights.';
COMMENT ON FUNCTION booking.revoke_access(regrole) IS
    'Revokes every right grant_access can give. Returns the statements it ran. Security: runs as the caller (not SECURITY DEFINER): the profiles are read from booking.access_profiles as the tables'' owner, and the statements run with the caller''s own rights.';
COMMENT ON FUNCTION booking.bind_role(regrole, uuid) IS
    'Binds a role to one organisation (the owner''s call): the role, and every session whose login role it is, then acts in that organisation only, whatever booking.org_id or request.jwt.claims say. Rebinding moves it. Answers {success, role, org_id, previous_org_id}; writes role_bound (and role_unbound) audit rows. Security: runs as the caller (not SECURITY DEFINER); refused (42501) unless the caller has the rights of the tables'' owner, as whom it then writes, search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.unbind_role(regrole) IS
    'Removes a role''s binding (the owner''s call): {success, role, org_id, was_bound}. Security: runs as the caller (not SECURITY DEFINER); refused (42501) unless the caller has the rights of the tables'' owner, as whom it then writes, search_path pinned to pg_catalog.';

-------------------------------------------------------------------------------
-- Capacity, several calendars in one booking, recurring series (issue 16).
-------------------------------------------------------------------------------

-- Functions that gain arguments (or result columns) are replaced, since each
-- name has one signature; every role keeps the EXECUTE it had. A grant given
-- in an extension script would count as the extension's initial privilege,
-- which pg_dump leaves out and (from PostgreSQL 17) keeps its grantee from
-- being dropped: the grants are given back as the database's own, by the
-- library (booking.upgrade_grant_as_database), and the new function's initial
-- privileges are those of a fresh install (the owner's alone). Helpers for
-- this script only, dropped at its end.
CREATE OR REPLACE FUNCTION booking.upgrade_grant_as_database(statement text)
RETURNS void
AS 'MODULE_PATHNAME', 'booking_grant_as_database'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION booking.upgrade_grant_as_database(text) FROM PUBLIC;
CREATE OR REPLACE FUNCTION booking.upgrade_replace_function(old_signature text,
                                                            new_argnames text[],
                                                            create_sql text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    old regprocedure := to_regprocedure(old_signature);
    name text;
    grants text[];
    g text;
BEGIN
    -- Replaced already (the script runs again): the old signature is gone,
    -- or it is the new one's (a function that gained result columns).
    IF old IS NULL OR (SELECT p.proargnames FROM pg_proc p WHERE p.oid = old) = new_argnames THEN
        RETURN;
    END IF;
    SELECT p.proname INTO name FROM pg_proc p WHERE p.oid = old;
    SELECT array_agg(format('GRANT EXECUTE ON FUNCTION booking.%I TO %s', name,
                            CASE WHEN a.grantee = 0 THEN 'PUBLIC'
                                 ELSE quote_ident(r.rolname) END))
      INTO grants
      FROM pg_proc p, aclexplode(p.proacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
     WHERE p.oid = old AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner;
    EXECUTE format('DROP FUNCTION %s', old);
    EXECUTE create_sql;
    EXECUTE format('REVOKE EXECUTE ON FUNCTION booking.%I FROM PUBLIC', name);
    FOREACH g IN ARRAY coalesce(grants, '{}') LOOP
        PERFORM booking.upgrade_grant_as_database(g);
    END LOOP;
END
$$;

-- Capacity: a calendar accepts up to capacity blocking reservations at one
-- instant, and each reservation keeps the capacity it was written with.
ALTER TABLE booking.reservations ADD COLUMN IF NOT EXISTS capacity integer NOT NULL DEFAULT 1;
COMMENT ON COLUMN booking.reservations.capacity IS
    'The places its calendar had when the reservation was written (set_calendar''s capacity; 1, the default, keeps the time to itself): at every instant of a blocking reservation, at most this many blocking reservations of its calendar overlap, itself included. Raising a calendar''s capacity raises it for its live reservations; lowering it leaves them theirs.';
ALTER TABLE booking.calendars ADD COLUMN IF NOT EXISTS capacity integer NOT NULL DEFAULT 1;
COMMENT ON COLUMN booking.calendars.capacity IS
    'How many blocking reservations the calendar accepts at one instant (1 to 1000): 1 for a clinician or a room, N for a class or a waiting room. Each reservation keeps the capacity it was made with (booking.reservations.capacity).';
COMMENT ON FUNCTION booking.guard_overlap() IS
    'Trigger: sets blocks from the row''s range and buffers; refuses (23P01) a row whose blocking range overlaps another blocking reservation of its calendar (for a row of capacity N: one that would make more than N overlap at some instant, or more than the capacity of a row it overlaps), under the calendar lock; and (23514, 22023, 22007) a row that breaks the row rules: an empty or inverted range, infinite times, a held row without expires_at, a calendar_id not of 1 to 200 characters, a buffer not of 0 to 1 day, a reservation longer than 31 days, a capacity not of 1 to 1000.';
CREATE OR REPLACE TRIGGER reservations_no_overlap
    BEFORE INSERT OR UPDATE OF org_id, calendar_id, starts_at, ends_at, buffer_before, buffer_after, blocks,
        status, expires_at, capacity
    ON booking.reservations FOR EACH ROW EXECUTE FUNCTION booking.guard_overlap();
ALTER TABLE booking.reservations ENABLE ALWAYS TRIGGER reservations_no_overlap;
COMMENT ON TRIGGER reservations_no_overlap ON booking.reservations IS
    'No two blocking reservations of one calendar overlap (no more than their capacity, where a calendar has several places): every insert or update that adds blocking time, or lowers a row''s capacity, is checked under the calendar lock. Also sets blocks and checks the row rules named in guard_overlap().';

DO $do$ BEGIN PERFORM booking.upgrade_replace_function(
    'booking.set_calendar(uuid, text, text, interval, interval, interval, interval, jsonb)',
    '{org_id,calendar_id,time_zone,slot_step,buffer_before,buffer_after,min_notice,working_hours,capacity}', $sql$
CREATE FUNCTION booking.set_calendar(org_id uuid, calendar_id text, time_zone text DEFAULT 'UTC',
                                     slot_step interval DEFAULT NULL,
                                     buffer_before interval DEFAULT '0',
                                     buffer_after interval DEFAULT '0',
                                     min_notice interval DEFAULT '0',
                                     working_hours jsonb DEFAULT NULL,
                                     capacity integer DEFAULT 1)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_set_calendar'
LANGUAGE C VOLATILE PARALLEL UNSAFE
$sql$); END $do$;
-- Only while this is set_calendar's signature: release 0.4 replaced it, and
-- the script may run again on a database of a later release.
DO $do$
BEGIN
    IF to_regprocedure('booking.set_calendar(uuid, text, text, interval, interval, interval, interval, jsonb, integer)') IS NOT NULL THEN
        COMMENT ON FUNCTION booking.set_calendar(uuid, text, text, interval, interval, interval, interval, jsonb, integer) IS
        'Creates or updates a calendar''s settings: IANA time zone, step grid (NULL: booking.slot_step), buffers kept between neighbours, minimum notice, working hours per ISO weekday in local time (NULL: open at all hours), and capacity, how many blocking reservations it accepts at one instant (1 to 1000). Changing them never moves or cancels existing reservations; appointments_outside_hours() lists those left outside; a raised capacity applies to the live reservations too, a lowered one leaves them their places. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
    END IF;
END
$do$;

DO $do$ BEGIN PERFORM booking.upgrade_replace_function(
    'booking.free_slots(uuid, text, timestamptz, timestamptz, interval, integer)',
    '{org_id,calendar_id,from_ts,until_ts,duration,max_results,starts_at,ends_at,places_left}', $sql$
CREATE FUNCTION booking.free_slots(org_id uuid, calendar_id text, from_ts timestamptz,
                                   until_ts timestamptz, duration interval,
                                   max_results integer DEFAULT 10)
RETURNS TABLE (starts_at timestamptz, ends_at timestamptz, places_left integer)
AS 'MODULE_PATHNAME', 'booking_free_slots'
LANGUAGE C STABLE PARALLEL UNSAFE ROWS 10
$sql$); END $do$;
COMMENT ON FUNCTION booking.free_slots(uuid, text, timestamptz, timestamptz, interval, integer) IS
    'Free slots of the given duration on the calendar''s grid within [from_ts, until_ts), earliest first, at most max_results (1..1000), each with places_left, how many more reservations of that slot its calendar would take (always 1 at capacity 1); the window is cut at booking.search_horizon. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';
COMMENT ON FUNCTION booking.check_availability(uuid, text, timestamptz, interval) IS
    'Whether a slot is free now: available, the conflicts in its way (for a calendar of capacity above 1, the reservations sharing it and places_left), and alternatives when it is not. Nothing is reserved: claim_slot or book does that. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';

-- Several calendars in one booking: a row per calendar, linked by set_id.
ALTER TABLE booking.reservations ADD COLUMN IF NOT EXISTS set_id uuid;
COMMENT ON COLUMN booking.reservations.set_id IS
    'The booking this reservation is one calendar of, when a claim or booking blocked several calendars at once (with_calendars): the id of its first reservation (the hold_id or appointment_id answered), the same on every row of the set. NULL for a booking of one calendar. Confirming, verifying, releasing, extending, cancelling and rescheduling one row of a set act on all of them.';
-- The rows of each set and series are found through a table of their own
-- (10_reservations.sql says why not an index of booking.reservations).
CREATE TABLE IF NOT EXISTS booking.reservation_links (
    org_id         uuid NOT NULL,
    link_id        uuid NOT NULL,
    reservation_id uuid NOT NULL,
    CONSTRAINT reservation_links_pkey PRIMARY KEY (org_id, link_id, reservation_id)
);
COMMENT ON TABLE booking.reservation_links IS
    'The reservations of each set (link_id is reservations.set_id) and each series (link_id is reservations.series_id), written with them: how the functions find every row of one to act on all. Owner-only.';
ALTER TABLE booking.reservation_links ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON booking.reservation_links FROM PUBLIC;
DO $do$
BEGIN
    -- Registered once (a second run, outside ALTER EXTENSION, could not).
    IF NOT EXISTS (SELECT FROM pg_extension e, unnest(e.extconfig) c
                   WHERE e.extname = 'booking' AND c = 'booking.reservation_links'::regclass) THEN
        PERFORM pg_catalog.pg_extension_config_dump('booking.reservation_links', '');
    END IF;
END
$do$;
INSERT INTO booking.access_profiles (profile, ordinal, kind, object) VALUES
    ('owner', 63, 'relation', 'reservation_links')
ON CONFLICT (profile, kind, object) DO NOTHING;

DO $do$ BEGIN PERFORM booking.upgrade_replace_function(
    'booking.claim_slot(uuid, text, timestamptz, interval, text, text, text, interval)',
    '{org_id,calendar_id,starts_at,duration,caller_ref,patient_phone,patient_name,ttl,with_calendars}', $sql$
CREATE FUNCTION booking.claim_slot(org_id uuid, calendar_id text, starts_at timestamptz,
                                   duration interval DEFAULT '30 minutes',
                                   caller_ref text DEFAULT NULL, patient_phone text DEFAULT NULL,
                                   patient_name text DEFAULT NULL, ttl interval DEFAULT NULL,
                                   with_calendars text[] DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_claim_slot'
LANGUAGE C VOLATILE PARALLEL UNSAFE
$sql$); END $do$;
COMMENT ON FUNCTION booking.claim_slot(uuid, text, timestamptz, interval, text, text, text, interval, text[]) IS
    'Holds a slot for ttl (default booking.hold_ttl) while the caller is verified. Answers the hold, or slot_unavailable / slot_in_past with alternatives, or busy/RETRY, or otp_locked when the caller''s hold awaits staff. A caller_ref holds one hold: the same slot again returns it, another slot moves it. with_calendars: the hold also blocks each listed calendar of the tenant for the same range (each with its own rules), all or nothing, one reservation per calendar linked by set_id; a refusal names the conflicting_calendar. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

DO $do$ BEGIN PERFORM booking.upgrade_replace_function(
    'booking.book(uuid, text, timestamptz, interval, uuid, uuid, text, jsonb, text)',
    '{org_id,calendar_id,starts_at,duration,contact_id,service_id,notes,metadata,idempotency_key,with_calendars}', $sql$
CREATE FUNCTION booking.book(org_id uuid, calendar_id text, starts_at timestamptz,
                             duration interval DEFAULT '30 minutes', contact_id uuid DEFAULT NULL,
                             service_id uuid DEFAULT NULL, notes text DEFAULT NULL,
                             metadata jsonb DEFAULT NULL, idempotency_key text DEFAULT NULL,
                             with_calendars text[] DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_book'
LANGUAGE C VOLATILE PARALLEL UNSAFE
$sql$); END $do$;
COMMENT ON FUNCTION booking.book(uuid, text, timestamptz, interval, uuid, uuid, text, jsonb, text, text[]) IS
    'Books a confirmed appointment in one call. Answers the appointment, or slot_unavailable with conflicting_appointment and alternatives, slot_in_past, busy/RETRY. A retried call with the same idempotency_key answers as the first did (replayed: true). with_calendars: the appointment also blocks each listed calendar of the tenant for the same range (each with its own rules), all or nothing, one reservation per calendar linked by set_id; a refusal names the conflicting_calendar. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
-- Only while this is its signature: release 0.4 replaced it, and the
-- script may run again on a database of a later release.
DO $do$
BEGIN
    IF to_regprocedure('booking.cancel_appointment(uuid, uuid, text, boolean)') IS NOT NULL THEN
        COMMENT ON FUNCTION booking.cancel_appointment(uuid, uuid, text, boolean) IS
        'Cancels a confirmed appointment (every calendar of its set), freeing its time. With erase_pii the patient''s name, phone, notes, metadata, caller_ref and the reason are removed from the row (also for an appointment cancelled earlier). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
    END IF;
END
$do$;
-- Only while this is its signature: release 0.4 replaced it, and the
-- script may run again on a database of a later release.
DO $do$
BEGIN
    IF to_regprocedure('booking.reschedule_appointment(uuid, uuid, timestamptz, interval)') IS NOT NULL THEN
        COMMENT ON FUNCTION booking.reschedule_appointment(uuid, uuid, timestamptz, interval) IS
        'Moves an appointment atomically (every calendar of its set, each with its own rules): either it moved, or nothing changed and the answer is slot_unavailable with alternatives. The appointment''s own old range does not count against it. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
    END IF;
END
$do$;

-- Recurring series: every row of a series carries its id; book_series and
-- cancel_series, for the profiles that book and cancel.
ALTER TABLE booking.reservations ADD COLUMN IF NOT EXISTS series_id uuid;
COMMENT ON COLUMN booking.reservations.series_id IS
    'The recurring series (book_series) this reservation is an occurrence of, the same on every row of the series (each calendar of each occurrence); NULL otherwise. cancel_series cancels the rest of it.';
DO $do$
BEGIN
    IF to_regproc('booking.book_series') IS NULL THEN
        EXECUTE $sql$
CREATE FUNCTION booking.book_series(org_id uuid, calendar_id text, first_starts_at timestamptz,
                                    duration interval, every interval, count integer,
                                    contact_id uuid DEFAULT NULL, service_id uuid DEFAULT NULL,
                                    notes text DEFAULT NULL, metadata jsonb DEFAULT NULL,
                                    with_calendars text[] DEFAULT NULL,
                                    idempotency_key text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_book_series'
LANGUAGE C VOLATILE PARALLEL UNSAFE
$sql$;
        REVOKE EXECUTE ON FUNCTION booking.book_series FROM PUBLIC;
    END IF;
    IF to_regproc('booking.cancel_series') IS NULL THEN
        EXECUTE $sql$
CREATE FUNCTION booking.cancel_series(org_id uuid, series_id uuid,
                                      from_starts_at timestamptz DEFAULT NULL,
                                      reason text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_cancel_series'
LANGUAGE C VOLATILE PARALLEL UNSAFE
$sql$;
        REVOKE EXECUTE ON FUNCTION booking.cancel_series FROM PUBLIC;
    END IF;
END
$do$;
COMMENT ON FUNCTION booking.book_series(uuid, text, timestamptz, interval, interval, integer, uuid, uuid, text, jsonb, text[], text) IS
    'Books a recurring series whole or not at all: count appointments (at most booking.max_series_count), the k-th at first_starts_at + k * every stepped in the calendar''s local time (a weekly 09:00 stays 09:00 across a daylight-saving change), each blocking with_calendars too. Answers {success, series_id, appointments: [{appointment_id, starts_at, ends_at}]}, or slot_unavailable with conflicts: [{starts_at, ends_at, error}] for each occurrence refused, nothing booked; busy/RETRY. A retried call with the same idempotency_key answers as the first did (replayed: true). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.cancel_series(uuid, uuid, timestamptz, text) IS
    'Cancels the rest of a series: every appointment of it (every calendar of each) starting at or after from_starts_at (NULL: now), each with its audit row. Answers {success, series_id, status: "cancelled", cancelled: [{appointment_id, starts_at, ends_at}]}; series_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
INSERT INTO booking.access_profiles (profile, ordinal, kind, object) VALUES
    ('agent', 60, 'function', 'book_series'),
    ('staff', 61, 'function', 'book_series'),
    ('staff', 62, 'function', 'cancel_series')
ON CONFLICT (profile, kind, object) DO NOTHING;

-- The read views show the set and the series a reservation belongs to
-- (new columns at the end: a replaced view keeps its own).
CREATE OR REPLACE VIEW booking.holds WITH (security_invoker = true) AS
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

CREATE OR REPLACE VIEW booking.appointments WITH (security_invoker = true) AS
SELECT org_id, id, calendar_id, starts_at, ends_at, status,
       contact_id, service_id, service_type, patient_name, patient_phone, notes, metadata,
       verified_at, confirmed_at, cancelled_at, status_reason, created_at, updated_at,
       set_id, series_id
FROM booking.reservations
WHERE status IN ('confirmed', 'cancelled', 'completed');
COMMENT ON VIEW booking.appointments IS
    'Confirmed reservations and their later states (cancelled, completed). set_id: the appointment of several calendars this row is one of; series_id: the recurring series it is an occurrence of.';

-- distribute_by_tenant() distributes the links of sets and series too.
CREATE OR REPLACE FUNCTION booking.distribute_by_tenant()
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    tenant_tables constant text[] := ARRAY['booking.reservations', 'booking.audit_log',
        'booking.calendars', 'booking.otp_codes', 'booking.event_queue', 'booking.event_log',
        'booking.reservation_links'];
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

DROP FUNCTION booking.upgrade_replace_function(text, text[], text);
DROP FUNCTION booking.upgrade_grant_as_database(text);
