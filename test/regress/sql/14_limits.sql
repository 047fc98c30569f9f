-- The owner's limits bind every role that acts in one organisation (it may
-- tighten them, never loosen them); a code is verified in the form it was
-- issued; reservation lengths are whole minutes; the guard names both ranges.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
SELECT current_user AS superuser \gset
\set org '''e1000000-0000-0000-0000-000000000001'''
CREATE ROLE limits_agent LOGIN;
CREATE ROLE limits_sms LOGIN;
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('limits_agent', 'agent'));
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('limits_sms', 'sms_sender'));
SELECT booking.bind_role('limits_agent', :org)->>'success' AS agent_bound,
       booking.bind_role('limits_sms', :org)->>'success' AS sms_bound;
CREATE FUNCTION test_error_detail(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE detail text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN SQLSTATE || ': ' || SQLERRM || ' / ' || detail;
END $$;

-- 1. A code's length travels with it. The SMS role issues six-digit codes
-- (a role setting, tighter than the server's four); the agent's session,
-- at the default, verifies them typed or spoken.
ALTER ROLE limits_sms SET booking.otp_digits = 6;
SELECT booking.claim_slot(:org, 'len', '2031-02-03 09:00Z', caller_ref => 'six-a', patient_phone => '+15550101')->>'hold_id' AS h_six \gset
SELECT booking.claim_slot(:org, 'len', '2031-02-03 10:00Z', caller_ref => 'six-b', patient_phone => '+15550102')->>'hold_id' AS h_spoken \gset
\c - limits_sms
SHOW booking.otp_digits;
SELECT booking.issue_otp('e1000000-0000-0000-0000-000000000001', :'h_six') AS sent \gset
SELECT (:'sent'::jsonb)->>'digits' AS digits, length((:'sent'::jsonb)->>'code') AS code_length,
       (:'sent'::jsonb)->>'patient_phone' AS sent_to;
SELECT (:'sent'::jsonb)->>'code' AS code_six \gset
SELECT booking.issue_otp('e1000000-0000-0000-0000-000000000001', :'h_spoken')->>'code' AS code_spoken \gset
\c - limits_agent
SET TimeZone = 'UTC';
SHOW booking.otp_digits;
-- Four digits against a six-digit code: malformed, not counted.
SELECT booking.verify_otp('e1000000-0000-0000-0000-000000000001', :'h_six', '1234') - 'attempts_left' AS four_digits;
-- A wrong six-digit code counts.
SELECT booking.verify_otp('e1000000-0000-0000-0000-000000000001', :'h_six',
       lpad(((substr(:'code_six', 1, 6)::int + 1) % 1000000)::text, 6, '0')) ->> 'attempts_left' AS wrong_six_counts;
SELECT booking.verify_otp('e1000000-0000-0000-0000-000000000001', :'h_six', :'code_six')->>'status' AS six_typed;
-- Spoken: "123 4-56".
SELECT booking.verify_otp('e1000000-0000-0000-0000-000000000001', :'h_spoken',
       substr(:'code_spoken', 1, 3) || ' ' || substr(:'code_spoken', 4, 1) || '-' || substr(:'code_spoken', 5, 2))->>'status' AS six_spoken;
\c - :superuser
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
ALTER ROLE limits_sms RESET booking.otp_digits;
-- Codes outstanding when the operator changes the length server-wide keep theirs.
SELECT booking.claim_slot(:org, 'len', '2031-02-03 11:00Z', caller_ref => 'sys')->>'hold_id' AS h_sys \gset
ALTER SYSTEM SET booking.otp_digits = 6;
SELECT pg_reload_conf();
SELECT pg_sleep(0.3);
SHOW booking.otp_digits;
SELECT booking.issue_otp(:org, :'h_sys')->>'code' AS code_sys \gset
SELECT length(:'code_sys') AS issued_with;
-- Under the server's six, a tenant role cannot lower the length.
\c - limits_sms
SHOW booking.otp_digits;
SELECT test_error($$SET booking.otp_digits = 4$$);
SELECT test_error($$SET booking.otp_digits = 8$$) AS eight_is_tighter;
\c - :superuser
SET TimeZone = 'UTC';
ALTER SYSTEM RESET booking.otp_digits;
SELECT pg_reload_conf();
SELECT pg_sleep(0.3);
SHOW booking.otp_digits;
SELECT booking.verify_otp(:org, :'h_sys', :'code_sys')->>'status' AS verified_after_change;

-- 2. Limits: a bound role may tighten, never loosen; the server-wide value
-- is the ceiling whatever the session says.
\c - limits_agent
SET TimeZone = 'UTC';
SELECT test_error($$SET booking.max_hold_ttl = '7d'$$);
SELECT test_error($$SET booking.otp_max_attempts = 10$$);
SELECT test_error($$SET booking.max_duration = '3d'$$);
SELECT test_error($$SET booking.search_horizon = '100d'$$);
SELECT test_error($$SET booking.max_series_count = 100$$);
SELECT test_error($$SELECT set_config('booking.otp_ttl', '1d', true)$$);
SELECT test_error($$ALTER ROLE limits_agent SET booking.otp_max_attempts = 10$$);
SHOW booking.max_hold_ttl;
SHOW booking.otp_max_attempts;
SELECT test_error($$SELECT booking.claim_slot('e1000000-0000-0000-0000-000000000001', 'lim', '2031-02-04 09:00Z', ttl => '7 days')$$);
-- Tightening is the role's to choose.
SET booking.max_hold_ttl = '5min';
SELECT test_error($$SELECT booking.claim_slot('e1000000-0000-0000-0000-000000000001', 'lim', '2031-02-04 09:00Z', ttl => '10 minutes')$$);
SELECT test_ttl(booking.claim_slot('e1000000-0000-0000-0000-000000000001', 'lim', '2031-02-04 09:00Z', caller_ref => 'short')) AS capped_default_ttl;
RESET booking.max_hold_ttl;
\c - :superuser
SET TimeZone = 'UTC';
SELECT booking.claim_slot(:org, 'lim', '2031-02-04 10:00Z', caller_ref => 'tight', patient_phone => '+15550103')->>'hold_id' AS h_tight \gset
SELECT booking.issue_otp(:org, :'h_tight')->>'code' AS code_tight \gset
\c - limits_agent
SET booking.otp_max_attempts = 2;
SELECT booking.verify_otp('e1000000-0000-0000-0000-000000000001', :'h_tight',
       lpad(((:'code_tight'::int + 1) % 10000)::text, 4, '0')) - 'message' AS first_miss;
SELECT booking.verify_otp('e1000000-0000-0000-0000-000000000001', :'h_tight',
       lpad(((:'code_tight'::int + 2) % 10000)::text, 4, '0')) ->> 'error' AS second_miss_locks;
\c - limits_sms
SELECT test_error($$SET booking.otp_resend_interval = 0$$);
SELECT test_error($$SET booking.otp_max_sends = 50$$);
SET booking.otp_resend_interval = '1min';
SHOW booking.otp_resend_interval;
\c - :superuser
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
-- A privileged session may loosen its own limits; after SET ROLE to a bound
-- role the server-wide value still binds that role.
SET booking.max_hold_ttl = '7d';
SELECT test_ttl(booking.claim_slot(:org, 'lim', '2031-02-05 09:00Z', ttl => '2 days')) AS owner_may;
CREATE ROLE limits_nologin NOLOGIN;
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('limits_nologin', 'agent'));
SELECT booking.bind_role('limits_nologin', :org)->>'success' AS bound;
SET ROLE limits_nologin;
SHOW booking.max_hold_ttl;
SELECT test_error($$SELECT booking.claim_slot('e1000000-0000-0000-0000-000000000001', 'lim', '2031-02-05 10:00Z', ttl => '2 days')$$);
SELECT test_ttl(booking.claim_slot('e1000000-0000-0000-0000-000000000001', 'lim', '2031-02-05 10:00Z', ttl => '1 hour')) AS at_the_ceiling;
RESET ROLE;
RESET booking.max_hold_ttl;
-- The setting the operator sees says who may loosen it.
SELECT name, context, extra_desc FROM pg_settings WHERE name = 'booking.otp_max_attempts';

-- 4. Reservation lengths are whole minutes: a bare number is seconds.
SELECT test_error($$SELECT booking.claim_slot('e1000000-0000-0000-0000-000000000001', 'dur', '2031-03-01 09:00Z', '30')$$);
SELECT test_error($$SELECT booking.book('e1000000-0000-0000-0000-000000000001', 'dur', '2031-03-01 09:00Z', '90 seconds')$$);
SELECT test_error($$SELECT booking.check_availability('e1000000-0000-0000-0000-000000000001', 'dur', '2031-03-01 09:00Z', '30.5 minutes')$$);
SELECT test_error($$SELECT * FROM booking.free_slots('e1000000-0000-0000-0000-000000000001', 'dur', '2031-03-01', '2031-03-02', '45 seconds')$$);
SELECT booking.book(:org, 'dur', '2031-03-01 09:00Z', '50 minutes')->>'ends_at' AS fifty_minutes_off_the_grid;
SELECT booking.book(:org, 'dur', '2031-03-01 11:00Z', '30 minutes')->>'appointment_id' AS appt \gset
SELECT test_error($$SELECT booking.reschedule_appointment('e1000000-0000-0000-0000-000000000001', '$$ || :'appt' || $$', '2031-03-01 12:00Z', '30')$$);
SELECT count(*) AS nothing_booked_in_seconds FROM booking.reservations WHERE org_id = :org AND calendar_id = 'dur' AND extract(second FROM ends_at - starts_at) <> 0;

-- The guard's detail names both ranges.
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
VALUES (:org, gen_random_uuid(), 'guard', '2031-04-01 10:00Z', '2031-04-01 11:00Z', 'confirmed');
SELECT test_error_detail($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
    VALUES ('e1000000-0000-0000-0000-000000000001', gen_random_uuid(), 'guard', '2031-04-01 10:30Z', '2031-04-01 11:30Z', 'confirmed')$$);

SELECT booking.unbind_role('limits_agent')->>'was_bound', booking.unbind_role('limits_sms')->>'was_bound',
       booking.unbind_role('limits_nologin')->>'was_bound';
SELECT count(*) > 0 FROM unnest(booking.revoke_access('limits_agent'));
SELECT count(*) > 0 FROM unnest(booking.revoke_access('limits_sms'));
SELECT count(*) > 0 FROM unnest(booking.revoke_access('limits_nologin'));
DROP ROLE limits_agent, limits_sms, limits_nologin;
