-- Who may call and read what. booking.access_profiles is the one list of it
-- (extension/sql/99_access.sql): grant_access and revoke_access read it, the
-- install script grants PUBLIC and pg_monitor from it, and every function
-- and relation of the schema is in it, so a new one in no row fails here.
BEGIN;
SELECT plan(29);

CREATE TEMP VIEW listed AS SELECT profile, object, kind FROM booking.access_profiles;
CREATE TEMP VIEW grantable AS SELECT * FROM listed WHERE profile NOT IN ('public', 'owner');

-- Everything of the schema is in the list, and the list names nothing else.
SELECT is(ARRAY(SELECT proname::text FROM pg_proc WHERE pronamespace = 'booking'::regnamespace
                EXCEPT SELECT object FROM listed WHERE kind = 'function' ORDER BY 1),
          ARRAY[]::text[], 'every function of the schema is in a profile, or public (pure helpers), or the owner''s');
SELECT is(ARRAY(SELECT relname::text FROM pg_class
                WHERE relnamespace = 'booking'::regnamespace AND relkind IN ('r', 'v')
                EXCEPT SELECT object FROM listed WHERE kind = 'relation' ORDER BY 1),
          ARRAY[]::text[], 'every table and view of the schema is in a profile, or the owner''s');
SELECT is(ARRAY(SELECT object FROM listed WHERE kind = 'function'
                EXCEPT SELECT proname::text FROM pg_proc WHERE pronamespace = 'booking'::regnamespace),
          ARRAY[]::text[], 'every function the list names exists');
SELECT is(ARRAY(SELECT object FROM listed WHERE kind = 'relation'
                EXCEPT SELECT relname::text FROM pg_class WHERE relnamespace = 'booking'::regnamespace),
          ARRAY[]::text[], 'every relation the list names exists');
SELECT is(ARRAY(SELECT object FROM listed WHERE profile IN ('public', 'owner')
                INTERSECT SELECT object FROM grantable ORDER BY 1),
          ARRAY[]::text[], 'what is public or the owner''s is in no profile');

-- The install script's grants come from the list.
SELECT is(ARRAY(SELECT proname::text FROM pg_proc WHERE pronamespace = 'booking'::regnamespace
                AND has_function_privilege('public', oid, 'EXECUTE') ORDER BY 1),
          ARRAY(SELECT object FROM listed WHERE profile = 'public' ORDER BY 1),
          'PUBLIC may execute the public rows and nothing else');
SELECT is(ARRAY(SELECT proname::text FROM pg_proc WHERE pronamespace = 'booking'::regnamespace
                AND has_function_privilege('pg_monitor', oid, 'EXECUTE')
                AND NOT has_function_privilege('public', oid, 'EXECUTE') ORDER BY 1),
          ARRAY(SELECT object FROM grantable WHERE profile = 'monitor' AND kind = 'function' ORDER BY 1),
          'pg_monitor holds the monitor profile''s functions');
SELECT ok(has_table_privilege('pg_monitor', 'booking.stats', 'SELECT'), 'pg_monitor reads the stats view');

-- grant_access gives a profile's rows in their order, after the schema.
CREATE ROLE tap_profile_agent NOLOGIN;
SELECT is(booking.grant_access('tap_profile_agent', 'agent'),
          ARRAY['GRANT USAGE ON SCHEMA booking TO tap_profile_agent']
          || ARRAY(SELECT 'GRANT EXECUTE ON FUNCTION booking.' || object || ' TO tap_profile_agent'
                   FROM booking.access_profiles WHERE profile = 'agent' ORDER BY ordinal),
          'grant_access grants the agent rows, in order');
SELECT throws_ok($$SELECT booking.grant_access('tap_profile_agent', 'janitor')$$, '22023',
                 'unknown access profile "janitor"', 'an unknown name is no profile');
SELECT throws_ok($$SELECT booking.grant_access('tap_profile_agent', 'owner')$$, '22023',
                 'unknown access profile "owner"', 'the owner''s rows are no profile to grant');
SELECT throws_ok($$SELECT booking.grant_access('tap_profile_agent', 'public')$$, '22023',
                 'unknown access profile "public"', 'nor are the public rows');

-- What each profile holds, and never holds.
SELECT is(ARRAY(SELECT profile FROM grantable WHERE object = 'issue_otp' ORDER BY 1), ARRAY['sms_sender'],
          'only the SMS sender issues codes');
SELECT is(ARRAY(SELECT profile FROM grantable WHERE object = 'withdraw_otp' ORDER BY 1),
          ARRAY(SELECT profile FROM grantable WHERE object = 'issue_otp' ORDER BY 1),
          'whoever issues codes, and only they, takes back those that could not be sent');
SELECT ok(EXISTS (SELECT FROM grantable WHERE profile = 'agent' AND object = 'verify_otp')
          AND EXISTS (SELECT FROM grantable WHERE profile = 'agent' AND object = 'claim_slot'),
          'agents claim and verify');
SELECT is(ARRAY(SELECT object FROM grantable WHERE profile = 'agent'
                AND object IN ('confirm_hold', 'cancel_appointment', 'reschedule_appointment', 'confirm_held_slot')),
          ARRAY[]::text[], 'agents do not confirm without a code, cancel or reschedule');
-- An organisation's policy: staff set it; agents read it too.
SELECT is(ARRAY(SELECT profile FROM grantable WHERE object = 'set_org_policy' ORDER BY 1),
          ARRAY['staff'], 'only staff set an organisation''s policy');
SELECT is(ARRAY(SELECT profile FROM grantable WHERE object = 'org_policy' ORDER BY 1),
          ARRAY['agent', 'staff'], 'agents and staff read it');
-- A series books like book, for the agent and staff; cancelling the rest of
-- one is staff's, like cancel_appointment.
SELECT is(ARRAY(SELECT profile FROM grantable WHERE object = 'book_series' ORDER BY 1),
          ARRAY(SELECT profile FROM grantable WHERE object = 'book' ORDER BY 1),
          'book_series is granted with book: agents and staff');
SELECT is(ARRAY(SELECT profile FROM grantable WHERE object = 'cancel_series' ORDER BY 1),
          ARRAY(SELECT profile FROM grantable WHERE object = 'cancel_appointment' ORDER BY 1),
          'cancel_series is granted with cancel_appointment: staff only');
SELECT is(ARRAY(SELECT object FROM grantable WHERE profile = 'staff'
                AND object IN ('confirm_hold', 'cancel_appointment', 'reschedule_appointment') ORDER BY 1),
          ARRAY['cancel_appointment', 'confirm_hold', 'reschedule_appointment'], 'staff confirm, cancel and reschedule');
SELECT is(ARRAY(SELECT object FROM grantable WHERE profile = 'staff' AND kind = 'relation' ORDER BY 1),
          ARRAY['appointments', 'audit_log', 'calendars', 'holds', 'pool_members', 'pools', 'reservations'],
          'staff read their organisation''s reservations, audit log, calendars and pools');
SELECT is(ARRAY(SELECT object FROM grantable WHERE kind = 'function' AND object IN ('set_pool', 'drop_pool')
                AND profile = 'staff' ORDER BY 1),
          ARRAY['drop_pool', 'set_pool'], 'staff manage pools, as they set calendars');
SELECT is(ARRAY(SELECT object FROM grantable WHERE kind = 'function' AND object IN ('set_pool', 'drop_pool')
                AND profile <> 'staff'),
          ARRAY[]::text[], 'nobody else manages pools');
SELECT is(ARRAY(SELECT object FROM grantable WHERE kind = 'relation' AND object IN ('otp_codes', 'otp_secret')),
          ARRAY[]::text[], 'no profile reads the codes or the key');
SELECT is(ARRAY(SELECT object FROM grantable WHERE profile = 'monitor' ORDER BY 1),
          ARRAY['lock_wait_histogram', 'stats', 'stats'], 'the monitor reads the server-wide statistics');
SELECT is(ARRAY(SELECT profile FROM grantable WHERE object IN ('stats', 'lock_wait_histogram', 'stats_reset')
                AND profile <> 'monitor'),
          ARRAY[]::text[], 'no tenant profile reads the server-wide statistics, and none resets them');
SELECT is(ARRAY(SELECT object FROM grantable WHERE object IN ('bind_role', 'unbind_role', 'grant_access', 'revoke_access')),
          ARRAY[]::text[], 'only the owner binds roles and grants profiles');
SELECT is(ARRAY(SELECT profile || ':' || object FROM grantable
                WHERE object IN ('create_event_consumer', 'drop_event_consumer', 'read_events', 'ack_events') ORDER BY 1),
          ARRAY['staff:ack_events', 'staff:create_event_consumer', 'staff:drop_event_consumer', 'staff:read_events'],
          'staff, and only staff, consume their organisation''s events');

SELECT * FROM finish();
ROLLBACK;
