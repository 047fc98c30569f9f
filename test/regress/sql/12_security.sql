-- Tenancy and security across every function, view and table.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org_a '''c1000000-0000-0000-0000-00000000000a'''
\set org_b '''c1000000-0000-0000-0000-00000000000b'''
CREATE ROLE test_agent NOLOGIN;
CREATE ROLE test_sms NOLOGIN;
CREATE ROLE test_staff NOLOGIN;
CREATE ROLE test_nobody NOLOGIN;
GRANT test_agent, test_sms, test_staff, test_nobody TO CURRENT_USER;

-- Data of two organisations, made by the owner.
SELECT booking.claim_slot(:org_a, 'room', '2030-11-01 09:00Z', caller_ref => 'a1', patient_name => 'Alice A')->>'hold_id' AS hold_a \gset
SELECT booking.book(:org_b, 'room', '2030-11-01 09:00Z', notes => 'Bob B')->>'appointment_id' AS appt_b \gset
SELECT booking.claim_slot(:org_b, 'room', '2030-11-01 10:00Z', caller_ref => 'b1')->>'hold_id' AS hold_b \gset

-- Nothing is open to PUBLIC but the pure helpers.
SELECT p.proname FROM pg_proc p
WHERE p.pronamespace = 'booking'::regnamespace AND has_function_privilege('test_nobody', p.oid, 'EXECUTE')
ORDER BY 1;
SET ROLE test_nobody;
SELECT test_error($$SELECT booking.issue_otp('c1000000-0000-0000-0000-00000000000a', gen_random_uuid())$$);
SELECT test_error($$SELECT booking.claim_slot('c1000000-0000-0000-0000-00000000000a', 'room', '2030-11-01 11:00Z')$$);
SELECT test_error($$SELECT count(*) FROM booking.reservations$$);
RESET ROLE;

-- The access profiles.
SELECT unnest(booking.grant_access('test_agent', 'agent')) AS agent_grants;
SELECT count(*) AS sms_grants FROM unnest(booking.grant_access('test_sms', 'sms_sender'));
SELECT count(*) AS staff_grants FROM unnest(booking.grant_access('test_staff', 'staff'));
SELECT test_error($$SELECT booking.grant_access('test_staff', 'janitor')$$);
SELECT p.proname, has_function_privilege('test_agent', p.oid, 'EXECUTE') AS agent,
       has_function_privilege('test_sms', p.oid, 'EXECUTE') AS sms_sender,
       has_function_privilege('test_staff', p.oid, 'EXECUTE') AS staff
FROM pg_proc p WHERE p.pronamespace = 'booking'::regnamespace ORDER BY 1;
SELECT c.relname, has_table_privilege('test_staff', c.oid, 'SELECT') AS staff_reads,
       has_table_privilege('test_agent', c.oid, 'SELECT') AS agent_reads,
       has_table_privilege('test_staff', c.oid, 'INSERT,UPDATE,DELETE,TRUNCATE') AS staff_writes
FROM pg_class c WHERE c.relnamespace = 'booking'::regnamespace AND c.relkind IN ('r', 'v') ORDER BY 1;

-- An agent bound by setting acts in its organisation only, through every function.
SET ROLE test_agent;
BEGIN;
SET LOCAL booking.org_id = 'c1000000-0000-0000-0000-00000000000a';
SELECT booking.current_org_id() AS acting_in;
SELECT booking.claim_slot('c1000000-0000-0000-0000-00000000000a', 'room', '2030-11-01 11:00Z', caller_ref => 'a2')->>'success' AS own_claim;
SELECT booking.hold_status('c1000000-0000-0000-0000-00000000000a', :'hold_a')->>'status' AS own_hold;
-- Another tenant's ids are simply not there under one's own organisation ...
SELECT booking.hold_status('c1000000-0000-0000-0000-00000000000a', :'hold_b')->>'error' AS foreign_hold;
SELECT booking.release_hold('c1000000-0000-0000-0000-00000000000a', :'hold_b')->>'error' AS foreign_release;
SELECT booking.verify_otp('c1000000-0000-0000-0000-00000000000a', :'hold_b', '1234')->>'error' AS foreign_verify;
-- ... and naming the other organisation is refused, for every function.
SELECT f, test_error(format('SELECT booking.%s', f)) FROM unnest(ARRAY[
    $$claim_slot('c1000000-0000-0000-0000-00000000000b', 'room', '2030-11-01 12:00Z')$$,
    $$book('c1000000-0000-0000-0000-00000000000b', 'room', '2030-11-01 12:00Z')$$,
    $$hold_status('c1000000-0000-0000-0000-00000000000b', gen_random_uuid())$$,
    $$extend_hold('c1000000-0000-0000-0000-00000000000b', gen_random_uuid(), '1 minute')$$,
    $$release_hold('c1000000-0000-0000-0000-00000000000b', gen_random_uuid())$$,
    $$verify_otp('c1000000-0000-0000-0000-00000000000b', gen_random_uuid(), '1234')$$,
    $$check_availability('c1000000-0000-0000-0000-00000000000b', 'room', '2030-11-01 09:00Z', '30 minutes')$$,
    $$free_slots('c1000000-0000-0000-0000-00000000000b', 'room', '2030-11-01', '2030-11-02', '30 minutes')$$,
    $$claim_slot_atomic('c1000000-0000-0000-0000-00000000000b', 'room', '2030-11-01 12:00Z', 'x')$$]) f;
-- Availability never leaks another tenant's bookings: org B's 09:00 is free for org A.
SELECT booking.check_availability('c1000000-0000-0000-0000-00000000000a', 'room', '2030-11-01 09:30Z', '30 minutes')->>'available' AS a_room_0930;
-- What an agent may not do at all.
SELECT test_error($$SELECT booking.issue_otp('c1000000-0000-0000-0000-00000000000a', gen_random_uuid())$$);
SELECT test_error($$SELECT booking.withdraw_otp('c1000000-0000-0000-0000-00000000000a', gen_random_uuid(), '1234')$$);
SELECT test_error($$SELECT booking.confirm_hold('c1000000-0000-0000-0000-00000000000a', gen_random_uuid())$$);
SELECT test_error($$SELECT booking.cancel_appointment('c1000000-0000-0000-0000-00000000000a', gen_random_uuid())$$);
SELECT test_error($$SELECT count(*) FROM booking.holds$$);
-- Nor write the views (42501, the privilege check, not a rewriter error).
SELECT test_error($$UPDATE booking.holds SET status = 'confirmed'$$);
SELECT test_error($$DELETE FROM booking.appointments$$);
SELECT test_error($$INSERT INTO booking.holds (org_id, id, calendar_id, starts_at, ends_at) VALUES ('c1000000-0000-0000-0000-00000000000a', gen_random_uuid(), 'x', '2031-01-01', '2031-01-02')$$);
COMMIT;
RESET ROLE;

-- The SMS sender issues codes for its organisation's holds only.
SET ROLE test_sms;
BEGIN;
SET LOCAL booking.org_id = 'c1000000-0000-0000-0000-00000000000a';
SELECT booking.issue_otp('c1000000-0000-0000-0000-00000000000a', :'hold_a')->>'success' AS code_sent;
SELECT test_error($$SELECT booking.issue_otp('c1000000-0000-0000-0000-00000000000b', gen_random_uuid())$$);
SELECT booking.issue_otp('c1000000-0000-0000-0000-00000000000a', :'hold_b')->>'error' AS foreign_hold;
-- ... and takes back only its organisation's codes.
SELECT test_error($$SELECT booking.withdraw_otp('c1000000-0000-0000-0000-00000000000b', gen_random_uuid(), '1234')$$);
SELECT booking.withdraw_otp('c1000000-0000-0000-0000-00000000000a', :'hold_b', '1234')->>'error' AS foreign_withdrawal;
SELECT test_error($$SELECT booking.claim_slot('c1000000-0000-0000-0000-00000000000a', 'room', '2030-11-01 13:00Z')$$);
-- Codes and the key are unreadable, whatever the role.
SELECT test_error($$SELECT * FROM booking.otp_codes$$);
SELECT test_error($$SELECT * FROM booking.otp_secret$$);
-- (refused with 42501 on every major; the wording is PostgreSQL's and changed in 16)
SELECT test_sqlstate($$SHOW booking.otp_key$$) AS show_otp_key;
SELECT test_error($$SET booking.otp_key = 'mine'$$);
SELECT count(*) AS otp_key_in_pg_settings FROM pg_settings WHERE name = 'booking.otp_key';
COMMIT;
RESET ROLE;

-- Staff read their organisation's rows in tables and views, by setting ...
SET ROLE test_staff;
BEGIN;
SET LOCAL booking.org_id = 'c1000000-0000-0000-0000-00000000000a';
SELECT count(*) AS reservations_seen, count(*) FILTER (WHERE org_id <> 'c1000000-0000-0000-0000-00000000000a') AS foreign FROM booking.reservations;
SELECT count(*) AS holds_seen FROM booking.holds WHERE org_id = 'c1000000-0000-0000-0000-00000000000b';
SELECT count(*) AS appointments_seen FROM booking.appointments WHERE org_id = 'c1000000-0000-0000-0000-00000000000b';
SELECT count(*) AS audit_seen, bool_and(org_id = 'c1000000-0000-0000-0000-00000000000a') AS only_own FROM booking.audit_log;
SELECT count(*) AS b_by_id FROM booking.reservations WHERE id = :'appt_b';
-- ... and write nothing directly.
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status) VALUES ('c1000000-0000-0000-0000-00000000000a', gen_random_uuid(), 'x', '2031-01-01', '2031-01-02', 'confirmed')$$);
SELECT test_error($$UPDATE booking.reservations SET notes = 'x'$$);
SELECT test_error($$DELETE FROM booking.audit_log$$);
SELECT test_error($$TRUNCATE booking.reservations$$);
-- Staff change their own organisation's rows through the functions.
SELECT booking.confirm_hold('c1000000-0000-0000-0000-00000000000a', :'hold_a')->>'status' AS staff_confirm;
SELECT booking.cancel_appointment('c1000000-0000-0000-0000-00000000000a', :'appt_b')->>'error' AS foreign_cancel;
-- The views are read-only for staff too.
SELECT test_error($$UPDATE booking.appointments SET notes = 'x'$$);
COMMIT;
RESET ROLE;
-- The owner's writes to a view are refused with the reason.
SELECT test_error($$UPDATE booking.holds SET patient_name = 'x'$$);
-- ... and by JWT claims, as PostgREST sets them (SET LOCAL ROLE, claims local to the transaction).
BEGIN;
SET LOCAL ROLE test_staff;
SELECT set_config('request.jwt.claims', '{"role": "test_staff", "org_id": "c1000000-0000-0000-0000-00000000000b"}', true) IS NOT NULL AS claims_set;
SELECT booking.current_org_id() AS acting_in;
SELECT count(*) AS b_rows, bool_and(org_id = 'c1000000-0000-0000-0000-00000000000b') AS only_b FROM booking.reservations;
SELECT booking.cancel_appointment(org_id => 'c1000000-0000-0000-0000-00000000000b', appointment_id => :'appt_b', reason => 'via PostgREST')->>'status' AS cancelled_own;
SELECT test_error($$SELECT booking.cancel_appointment(org_id => 'c1000000-0000-0000-0000-00000000000a', appointment_id => gen_random_uuid())$$);
COMMIT;
-- The claims were local: after the transaction the role is bound to nothing.
SET ROLE test_staff;
SELECT booking.current_org_id() IS NULL AS unbound, count(*) AS rows_seen_unbound FROM booking.reservations;
SELECT test_error($$SELECT booking.hold_status('c1000000-0000-0000-0000-00000000000b', gen_random_uuid())$$);
RESET ROLE;

-- A search_path trick changes nothing: a same-named operator and functions in a
-- schema earlier on the caller's path are never used inside the functions.
CREATE SCHEMA evil;
CREATE FUNCTION evil.always(uuid, uuid) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
CREATE OPERATOR evil.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = evil.always);
CREATE FUNCTION evil.tstzrange(timestamptz, timestamptz) RETURNS tstzrange LANGUAGE sql IMMUTABLE
    AS $$SELECT pg_catalog.tstzrange('1970-01-01', '1970-01-02')$$;
CREATE FUNCTION evil.lower(tstzrange) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$SELECT '1970-01-01'::timestamptz$$;
CREATE TABLE evil.reservations (LIKE booking.reservations);
SET search_path = evil, pg_catalog, public;
-- Unknown under org A: org B's appointment (would be found if evil.= were used).
SELECT booking.cancel_appointment('c1000000-0000-0000-0000-00000000000a', :'appt_b')->>'error' AS still_not_found;
-- Conflicts are still seen (would vanish if evil.tstzrange were used).
SELECT booking.claim_slot('c1000000-0000-0000-0000-00000000000a', 'room', '2030-11-01 09:00Z')->>'error' AS still_taken;
SELECT jsonb_path_query_array(booking.claim_slot('c1000000-0000-0000-0000-00000000000a', 'room', '2030-11-01 09:00Z'), '$.alternatives[*].starts_at') AS same_alternatives;
SELECT count(*) AS nothing_written_to_evil FROM evil.reservations;
RESET search_path;
DROP SCHEMA evil CASCADE;

-- Rotating the key: a code sent under the old key no longer verifies.
SELECT booking.claim_slot(:org_a, 'room', '2030-11-02 09:00Z', caller_ref => 'rot')->>'hold_id' AS hold_r \gset
SELECT booking.issue_otp(:org_a, :'hold_r')->>'code' AS code_r \gset
DELETE FROM booking.otp_secret;
SELECT booking.verify_otp(:org_a, :'hold_r', :'code_r') AS after_rotation;
SELECT booking.hold_status(:org_a, :'hold_r')->>'attempts_left' AS not_counted;
-- A superuser may set the key; codes follow it.
SET booking.otp_key = 'a long random secret from the vault';
SET booking.otp_resend_interval = 0;
SELECT booking.issue_otp(:org_a, :'hold_r')->>'code' AS code_k \gset
SELECT booking.verify_otp(:org_a, :'hold_r', :'code_k')->>'status' AS verified_with_set_key;
RESET booking.otp_key;
RESET booking.otp_resend_interval;

-- The audit log names the role that acted.
SELECT DISTINCT actor FROM booking.audit_log WHERE org_id IN (:org_a, :org_b) ORDER BY 1;

SELECT count(*) FROM unnest(booking.revoke_access('test_agent'));
SELECT has_function_privilege('test_agent', 'booking.claim_slot(uuid,text,timestamptz,interval,text,text,text,interval,text[])', 'EXECUTE') AS agent_still_claims;
SELECT booking.revoke_access('test_sms') IS NOT NULL, booking.revoke_access('test_staff') IS NOT NULL;
DROP ROLE test_agent, test_sms, test_staff, test_nobody;
