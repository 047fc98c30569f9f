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
