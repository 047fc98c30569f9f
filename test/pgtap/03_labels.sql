-- What each function's declaration says where a DBA looks (\df+): its
-- volatility, parallel safety and strictness, every one as declared; no
-- function is SECURITY DEFINER, and none but the PL/pgSQL one
-- (distribute_by_tenant, which pins search_path to pg_catalog with a SET
-- clause) has a SET clause, since each C function pins its own search path
-- inside; and the comment of each says how it runs, and why the
-- ones that read are STABLE though they read the latest committed data.
BEGIN;
SELECT plan(54);

CREATE TEMP TABLE labels (name text, volatility "char", parallel "char", strict boolean) ON COMMIT DROP;
INSERT INTO labels VALUES
    ('ack_events', 'v', 'u', false),
    ('appointments_outside_hours', 's', 'u', false),
    ('bind_role', 'v', 'u', false),
    ('blocking_range', 'i', 's', true),
    ('book', 'v', 'u', false),
    ('book_appointment_with_lock', 'v', 'u', false),
    ('book_series', 'v', 'u', false),
    ('cached_table_changed', 'v', 'u', false),
    ('cancel_appointment', 'v', 'u', false),
    ('cancel_series', 'v', 'u', false),
    ('check_availability', 's', 'u', false),
    ('claim_slot', 'v', 'u', false),
    ('claim_slot_atomic', 'v', 'u', false),
    ('cleanup_expired_holds', 'v', 'u', false),
    ('confirm_held_slot', 'v', 'u', false),
    ('confirm_hold', 'v', 'u', false),
    ('create_event_consumer', 'v', 'u', false),
    ('current_org_id', 's', 's', false),
    ('distribute_by_tenant', 'v', 'u', false),
    ('drop_event_consumer', 'v', 'u', false),
    ('expire_holds', 'v', 'u', false),
    ('extend_hold', 'v', 'u', false),
    ('free_slots', 's', 'u', false),
    ('grant_access', 'v', 'u', false),
    ('guard_overlap', 'v', 'u', false),
    ('guard_overlap_end', 'v', 'u', false),
    ('import_appointments', 'v', 'u', false),
    ('new_audit_id', 'v', 'u', false),
    ('hold_status', 's', 'u', false),
    ('issue_otp', 'v', 'u', false),
    ('lock_wait_histogram', 'v', 's', false),
    ('read_events', 'v', 'u', false),
    ('refuse_view_write', 'v', 'u', false),
    ('release_hold', 'v', 'u', false),
    ('reschedule_appointment', 'v', 'u', false),
    ('revoke_access', 'v', 'u', false),
    ('set_calendar', 'v', 'u', false),
    ('set_pool', 'v', 'u', false),
    ('drop_pool', 'v', 'u', false),
    ('set_org_policy', 'v', 'u', false),
    ('org_policy', 's', 'u', false),
    ('slot_lock_key', 'i', 's', false),
    ('stats', 'v', 's', false),
    ('stats_reset', 'v', 'u', false),
    ('unbind_role', 'v', 'u', false),
    ('verify_otp', 'v', 'u', false),
    ('withdraw_otp', 'v', 'u', false),
    ('join_waitlist', 'v', 'u', false),
    ('leave_waitlist', 'v', 'u', false),
    ('waitlist_status', 's', 'u', false);

SELECT is((SELECT format('%s %s %s', p.provolatile, p.proparallel, p.proisstrict) FROM pg_proc p
           WHERE p.pronamespace = 'booking'::regnamespace AND p.proname = l.name),
          format('%s %s %s', l.volatility, l.parallel, l.strict),
          l.name || ': volatility, parallel safety and strictness as declared')
FROM labels l ORDER BY l.name;
SELECT is(ARRAY(SELECT proname::text FROM pg_proc WHERE pronamespace = 'booking'::regnamespace
                EXCEPT SELECT name FROM labels),
          ARRAY[]::text[], 'every function''s labels are checked here');
SELECT is(ARRAY(SELECT proname::text FROM pg_proc WHERE pronamespace = 'booking'::regnamespace
                AND (prosecdef OR (proconfig IS NOT NULL AND NOT (
                     prolang = (SELECT oid FROM pg_language WHERE lanname = 'plpgsql')
                     AND proconfig = '{search_path=pg_catalog}')))
                ORDER BY 1),
          ARRAY[]::text[], 'no function is SECURITY DEFINER; none sets a configuration but the PL/pgSQL one, which pins search_path (the C functions pin it inside)');
-- What a function does as the tables' owner, the comment says.
SELECT is(ARRAY(SELECT proname::text FROM pg_proc p WHERE pronamespace = 'booking'::regnamespace
                AND proname IN (SELECT object FROM booking.access_profiles
                                WHERE profile IN ('agent', 'sms_sender', 'staff') AND kind = 'function')
                AND obj_description(p.oid, 'pg_proc') NOT LIKE '%Security: runs as the caller (not SECURITY DEFINER)%'
                ORDER BY 1),
          ARRAY[]::text[], 'every tenant function''s comment says it runs as the caller, then as the tables'' owner');
SELECT is(ARRAY(SELECT proname::text FROM pg_proc p WHERE pronamespace = 'booking'::regnamespace
                AND provolatile = 's' AND proname <> 'current_org_id'
                AND obj_description(p.oid, 'pg_proc') NOT LIKE '%reads the latest committed data%'
                ORDER BY 1),
          ARRAY[]::text[], 'every STABLE reader''s comment says why, and that it reads the latest committed data');

SELECT * FROM finish();
ROLLBACK;
