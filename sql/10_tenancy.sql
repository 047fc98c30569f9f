-- The tenant rule in every function: a role that is neither the tables' owner
-- nor BYPASSRLS acts only in the organisation named by booking.org_id or,
-- when that is unset, by request.jwt.claims ->> 'org_id'.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
CREATE ROLE booking_test_agent NOLOGIN;
-- A tenant role needs an access profile and nothing on the tables.
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('booking_test_agent', 'staff'));
SELECT booking.book('a1000000-0000-0000-0000-000000000002', 'c', '2030-09-01 09:00Z')->>'appointment_id' AS theirs \gset
-- Lapsed holds in two organisations, for the sweep below.
SELECT booking.claim_slot('a1000000-0000-0000-0000-000000000002', 'c', '2030-09-02 09:00Z', ttl => '20 ms')->>'success' AS lapsing_2,
       booking.claim_slot('a1000000-0000-0000-0000-000000000003', 'c', '2030-09-02 09:00Z', ttl => '20 ms')->>'success' AS lapsing_3;
SELECT pg_sleep(0.05);

SET ROLE booking_test_agent;
-- No organisation set: refused.
SELECT test_error($$SELECT booking.claim_slot('a1000000-0000-0000-0000-000000000001', 'c', '2030-09-01 10:00Z')$$);
-- By setting.
SET booking.org_id = 'a1000000-0000-0000-0000-000000000001';
SELECT booking.claim_slot('a1000000-0000-0000-0000-000000000001', 'c', '2030-09-01 10:00Z')->>'success' AS own_tenant;
SELECT test_error($$SELECT booking.claim_slot('a1000000-0000-0000-0000-000000000002', 'c', '2030-09-01 10:00Z')$$);
SELECT test_error($$SELECT booking.cancel_appointment('a1000000-0000-0000-0000-000000000002', '$$ || :'theirs' || $$')$$);
-- Asking about another tenant's appointment under one's own org finds nothing.
SELECT booking.cancel_appointment('a1000000-0000-0000-0000-000000000001', :'theirs')->>'error' AS not_theirs;
RESET booking.org_id;
-- By PostgREST's JWT claims, set per transaction as PostgREST does.
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "booking_test_agent", "org_id": "a1000000-0000-0000-0000-000000000001"}', true);
SELECT booking.book(org_id => 'a1000000-0000-0000-0000-000000000001', calendar_id => 'c', starts_at => '2030-09-01 11:00Z')->>'success' AS via_jwt;
SELECT test_error($$SELECT booking.book('a1000000-0000-0000-0000-000000000002', 'c', '2030-09-01 11:00Z')$$);
COMMIT;
-- Claims without an org_id, or with a malformed one, name no organisation.
SELECT set_config('request.jwt.claims', '{"role": "booking_test_agent"}', false) IS NOT NULL AS set;
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())$$);
SELECT set_config('request.jwt.claims', '{"org_id": "not-a-uuid"}', false) IS NOT NULL AS set;
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())$$);
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS cleared;
-- booking.org_id wins over the claims.
SET booking.org_id = 'a1000000-0000-0000-0000-000000000002';
SELECT set_config('request.jwt.claims', '{"org_id": "a1000000-0000-0000-0000-000000000001"}', false) IS NOT NULL AS set;
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())$$);
SELECT booking.hold_status('a1000000-0000-0000-0000-000000000002', gen_random_uuid())->>'error' AS allowed_by_setting;
-- expire_holds sweeps only the caller's organisation.
SELECT booking.expire_holds() AS swept_own;
RESET booking.org_id;
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS cleared;
SELECT test_error($$SELECT booking.expire_holds()$$);
RESET ROLE;
SELECT org_id, status FROM booking.reservations
WHERE org_id IN ('a1000000-0000-0000-0000-000000000002', 'a1000000-0000-0000-0000-000000000003') AND starts_at = '2030-09-02 09:00Z'
ORDER BY org_id;
-- A role with BYPASSRLS acts in any organisation, like the owner.
CREATE ROLE booking_test_admin NOLOGIN BYPASSRLS;
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('booking_test_admin', 'staff'));
SET ROLE booking_test_admin;
SELECT booking.hold_status('a1000000-0000-0000-0000-000000000003', gen_random_uuid())->>'error' AS any_org;
RESET ROLE;
SELECT count(*) > 0 AS revoked FROM unnest(booking.revoke_access('booking_test_admin'));
DROP ROLE booking_test_admin;
-- booking.org_id accepts a UUID or nothing.
SELECT test_error($$SET booking.org_id = 'acme'$$);
SELECT test_error($$SET booking.not_a_setting = 1$$);
-- The audit log names the role that acted.
SELECT DISTINCT actor FROM booking.audit_log WHERE org_id = 'a1000000-0000-0000-0000-000000000001';
SELECT count(*) > 0 AS revoked FROM unnest(booking.revoke_access('booking_test_agent'));
DROP ROLE booking_test_agent;
