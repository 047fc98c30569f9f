-- booking 0.3 -> 0.4. Every statement may run again on a database already at
-- 0.4 (IF NOT EXISTS, ON CONFLICT DO NOTHING, COMMENT), since Citus workers
-- run upgrade scripts too; the upgrade suite runs it a second time, after
-- booking--0.1--0.2.sql and booking--0.2--0.3.sql, outside ALTER EXTENSION.
-- What it brings (issue 23, rules a clinic sets):
--   - a calendar's booking horizon and change notice:
--     booking.calendars.max_advance and change_notice, and set_calendar's
--     arguments of those names; force on cancel_appointment and
--     reschedule_appointment (each replaced: every role keeps the EXECUTE it
--     had on it, as a grant of the database);
--   - refusals by those rules audited (action refused) and counted
--     (booking.stats()'s rule_refusals; the function and its view replaced,
--     their grants kept);
--   - a calendar's limits per local day and ISO week:
--     booking.calendars.max_per_day and max_per_week, and set_calendar's
--     arguments of those names (set_calendar above takes them);
--   - an organisation's own policy: booking.org_policies, set_org_policy and
--     org_policy, the contact cap and the SMS cost guard's
--     booking.contact_locks (the last section but one);
--   - the indexes the contact cap counts with (reservations_contact,
--     reservations_contact_phone; the last section but one);
--   - the comments of the functions a contact cap now answers for too
--     (confirm_hold, verify_otp) and of book_series, whose refusals by a
--     rule are audited (the last section).
\echo Use "ALTER EXTENSION booking UPDATE TO '0.4'" to load this file. \quit

-- Replacing a function keeps its grants: the old one's EXECUTE grants are
-- given to the new one as the database's own (booking.upgrade_grant_as_database),
-- not as the extension's initial privileges, which pg_dump leaves out and
-- which, from PostgreSQL 17, would keep a role from being dropped; as
-- booking--0.1--0.2.sql does. Helpers for this script only, dropped at its end.
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

-- The booking horizon: nothing may start later than now plus max_advance.
-- Calendars set before the update have none (NULL), as before.
ALTER TABLE booking.calendars ADD COLUMN IF NOT EXISTS max_advance interval;
COMMENT ON COLUMN booking.calendars.max_advance IS
    'The booking horizon: nothing may start later than now plus this (claim_slot, book, reschedule_appointment and book_series answer too_far_ahead, with alternatives inside it; free_slots and alternatives offer nothing beyond it). 0 to 36525 days; NULL, the default, means no horizon.';

DO $do$ BEGIN PERFORM booking.upgrade_replace_function(
    'booking.set_calendar(uuid, text, text, interval, interval, interval, interval, jsonb, integer)',
    '{org_id,calendar_id,time_zone,slot_step,buffer_before,buffer_after,min_notice,working_hours,capacity,max_advance,change_notice,max_per_day,max_per_week}', $sql$
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
LANGUAGE C VOLATILE PARALLEL UNSAFE
$sql$); END $do$;
COMMENT ON FUNCTION booking.set_calendar(uuid, text, text, interval, interval, interval, interval, jsonb, integer, interval, interval, integer, integer) IS
    'Creates or updates a calendar''s settings: IANA time zone, step grid (NULL: booking.slot_step), buffers kept between neighbours, minimum notice, working hours per ISO weekday in local time (NULL: open at all hours), capacity, how many blocking reservations it accepts at one instant (1 to 1000), and max_advance, the booking horizon (0 to 36525 days; NULL: none): nothing may start later than now plus it (too_far_ahead), and change_notice (0 to 36525 days; NULL: none): an appointment starting sooner than that from now is not cancelled or moved without force (too_late_to_change); max_per_day and max_per_week (1 to 100000; NULL: none): at most that many blocking reservations start on one local day, or in one ISO week (Monday first), of its time zone (limit_reached). Answers {success, calendar_id, time_zone, capacity (when not 1), max_advance, change_notice, max_per_day and max_per_week (when set)}. Changing them never moves or cancels existing reservations; appointments_outside_hours() lists those left outside; a raised capacity applies to the live reservations too, a lowered one leaves them their places. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.free_slots(uuid, text, timestamptz, timestamptz, interval, integer) IS
    'Free slots of the given duration on the calendar''s grid within [from_ts, until_ts), earliest first, at most max_results (1..1000), each with places_left, how many more reservations of that slot its calendar would take (always 1 at capacity 1); the window is cut at booking.search_horizon, and at the calendar''s max_advance (nothing starting later than now plus it); no slot starts on a local day or ISO week that the calendar''s max_per_day or max_per_week has filled. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';

-- The change notice: an appointment starting sooner than this from now is
-- cancelled or moved only with force. Calendars set before the update have
-- none (NULL), as before.
ALTER TABLE booking.calendars ADD COLUMN IF NOT EXISTS change_notice interval;
COMMENT ON COLUMN booking.calendars.change_notice IS
    'How long before its start an appointment may still be cancelled or moved by a caller: cancel_appointment and reschedule_appointment of one that starts sooner than this from now answer too_late_to_change (ESCALATE_TO_HUMAN), unless a person passes force (recorded as details.forced in the audit row). 0 to 36525 days; NULL, the default, means none.';

DO $do$ BEGIN PERFORM booking.upgrade_replace_function(
    'booking.cancel_appointment(uuid, uuid, text, boolean)',
    '{org_id,appointment_id,reason,erase_pii,force}', $sql$
CREATE FUNCTION booking.cancel_appointment(org_id uuid, appointment_id uuid,
                                           reason text DEFAULT NULL, erase_pii boolean DEFAULT false,
                                           force boolean DEFAULT false)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_cancel_appointment'
LANGUAGE C VOLATILE PARALLEL UNSAFE
$sql$); END $do$;
COMMENT ON FUNCTION booking.cancel_appointment(uuid, uuid, text, boolean, boolean) IS
    'Cancels a confirmed appointment (every calendar of its set), freeing its time. With erase_pii the patient''s name, phone, notes, metadata, caller_ref and the reason are removed from the row (also for an appointment cancelled earlier). An appointment that starts sooner than its calendar''s change_notice from now is not cancelled: too_late_to_change (ESCALATE_TO_HUMAN); force, a person''s decision, bypasses it and the audit row says details.forced = true. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

DO $do$ BEGIN PERFORM booking.upgrade_replace_function(
    'booking.reschedule_appointment(uuid, uuid, timestamptz, interval)',
    '{org_id,appointment_id,new_starts_at,new_duration,force}', $sql$
CREATE FUNCTION booking.reschedule_appointment(org_id uuid, appointment_id uuid,
                                               new_starts_at timestamptz,
                                               new_duration interval DEFAULT NULL,
                                               force boolean DEFAULT false)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_reschedule_appointment'
LANGUAGE C VOLATILE PARALLEL UNSAFE
$sql$); END $do$;
COMMENT ON FUNCTION booking.reschedule_appointment(uuid, uuid, timestamptz, interval, boolean) IS
    'Moves an appointment atomically (every calendar of its set, each with its own rules): either it moved, or nothing changed and the answer is slot_unavailable with alternatives. The appointment''s own old range does not count against it. An appointment that starts sooner than its calendar''s change_notice from now is not moved: too_late_to_change (ESCALATE_TO_HUMAN); force, a person''s decision, bypasses it and the audit rows say details.forced = true. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

-- booking.stats() gains rule_refusals (calls refused by a rule a clinic sets).
-- The function and its view are made again. pg_monitor's grants are the
-- extension's own, as in a fresh install (99_access.sql), so they are plain
-- GRANTs of this script and made first; every other role's come back as the
-- database's (booking.upgrade_grant_as_database), as before the update.
DO $do$
DECLARE
    grants text[];
    g text;
BEGIN
    IF (SELECT 'rule_refusals' = ANY (proargnames) FROM pg_proc WHERE oid = 'booking.stats()'::regprocedure) THEN
        RETURN;
    END IF;
    SELECT array_agg(g0) INTO grants FROM (
        SELECT format('GRANT EXECUTE ON FUNCTION booking.stats() TO %s',
                      CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END) AS g0
          FROM pg_proc p, aclexplode(p.proacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
         WHERE p.oid = 'booking.stats()'::regprocedure AND a.privilege_type = 'EXECUTE'
           AND a.grantee NOT IN (p.proowner, 'pg_monitor'::regrole)
        UNION ALL
        SELECT format('GRANT SELECT ON booking.stats TO %s',
                      CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END)
          FROM pg_class c, aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
         WHERE c.oid = 'booking.stats'::regclass AND a.privilege_type = 'SELECT'
           AND a.grantee NOT IN (c.relowner, 'pg_monitor'::regrole)) q;
    DROP VIEW booking.stats;
    DROP FUNCTION booking.stats();
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
    REVOKE EXECUTE ON FUNCTION booking.stats() FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION booking.stats() TO pg_monitor;
    CREATE VIEW booking.stats WITH (security_invoker = true) AS
    SELECT * FROM booking.stats();
    REVOKE ALL ON booking.stats FROM PUBLIC;
    GRANT SELECT ON booking.stats TO pg_monitor;
    FOREACH g IN ARRAY coalesce(grants, '{}') LOOP
        PERFORM booking.upgrade_grant_as_database(g);
    END LOOP;
END
$do$;
COMMENT ON FUNCTION booking.stats() IS
    'Live statistics of the whole server (all databases) since it started or since stats_reset(): counts of claims, bookings, confirms, releases, extensions, cancellations, reschedules, expiries, conflicts (slot_unavailable), busy answers, calls refused by a rule a clinic sets (rule_refusals: too_far_ahead, too_late_to_change and the like, each with its audit row refused), codes sent, matched and missed, lockouts; calendar lock requests and their waits (p50/p99 over all requests, 0 when granted at once); and the expiry worker''s state; node says which server they describe (cluster_name, else its port: on a Citus cluster each node has its own). Without preloading: preloaded is false, the rest NULL, and a NOTICE says why. The figures are every tenant''s together: a role that acts in one organisation (bound, or naming one in booking.org_id or its JWT claims) reads none of them, whatever it was granted (42501); the extension''s owner and members of pg_monitor always read them.';
COMMENT ON VIEW booking.stats IS
    'booking.stats() as a view, for dashboards and exporters that read relations.';
COMMENT ON COLUMN booking.audit_log.action IS
    'claimed, released, expired, extended, confirmed, booked, cancelled, pii_erased, rescheduled, otp_sent, otp_withdrawn (a code taken back because its SMS could not be sent; details.sends: the hold''s sends after it), otp_attempt (details.result: match, mismatch, expired, key_rotated, not_issued, invalid_format), locked, role_bound, role_unbound (details.role), calendar_set (no entity_id; details: the calendar''s settings), refused (a call refused by a rule a clinic sets, nothing else changed; entity_id: the appointment when one was named; details: rule, error, calendar_id, starts_at).';
-- The limits per local day and ISO week. Calendars set before the update
-- have none (NULL), as before.
ALTER TABLE booking.calendars ADD COLUMN IF NOT EXISTS max_per_day integer;
ALTER TABLE booking.calendars ADD COLUMN IF NOT EXISTS max_per_week integer;
COMMENT ON COLUMN booking.calendars.max_per_day IS
    'At most this many blocking reservations (live holds, appointments awaiting staff, confirmed ones; each counts once, whatever the capacity) start on one local day of the calendar''s time zone: the next claim_slot, book, reschedule_appointment or book_series occurrence answers limit_reached (limit "max_per_day", OFFER_ALTERNATIVES, alternatives on days with room); free_slots and alternatives offer nothing on a full day. 1 to 100000; NULL, the default, means no limit.';
COMMENT ON COLUMN booking.calendars.max_per_week IS
    'The same per ISO week (Monday to Sunday, local days of the calendar''s time zone): limit_reached with limit "max_per_week", alternatives in weeks with room. 1 to 100000; NULL, the default, means no limit.';

DROP FUNCTION booking.upgrade_replace_function(text, text[], text);
DROP FUNCTION booking.upgrade_grant_as_database(text);

-- An organisation's own policy (set_org_policy, org_policy), the contact cap
-- (max_active_per_contact) and the SMS cost guard (otp_sends_per_phone_hour):
-- their tables, functions and profile rows. On Citus, the owner calls
-- booking.distribute_by_tenant() again after the update: it distributes the
-- two new tables with the others and delegates the new functions.

CREATE TABLE IF NOT EXISTS booking.org_policies (
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
-- Registered once (a second run, outside ALTER EXTENSION, could not).
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension e, unnest(e.extconfig) c
                   WHERE e.extname = 'booking' AND c = 'booking.org_policies'::regclass) THEN
        PERFORM pg_catalog.pg_extension_config_dump('booking.org_policies', '');
    END IF;
END
$do$;
CREATE OR REPLACE TRIGGER org_policies_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.org_policies
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.org_policies ENABLE ALWAYS TRIGGER org_policies_changed;
COMMENT ON TRIGGER org_policies_changed ON booking.org_policies IS
    'Keeps the per-backend copy of the organisations'' policies in step with the table: every session sees a change at its next transaction.';
ALTER TABLE booking.org_policies ENABLE ROW LEVEL SECURITY;

CREATE TABLE IF NOT EXISTS booking.contact_locks (
    org_id      uuid          NOT NULL,
    contact_key text          NOT NULL,
    touched_at  timestamptz   NOT NULL,
    sends       timestamptz[] NOT NULL DEFAULT '{}',
    CONSTRAINT contact_locks_pkey PRIMARY KEY (org_id, contact_key)
);
COMMENT ON TABLE booking.contact_locks IS
    'One row per contact or phone a rule counts for (contact_key: c:<contact_id> or p:<digits> for the contact cap, sms:<digits> for the SMS cost guard), locked by the call that counts: its row lock, on the tenant''s shard, serialises the callers of one contact across calendars and across Citus nodes, which an advisory lock could not. sends: the SMS guard''s sends to the phone in the last hour. Rows untouched for a day are deleted by expire_holds. Owner-only; not dumped (a restore starts the windows afresh).';
CREATE INDEX IF NOT EXISTS contact_locks_touched ON booking.contact_locks (touched_at);
COMMENT ON INDEX booking.contact_locks_touched IS 'Idle rows, for expire_holds().';
ALTER TABLE booking.contact_locks ENABLE ROW LEVEL SECURITY;

CREATE OR REPLACE FUNCTION booking.set_org_policy(org_id uuid, hold_ttl interval DEFAULT NULL,
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

CREATE OR REPLACE FUNCTION booking.org_policy(org_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_org_policy'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.org_policy(uuid) IS
    'The organisation''s limits in effect for a call in this session, as set_org_policy answers them: {success, policy: {hold_ttl, max_hold_ttl, otp_digits, otp_ttl, otp_max_attempts, otp_max_sends, otp_resend_interval, max_active_per_contact (0: no cap), otp_sends_per_phone_hour}}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';
REVOKE EXECUTE ON FUNCTION booking.set_org_policy(uuid, interval, interval, integer, interval, integer, integer, interval, integer, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION booking.org_policy(uuid) FROM PUBLIC;
REVOKE ALL ON booking.org_policies, booking.contact_locks FROM PUBLIC;
COMMENT ON COLUMN booking.audit_log.action IS
    'claimed, released, expired, extended, confirmed, booked, cancelled, pii_erased, rescheduled, otp_sent, otp_withdrawn (a code taken back because its SMS could not be sent; details.sends: the hold''s sends after it), otp_attempt (details.result: match, mismatch, expired, key_rotated, not_issued, invalid_format), locked, role_bound, role_unbound (details.role), calendar_set (no entity_id; details: the calendar''s settings), refused (a call refused by a rule a clinic sets, nothing else changed; entity_id: the appointment when one was named; details: rule, error, calendar_id, starts_at), org_policy_set (no entity_id; details.policy: the values the organisation set).';
CREATE OR REPLACE FUNCTION booking.distribute_by_tenant()
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    tenant_tables constant text[] := ARRAY['booking.reservations', 'booking.audit_log',
        'booking.calendars', 'booking.otp_codes', 'booking.event_queue', 'booking.event_log',
        'booking.reservation_links', 'booking.org_policies', 'booking.contact_locks'];
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
INSERT INTO booking.access_profiles (profile, ordinal, kind, object) VALUES
    ('staff', 65, 'function', 'set_org_policy'),
    ('agent', 66, 'function', 'org_policy'),
    ('staff', 67, 'function', 'org_policy'),
    ('owner', 68, 'relation', 'org_policies'),
    ('owner', 69, 'relation', 'contact_locks')
ON CONFLICT (profile, kind, object) DO NOTHING;

-- Roles granted a profile before the update get its new functions, as
-- grants of the database (as booking--0.2--0.3.sql gives withdraw_otp):
-- whoever may set a calendar may set the policy, whoever may claim may read
-- it.
CREATE OR REPLACE FUNCTION booking.upgrade_grant_as_database(statement text)
RETURNS void
AS 'MODULE_PATHNAME', 'booking_grant_as_database'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION booking.upgrade_grant_as_database(text) FROM PUBLIC;
DO $do$
DECLARE
    g text;
BEGIN
    FOR g IN
        SELECT format('GRANT EXECUTE ON FUNCTION booking.%s TO %s', n.granted,
                      CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END)
          FROM (VALUES ('set_calendar', 'set_org_policy'), ('claim_slot', 'org_policy')) n(had, granted),
               pg_proc p, aclexplode(p.proacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
         WHERE p.pronamespace = 'booking'::regnamespace AND p.proname = n.had
           AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner
         ORDER BY 1
    LOOP
        PERFORM booking.upgrade_grant_as_database(g);
    END LOOP;
END
$do$;
DROP FUNCTION booking.upgrade_grant_as_database(text);

-- What the contact cap (max_active_per_contact) counts: a contact's future
-- blocking reservations, by its contact_id, else by its phone's digits; so
-- the count reads the contact's rows, not the organisation's.
CREATE INDEX IF NOT EXISTS reservations_contact ON booking.reservations (org_id, contact_id, starts_at)
    WHERE contact_id IS NOT NULL AND status IN ('held', 'requires_manual_followup', 'confirmed');
COMMENT ON INDEX booking.reservations_contact IS
    'Blocking reservations of each contact (contact_id) by start: what the contact cap (max_active_per_contact) counts.';
CREATE INDEX IF NOT EXISTS reservations_contact_phone ON booking.reservations
    (org_id, (pg_catalog.regexp_replace(patient_phone, '[^0-9]', '', 'g')), starts_at)
    WHERE contact_id IS NULL AND patient_phone IS NOT NULL AND status IN ('held', 'requires_manual_followup', 'confirmed');
COMMENT ON INDEX booking.reservations_contact_phone IS
    'Blocking reservations without a contact_id by their phone''s digits and start: what the contact cap (max_active_per_contact) counts for a caller known by phone alone.';

-- A confirm for a contact obeys the contact cap (contact_limit_reached), and a
-- series refused by a clinic's rule is audited: the comments of those
-- functions say so.
COMMENT ON FUNCTION booking.confirm_hold(uuid, uuid, uuid, text, jsonb) IS
    'Staff/back-office confirmation without a code: the same reservation becomes the appointment (appointment_id = hold_id), so the slot is never free in between. Errors hold_not_found, hold_expired, hold_not_active; with a contact_id, contact_limit_reached (ESCALATE_TO_HUMAN, audited as refused, the hold left held) when the contact already holds the organisation''s max_active_per_contact upcoming bookings, the hold itself not counted. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.verify_otp(uuid, uuid, text, uuid, text) IS
    'Checks a code as a voice transcript delivers it (spaces, dashes, dots, commas ignored), in constant time. A match confirms the hold in the same transaction: {success, appointment_id}. Otherwise otp_mismatch (attempts_left), otp_locked at the last allowed miss (the hold waits for staff), otp_expired, otp_not_issued, otp_invalid_format (not counted); with a contact_id, contact_limit_reached as confirm_hold answers it, before the code is judged (not counted). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.book_series(uuid, text, timestamptz, interval, interval, integer, uuid, uuid, text, jsonb, text[], text) IS
    'Books a recurring series whole or not at all: count appointments (at most booking.max_series_count), the k-th at first_starts_at + k * every stepped in the calendar''s local time (a weekly 09:00 stays 09:00 across a daylight-saving change), each blocking with_calendars too. Answers {success, series_id, appointments: [{appointment_id, starts_at, ends_at}]}, or slot_unavailable with conflicts: [{starts_at, ends_at, error}] for each occurrence refused, nothing booked (a refusal by a clinic''s rule, too_far_ahead or limit_reached, is audited as one refused row for the call); contact_limit_reached; busy/RETRY. A retried call with the same idempotency_key answers as the first did (replayed: true). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

-- ==== issue 24: waitlist ====
-- The waitlist (extension/sql/78_waitlist.sql): its table and functions, the
-- setting booking.waitlist_offer_ttl (the library's), the audit action
-- waitlist_offered, the table distributed with the others, and the profiles.

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
-- Marked once: run again outside ALTER EXTENSION (a Citus worker), the
-- mark is there already.
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension e, unnest(e.extconfig) c
                   WHERE e.extname = 'booking' AND c = 'booking.waitlist'::regclass) THEN
        PERFORM pg_catalog.pg_extension_config_dump('booking.waitlist', '');
    END IF;
END
$do$;
ALTER TABLE booking.waitlist ENABLE ROW LEVEL SECURITY;

CREATE OR REPLACE FUNCTION booking.join_waitlist(org_id uuid, calendar_id text, from_ts timestamptz,
                                                 until_ts timestamptz, duration interval DEFAULT '30 minutes',
                                                 patient_phone text DEFAULT NULL, patient_name text DEFAULT NULL,
                                                 contact_id uuid DEFAULT NULL, caller_ref text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_join_waitlist'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.join_waitlist(uuid, text, timestamptz, timestamptz, interval, text, text, uuid, text) IS
    'Puts a caller on the calendar''s waitlist for a slot of duration starting and ending within [from_ts, until_ts): {success, waitlist_id, position, status: "waiting"}; position counts the live entries of the calendar that joined earlier, plus one. When a write frees time on the calendar (cancel, release, reschedule, a lapsed hold swept), the earliest-joined waiting entry whose window holds a free slot gets a hold on the earliest one (caller_ref ''waitlist:'' || waitlist_id, TTL booking.waitlist_offer_ttl) in the same transaction, and the event waitlist_offered. A caller_ref has one live entry: joining again answers it (existing: true). A window that ends before it starts, is shorter than the duration or has passed raises 22023. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

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

COMMENT ON COLUMN booking.audit_log.action IS
    'claimed, released, expired, extended, confirmed, booked, cancelled, pii_erased, rescheduled, otp_sent, otp_withdrawn (a code taken back because its SMS could not be sent; details.sends: the hold''s sends after it), otp_attempt (details.result: match, mismatch, expired, key_rotated, not_issued, invalid_format), locked, role_bound, role_unbound (details.role), calendar_set (no entity_id; details: the calendar''s settings), refused (a call refused by a rule a clinic sets, nothing else changed; entity_id: the appointment when one was named; details: rule, error, calendar_id, starts_at), org_policy_set (no entity_id; details.policy: the values the organisation set), waitlist_offered (entity_id: the offered hold; details: calendar_id, waitlist_id, starts_at, ends_at, expires_at).';

CREATE OR REPLACE FUNCTION booking.distribute_by_tenant()
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    tenant_tables constant text[] := ARRAY['booking.reservations', 'booking.audit_log',
        'booking.calendars', 'booking.otp_codes', 'booking.event_queue', 'booking.event_log',
        'booking.reservation_links', 'booking.org_policies', 'booking.contact_locks',
        'booking.waitlist'];
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

INSERT INTO booking.access_profiles (profile, ordinal, kind, object) VALUES
    ('agent', 70, 'function', 'join_waitlist'),
    ('agent', 71, 'function', 'leave_waitlist'),
    ('agent', 72, 'function', 'waitlist_status'),
    ('staff', 73, 'function', 'join_waitlist'),
    ('staff', 74, 'function', 'leave_waitlist'),
    ('staff', 75, 'function', 'waitlist_status'),
    ('owner', 76, 'relation', 'waitlist')
ON CONFLICT (profile, kind, object) DO NOTHING;
REVOKE EXECUTE ON FUNCTION booking.join_waitlist(uuid, text, timestamptz, timestamptz, interval, text, text, uuid, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION booking.leave_waitlist(uuid, uuid) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION booking.waitlist_status(uuid, uuid) FROM PUBLIC;
REVOKE ALL ON booking.waitlist FROM PUBLIC;

-- Roles granted a profile before the update get the waitlist with claim_slot,
-- as grants of the database (as above for set_org_policy).
CREATE OR REPLACE FUNCTION booking.upgrade_grant_as_database(statement text)
RETURNS void
AS 'MODULE_PATHNAME', 'booking_grant_as_database'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION booking.upgrade_grant_as_database(text) FROM PUBLIC;
DO $do$
DECLARE
    g text;
BEGIN
    FOR g IN
        SELECT format('GRANT EXECUTE ON FUNCTION booking.%s TO %s', n.granted,
                      CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END)
          FROM (VALUES ('claim_slot', 'join_waitlist'), ('claim_slot', 'leave_waitlist'),
                       ('claim_slot', 'waitlist_status')) n(had, granted),
               pg_proc p, aclexplode(p.proacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
         WHERE p.pronamespace = 'booking'::regnamespace AND p.proname = n.had
           AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner
         ORDER BY 1
    LOOP
        PERFORM booking.upgrade_grant_as_database(g);
    END LOOP;
END
$do$;
DROP FUNCTION booking.upgrade_grant_as_database(text);
-- ==== end issue 24: waitlist ====
