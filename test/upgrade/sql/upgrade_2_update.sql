-- ALTER EXTENSION booking UPDATE from the previous release: the schema the
-- same, object by object, as a fresh install of the current release; every
-- row kept; the old data as live as before.
SET TimeZone = 'UTC';
\set org '''e0000000-0000-0000-0000-000000000001'''
ALTER EXTENSION booking UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'booking';

SELECT rows::text = (SELECT value FROM upgrade_check.kept WHERE what = 'rows') AS every_row_kept
FROM upgrade_check.rows rows;

-- Replaced functions keep their grants, a role that may issue codes may
-- withdraw them, one that may set a calendar may set the organisation's
-- policy, one that may claim may read it and use the waitlist, as grants of the database (not as
-- the extension's initial privileges, which pg_dump would leave out).
SELECT p.proname, has_function_privilege('upgrade_clinic', p.oid, 'EXECUTE') AS granted,
       pg_get_function_identity_arguments(p.oid) AS arguments,
       (SELECT array_to_string(initprivs, ',') FROM pg_init_privs WHERE objoid = p.oid AND classoid = 'pg_proc'::regclass) AS initial
FROM pg_proc p WHERE p.pronamespace = 'booking'::regnamespace
  AND p.proname IN ('set_calendar', 'free_slots', 'claim_slot', 'book', 'issue_otp', 'withdraw_otp',
                    'cancel_appointment', 'reschedule_appointment', 'set_org_policy', 'org_policy',
                    'set_pool', 'drop_pool', 'join_waitlist', 'leave_waitlist', 'waitlist_status')
ORDER BY 1;
-- One that may read calendars may read pools (issue 24).
SELECT c.relname, has_table_privilege('upgrade_clinic', c.oid, 'SELECT') AS granted
FROM pg_class c WHERE c.relnamespace = 'booking'::regnamespace AND c.relname IN ('pools', 'pool_members')
ORDER BY 1;
-- Nothing ties the role to the extension's initial privileges (from 17 such
-- a tie, pg_shdepend's 'i', keeps DROP ROLE from working even after REVOKE;
-- upgrade_3_clean drops the role).
SELECT count(*) AS initial_privileges_naming_the_role
FROM pg_shdepend WHERE refobjid = 'upgrade_clinic'::regrole AND deptype = 'i';
REVOKE EXECUTE ON FUNCTION booking.set_calendar, booking.free_slots, booking.claim_slot, booking.book,
                           booking.issue_otp, booking.withdraw_otp, booking.cancel_appointment,
                           booking.reschedule_appointment, booking.set_org_policy, booking.org_policy,
                           booking.set_pool, booking.drop_pool,
                           booking.join_waitlist, booking.leave_waitlist, booking.waitlist_status
  FROM upgrade_clinic;
REVOKE SELECT ON booking.pools, booking.pool_members FROM upgrade_clinic;

-- The updated schema against a fresh install of the current release
-- (test/upgrade/describe.sql lists what is compared): no line differs.
\set ECHO none
\i test/upgrade/describe.sql
\set updated :description
\set updated_database :DBNAME
CREATE DATABASE upgrade_fresh;
\c upgrade_fresh
SET client_min_messages = warning;
CREATE EXTENSION booking;
\i test/upgrade/describe.sql
\set fresh :description
-- The releases before this one, each installed from its own frozen script
-- and updated, come to the same schema too.
CREATE DATABASE upgrade_0_4;
\c upgrade_0_4
SET client_min_messages = warning;
CREATE EXTENSION booking VERSION '0.4';
ALTER EXTENSION booking UPDATE;
\i test/upgrade/describe.sql
\set release_0_4_updated :description
CREATE DATABASE upgrade_last;
\c upgrade_last
SET client_min_messages = warning;
CREATE EXTENSION booking VERSION '0.5';
ALTER EXTENSION booking UPDATE;
\i test/upgrade/describe.sql
\set last_updated :description
\c :updated_database
\set ECHO all
SELECT count(*) > 400 AS described FROM unnest(string_to_array(:'updated', E'\n'));
SELECT line AS only_in_a_fresh_install FROM unnest(string_to_array(:'fresh', E'\n')) line
EXCEPT SELECT unnest(string_to_array(:'updated', E'\n'));
SELECT line AS only_after_the_update FROM unnest(string_to_array(:'updated', E'\n')) line
EXCEPT SELECT unnest(string_to_array(:'fresh', E'\n'));
SELECT line AS only_in_a_fresh_install_not_the_last_release_updated FROM unnest(string_to_array(:'fresh', E'\n')) line
EXCEPT SELECT unnest(string_to_array(:'last_updated', E'\n'));
SELECT line AS only_after_updating_the_last_release FROM unnest(string_to_array(:'last_updated', E'\n')) line
EXCEPT SELECT unnest(string_to_array(:'fresh', E'\n'));
SELECT line AS only_in_a_fresh_install_not_0_4_updated FROM unnest(string_to_array(:'fresh', E'\n')) line
EXCEPT SELECT unnest(string_to_array(:'release_0_4_updated', E'\n'));
SELECT line AS only_after_updating_0_4 FROM unnest(string_to_array(:'release_0_4_updated', E'\n')) line
EXCEPT SELECT unnest(string_to_array(:'fresh', E'\n'));
DROP DATABASE upgrade_fresh;
DROP DATABASE upgrade_0_4;
DROP DATABASE upgrade_last;

-- The update's statements may run again (Citus workers run upgrade scripts
-- too): once more, outside ALTER EXTENSION, every upgrade script in its turn
-- puts back the profile rows taken away and otherwise changes nothing (the
-- scripts as ALTER EXTENSION runs them: without their \echo lines,
-- MODULE_PATHNAME replaced).
DELETE FROM booking.access_profiles WHERE (profile, object) IN (('owner', 'access_profiles'), ('sms_sender', 'withdraw_otp'));
SELECT string_agg(replace(regexp_replace(pg_read_file((SELECT setting FROM pg_config WHERE name = 'SHAREDIR')
                                                      || '/extension/' || script),
                                         '^\\echo[^\n]*$', '', 'n'),
                          'MODULE_PATHNAME', '$libdir/booking'), E'\n' ORDER BY n) AS script
FROM unnest(ARRAY['booking--0.1--0.2.sql', 'booking--0.2--0.3.sql', 'booking--0.3--0.4.sql', 'booking--0.4--0.5.sql', 'booking--0.5--0.6.sql']) WITH ORDINALITY AS scripts(script, n) \gset
\set ECHO none
SET client_min_messages = warning;
:script
RESET client_min_messages;
\i test/upgrade/describe.sql
\set ECHO all
SELECT :'description' = :'updated' AS unchanged_by_a_second_run;

-- The library's step that gives grants back (booking.upgrade_grant_as_database,
-- the script's own helper) runs one GRANT and nothing else.
CREATE FUNCTION pg_temp.grant_as_database(text) RETURNS void
AS '$libdir/booking', 'booking_grant_as_database' LANGUAGE C;
DO $$
DECLARE
    statement text;
BEGIN
    FOREACH statement IN ARRAY ARRAY['DROP TABLE booking.reservations',
                                     'GRANT USAGE ON SCHEMA booking TO upgrade_clinic; DROP TABLE booking.reservations',
                                     'REVOKE USAGE ON SCHEMA booking FROM upgrade_clinic'] LOOP
        BEGIN
            PERFORM pg_temp.grant_as_database(statement);
            RAISE NOTICE 'ran: %', statement;
        EXCEPTION WHEN invalid_parameter_value THEN
            RAISE NOTICE 'refused (%): %', SQLSTATE, SQLERRM;
        END;
    END LOOP;
END $$;
SELECT to_regclass('booking.reservations') IS NOT NULL AS reservations_still_there;

-- The old data is live: the guard sees the old bookings, the code sent
-- before the update confirms its hold, the consumer reads what happened,
-- the binding binds, and the profiles can be granted.
SELECT booking.book(:org, 'room', '2031-03-03 08:15Z')->>'error' AS over_an_old_booking;
SELECT booking.verify_otp(:org, (SELECT value::uuid FROM upgrade_check.kept WHERE what = 'hold'),
                          (SELECT value FROM upgrade_check.kept WHERE what = 'code'))->>'status' AS verified;
SELECT e->>'event' AS event, e->>'status' AS status
FROM jsonb_array_elements(booking.read_events(:org, 'webhooks')->'events') e ORDER BY (e->>'position')::bigint;
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('upgrade_clinic', 'staff'));
SET ROLE upgrade_clinic;
SELECT booking.current_org_id() = :org AS bound_to_its_organisation;
SELECT count(*) AS own_reservations FROM booking.reservations;
RESET ROLE;
