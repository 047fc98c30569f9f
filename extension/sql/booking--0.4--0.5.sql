-- booking 0.4 -> 0.5. Every statement may run again on a database already at
-- 0.5 (IF NOT EXISTS, ON CONFLICT DO NOTHING, COMMENT), since Citus workers
-- run upgrade scripts too; the upgrade suite runs it a second time, after
-- the upgrade scripts before it, outside ALTER EXTENSION.
-- What it brings: pools and the waitlist (issue 24), each in its section.
\echo Use "ALTER EXTENSION booking UPDATE TO '0.5'" to load this file. \quit

-- ==== issue 24: pools ====
-- Pools (issue 24): the tables, set_pool and drop_pool, their profiles
-- (distribute_by_tenant learns the two new tenant tables below; call it
-- again on a Citus coordinator after the update).

CREATE TABLE IF NOT EXISTS booking.pools (
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
-- Registered once (a second run, outside ALTER EXTENSION, could not).
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension e, unnest(e.extconfig) c
                   WHERE e.extname = 'booking' AND c = 'booking.pools'::regclass) THEN
        PERFORM pg_catalog.pg_extension_config_dump('booking.pools', '');
    END IF;
END
$do$;

CREATE OR REPLACE TRIGGER pools_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.pools
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.pools ENABLE ALWAYS TRIGGER pools_changed;
COMMENT ON TRIGGER pools_changed ON booking.pools IS
    'Keeps the per-backend cache of which ids are pools in step with the table.';

ALTER TABLE booking.pools ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS pools_own_organisation ON booking.pools;
CREATE POLICY pools_own_organisation ON booking.pools
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY pools_own_organisation ON booking.pools IS
    'A tenant role sees only the pools of the organisation it acts in.';

-- The fairness counters live in their own rows, one per member, so a
-- booking moves its member's counter in its own transaction, under the
-- members' calendar locks, and the pool's definition (cached) stays
-- unchanged by bookings.
CREATE TABLE IF NOT EXISTS booking.pool_members (
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
-- Registered once (a second run, outside ALTER EXTENSION, could not).
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension e, unnest(e.extconfig) c
                   WHERE e.extname = 'booking' AND c = 'booking.pool_members'::regclass) THEN
        PERFORM pg_catalog.pg_extension_config_dump('booking.pool_members', '');
    END IF;
END
$do$;
ALTER TABLE booking.pool_members ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS pool_members_own_organisation ON booking.pool_members;
CREATE POLICY pool_members_own_organisation ON booking.pool_members
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY pool_members_own_organisation ON booking.pool_members IS
    'A tenant role sees only the pools of the organisation it acts in.';

CREATE OR REPLACE FUNCTION booking.set_pool(org_id uuid, pool_id text, calendars text[],
                                 strategy text DEFAULT 'round_robin', weights jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_set_pool'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.set_pool(uuid, text, text[], text, jsonb) IS
    'Creates or replaces a pool: 2 to 50 member calendars (each a calendar set up with set_calendar, none a pool, none twice), strategy round_robin or first_free, and round_robin''s weights {"calendar_id": 1..1000}. Anything else raises 22023 and changes nothing. Its id then goes wherever a calendar id does: join_waitlist waits for any member; claim_slot and book book one member free for the whole request (its rules included) and answer calendar_id (the member) and pool_id; check_availability answers available when some member is free; free_slots answers the union, places_left counting the free members; book_series and with_calendars refuse a pool (0A000). Writing a pool starts its counters afresh. Answers {success, pool_id, calendars, strategy}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE OR REPLACE FUNCTION booking.drop_pool(org_id uuid, pool_id text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_drop_pool'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.drop_pool(uuid, text) IS
    'Removes a pool and its counters; its members'' reservations stay. Answers {success, pool_id, dropped} (dropped false when there was none). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
REVOKE ALL ON booking.pools, booking.pool_members FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION booking.set_pool(uuid, text, text[], text, jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION booking.drop_pool(uuid, text) FROM PUBLIC;
-- distribute_by_tenant, knowing the pools' tables and the waitlist's, is made
-- once, in the waitlist's section below.
INSERT INTO booking.access_profiles (profile, ordinal, kind, object) VALUES
    ('staff', 80, 'function', 'set_pool'),
    ('staff', 81, 'function', 'drop_pool'),
    ('staff', 82, 'relation', 'pools'),
    ('staff', 83, 'relation', 'pool_members')
ON CONFLICT (profile, kind, object) DO NOTHING;
-- Roles that may set calendars before the update may manage pools.
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
          FROM (VALUES ('set_calendar', 'set_pool'), ('set_calendar', 'drop_pool')) n(had, granted),
               pg_proc p, aclexplode(p.proacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
         WHERE p.pronamespace = 'booking'::regnamespace AND p.proname = n.had
           AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner
         ORDER BY 1
    LOOP
        PERFORM booking.upgrade_grant_as_database(g);
    END LOOP;
    FOR g IN
        SELECT DISTINCT format('GRANT SELECT ON booking.%s TO %s', t.rel, quote_ident(r.rolname))
          FROM (VALUES ('pools'), ('pool_members')) t(rel),
               pg_class c, aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee
         WHERE c.oid = 'booking.calendars'::regclass AND a.privilege_type = 'SELECT'
           AND a.grantee <> c.relowner
         ORDER BY 1
    LOOP
        EXECUTE g;
    END LOOP;
END
$do$;
DROP FUNCTION booking.upgrade_grant_as_database(text);
-- ==== end issue 24: pools ====

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
