-- The tenant rule in every function: a role that is neither the tables' owner
-- nor BYPASSRLS acts only in the organisation it is bound to, by the owner's
-- bind_role(), or for one transaction by booking.org_id or
-- request.jwt.claims ->> 'org_id' (SET LOCAL / set_config(..., true)).
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
SELECT current_user AS superuser \gset
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
-- By setting, for the transaction.
BEGIN;
SET LOCAL booking.org_id = 'a1000000-0000-0000-0000-000000000001';
SELECT booking.claim_slot('a1000000-0000-0000-0000-000000000001', 'c', '2030-09-01 10:00Z')->>'success' AS own_tenant;
SELECT test_error($$SELECT booking.claim_slot('a1000000-0000-0000-0000-000000000002', 'c', '2030-09-01 10:00Z')$$);
SELECT test_error($$SELECT booking.cancel_appointment('a1000000-0000-0000-0000-000000000002', '$$ || :'theirs' || $$')$$);
-- Asking about another tenant's appointment under one's own org finds nothing.
SELECT booking.cancel_appointment('a1000000-0000-0000-0000-000000000001', :'theirs')->>'error' AS not_theirs;
COMMIT;
-- The binding ended with its transaction.
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())$$);
-- set_config(..., true) is SET LOCAL.
BEGIN;
SELECT set_config('booking.org_id', 'a1000000-0000-0000-0000-000000000001', true) IS NOT NULL AS set;
SELECT booking.current_org_id() AS acting_in;
SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())->>'error' AS by_set_config;
COMMIT;
-- A session-wide SET binds nothing (a pooled connection would carry it to the
-- next client), and the error says how to bind instead.
SET booking.org_id = 'a1000000-0000-0000-0000-000000000001';
SELECT booking.current_org_id() IS NULL AS session_value_binds_nothing;
SELECT booking.claim_slot('a1000000-0000-0000-0000-000000000001', 'c', '2030-09-01 10:30Z');
-- A session value is left out even when the transaction binds the same role elsewhere.
BEGIN;
SET LOCAL booking.org_id = 'a1000000-0000-0000-0000-000000000002';
SELECT booking.current_org_id() AS local_value_counts;
COMMIT;
RESET booking.org_id;
-- By PostgREST's JWT claims, set per transaction as PostgREST does.
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "booking_test_agent", "org_id": "a1000000-0000-0000-0000-000000000001"}', true);
SELECT booking.book(org_id => 'a1000000-0000-0000-0000-000000000001', calendar_id => 'c', starts_at => '2030-09-01 11:00Z')->>'success' AS via_jwt;
SELECT test_error($$SELECT booking.book('a1000000-0000-0000-0000-000000000002', 'c', '2030-09-01 11:00Z')$$);
COMMIT;
-- Claims set for the whole session bind nothing either.
SELECT set_config('request.jwt.claims', '{"org_id": "a1000000-0000-0000-0000-000000000001"}', false) IS NOT NULL AS set;
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())$$);
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS cleared;
-- Claims without an org_id, or with a malformed one, name no organisation;
-- claims that are not JSON are refused with 42501 as well.
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "booking_test_agent"}', true) IS NOT NULL AS set;
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())$$);
SELECT set_config('request.jwt.claims', '{"org_id": "not-a-uuid"}', true) IS NOT NULL AS set;
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())$$);
SELECT set_config('request.jwt.claims', 'not json at all', true) IS NOT NULL AS set;
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())$$);
SELECT test_error($$SELECT booking.current_org_id()$$);
COMMIT;
-- A setting and claims that disagree: neither wins, the call is refused.
BEGIN;
SET LOCAL booking.org_id = 'a1000000-0000-0000-0000-000000000002';
SELECT set_config('request.jwt.claims', '{"org_id": "a1000000-0000-0000-0000-000000000001"}', true) IS NOT NULL AS set;
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())$$);
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000002', gen_random_uuid())$$);
SELECT test_error($$SELECT count(*) FROM booking.reservations$$);
COMMIT;
-- When they agree, the call goes through.
BEGIN;
SET LOCAL booking.org_id = 'a1000000-0000-0000-0000-000000000002';
SELECT set_config('request.jwt.claims', '{"org_id": "a1000000-0000-0000-0000-000000000002"}', true) IS NOT NULL AS set;
SELECT booking.hold_status('a1000000-0000-0000-0000-000000000002', gen_random_uuid())->>'error' AS agreeing_sources;
-- expire_holds sweeps only the caller's organisation.
SELECT booking.expire_holds() AS swept_own;
COMMIT;
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
-- booking.org_id accepts a UUID or nothing.
SELECT test_error($$SET booking.org_id = 'acme'$$);
SELECT test_error($$SET booking.not_a_setting = 1$$);
-- The audit log names the role that acted.
SELECT DISTINCT actor FROM booking.audit_log WHERE org_id = 'a1000000-0000-0000-0000-000000000001';

-- Roles the owner binds: a bound role acts in its organisation whatever any
-- setting or claim says, even after SET ROLE; only the owner binds.
CREATE ROLE booking_test_clinic1 LOGIN;
CREATE ROLE booking_test_group NOLOGIN;
GRANT booking_test_group TO booking_test_clinic1;
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('booking_test_clinic1', 'staff'));
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('booking_test_group', 'staff'));
SELECT booking.bind_role('booking_test_clinic1', 'a1000000-0000-0000-0000-000000000001') - 'previous_org_id' AS bound;
SELECT test_error($$SELECT booking.bind_role('booking_test_admin', 'a1000000-0000-0000-0000-000000000001')$$);
SELECT test_error($$SELECT booking.bind_role(NULL, 'a1000000-0000-0000-0000-000000000001')$$);
SELECT test_error($$SELECT booking.bind_role('booking_test_group', NULL)$$);
SET ROLE booking_test_agent;
SELECT test_error($$SELECT booking.bind_role('booking_test_agent', 'a1000000-0000-0000-0000-000000000002')$$);
SELECT test_error($$SELECT * FROM booking.role_bindings$$);
RESET ROLE;
\c - booking_test_clinic1
SET TimeZone = 'UTC';
SELECT booking.current_org_id() AS bound_org;
SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())->>'error' AS own_org;
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000002', gen_random_uuid())$$);
-- No setting or claim renames it.
BEGIN;
SET LOCAL booking.org_id = 'a1000000-0000-0000-0000-000000000002';
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000002', gen_random_uuid())$$);
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())$$);
ROLLBACK;
BEGIN;
SELECT set_config('request.jwt.claims', '{"org_id": "a1000000-0000-0000-0000-000000000002"}', true) IS NOT NULL AS forged;
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000002', gen_random_uuid())$$);
SELECT test_error($$SELECT count(*) FROM booking.reservations$$);
ROLLBACK;
-- A setting that names the same organisation is fine.
BEGIN;
SET LOCAL booking.org_id = 'a1000000-0000-0000-0000-000000000001';
SELECT booking.hold_status('a1000000-0000-0000-0000-000000000001', gen_random_uuid())->>'error' AS agreeing;
ROLLBACK;
-- SET ROLE to an unbound role keeps the login role's binding.
SET ROLE booking_test_group;
SELECT booking.current_org_id() AS still_bound;
BEGIN;
SET LOCAL booking.org_id = 'a1000000-0000-0000-0000-000000000002';
SELECT test_error($$SELECT booking.hold_status('a1000000-0000-0000-0000-000000000002', gen_random_uuid())$$);
ROLLBACK;
-- Reads are its organisation's rows only.
SELECT count(*) AS rows_seen, count(*) FILTER (WHERE org_id <> 'a1000000-0000-0000-0000-000000000001') AS foreign FROM booking.reservations;
RESET ROLE;
\c - :superuser
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
-- Rebinding moves it; both organisations' audit logs say so.
SELECT booking.bind_role('booking_test_clinic1', 'a1000000-0000-0000-0000-000000000002') AS rebound;
SELECT org_id, action, details FROM booking.audit_log WHERE action IN ('role_bound', 'role_unbound') ORDER BY id;
SELECT booking.unbind_role('booking_test_clinic1') AS unbound;
SELECT booking.unbind_role('booking_test_clinic1')->>'was_bound' AS again;
SELECT count(*) AS bindings_left FROM booking.role_bindings;

SELECT count(*) > 0 AS revoked FROM unnest(booking.revoke_access('booking_test_agent'));
SELECT count(*) > 0 AS revoked FROM unnest(booking.revoke_access('booking_test_clinic1'));
SELECT count(*) > 0 AS revoked FROM unnest(booking.revoke_access('booking_test_group'));
DROP ROLE booking_test_agent, booking_test_admin, booking_test_clinic1, booking_test_group;
