-- The waitlist's contract (issue 24): its functions' signatures, defaults,
-- volatility and grants, the profiles that hold them, the table's keys and
-- indexes, the setting, and a COMMENT on every object.
BEGIN;
SELECT plan(23);

SELECT has_table('booking', 'waitlist', 'the waitlist is a table');
SELECT col_is_pk('booking', 'waitlist', ARRAY['org_id', 'id'], 'its key leads with org_id');
SELECT has_index('booking', 'waitlist', 'waitlist_waiting', ARRAY['org_id', 'calendar_id', 'id', 'from_ts', 'until_ts'],
                 'the waiting entries of a calendar in join order, their windows included');
SELECT has_index('booking', 'waitlist', 'waitlist_caller_ref', ARRAY['org_id', 'caller_ref']);
SELECT index_is_unique('booking', 'waitlist', 'waitlist_caller_ref');
SELECT has_index('booking', 'waitlist', 'waitlist_offers', ARRAY['org_id', 'hold_id']);
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'booking.waitlist'::regclass),
          'the waitlist has row-level security');
SELECT policies_are('booking', 'waitlist', ARRAY[]::name[], 'no policy: read through waitlist_status');

SELECT is(pg_get_function_arguments('booking.join_waitlist'::regproc),
    'org_id uuid, calendar_id text, from_ts timestamp with time zone, until_ts timestamp with time zone, duration interval DEFAULT ''00:30:00''::interval, patient_phone text DEFAULT NULL::text, patient_name text DEFAULT NULL::text, contact_id uuid DEFAULT NULL::uuid, caller_ref text DEFAULT NULL::text',
    'join_waitlist: its arguments and defaults');
SELECT is(pg_get_function_arguments('booking.leave_waitlist'::regproc), 'org_id uuid, waitlist_id uuid',
          'leave_waitlist: its arguments');
SELECT is(pg_get_function_arguments('booking.waitlist_status'::regproc), 'org_id uuid, waitlist_id uuid',
          'waitlist_status: its arguments');
SELECT is(ARRAY(SELECT proname || ':' || provolatile::text || ':' || format_type(prorettype, NULL)
                FROM pg_proc WHERE pronamespace = 'booking'::regnamespace
                AND proname IN ('join_waitlist', 'leave_waitlist', 'waitlist_status') ORDER BY 1),
          ARRAY['join_waitlist:v:jsonb', 'leave_waitlist:v:jsonb', 'waitlist_status:s:jsonb'],
          'one signature each, answering jsonb; waitlist_status is STABLE (PostgREST GET)');
SELECT function_privs_are('booking', 'join_waitlist',
    ARRAY['uuid', 'text', 'timestamp with time zone', 'timestamp with time zone', 'interval', 'text', 'text', 'uuid', 'text'],
    'public', ARRAY[]::text[], 'join_waitlist is not open to PUBLIC');
SELECT function_privs_are('booking', 'leave_waitlist', ARRAY['uuid', 'uuid'], 'public', ARRAY[]::text[],
                          'leave_waitlist is not open to PUBLIC');
SELECT function_privs_are('booking', 'waitlist_status', ARRAY['uuid', 'uuid'], 'public', ARRAY[]::text[],
                          'waitlist_status is not open to PUBLIC');

-- Profiles: with claim_slot (agent, staff); the table is the owner's.
SELECT is(ARRAY(SELECT profile FROM booking.access_profiles WHERE object = o ORDER BY 1),
          ARRAY(SELECT profile FROM booking.access_profiles WHERE object = 'claim_slot' ORDER BY 1),
          o || ' is granted with claim_slot')
FROM unnest(ARRAY['join_waitlist', 'leave_waitlist', 'waitlist_status']) o;
SELECT is(ARRAY(SELECT profile FROM booking.access_profiles WHERE object = 'waitlist'), ARRAY['owner'],
          'the waitlist table is the owner''s');

-- Every object has its COMMENT.
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'booking'::regnamespace
                AND p.proname IN ('join_waitlist', 'leave_waitlist', 'waitlist_status')
                AND obj_description(p.oid, 'pg_proc') IS NULL),
          ARRAY[]::text[], 'every waitlist function has a COMMENT');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                WHERE c.relnamespace = 'booking'::regnamespace AND c.relname LIKE 'waitlist%'
                AND c.relname <> 'waitlist_pkey'
                AND obj_description(c.oid, 'pg_class') IS NULL ORDER BY 1),
          ARRAY[]::text[], 'the table and each of its indexes but the key have a COMMENT');
SELECT is(ARRAY(SELECT conname::text FROM pg_constraint
                WHERE conrelid = 'booking.waitlist'::regclass AND contype = 'c'
                AND obj_description(oid, 'pg_constraint') IS NULL AND conname = 'waitlist_offer'),
          ARRAY[]::text[], 'the offer constraint says what it keeps');

-- The setting: 15 minutes by default, reloadable per call.
SELECT is((SELECT boot_val || ' ' || unit || ' ' || context FROM pg_settings WHERE name = 'booking.waitlist_offer_ttl'),
          '900 s user', 'booking.waitlist_offer_ttl: 15 minutes by default, settable per session');

SELECT * FROM finish();
ROLLBACK;
