-- The regress suite runs next in this database, as updated. Its tests read
-- some things across organisations (every role binding's audit rows, the
-- event outbox), so what upgrade_1 bound and registered goes; the
-- organisation's calendar, reservations and their audit rows stay.
SET TimeZone = 'UTC';
\set org '''e0000000-0000-0000-0000-000000000001'''
SELECT count(*) > 0 AS revoked FROM unnest(booking.revoke_access('upgrade_clinic'));
DELETE FROM booking.role_bindings WHERE role = 'upgrade_clinic'::regrole;
DELETE FROM booking.audit_log WHERE action IN ('role_bound', 'role_unbound');
SELECT booking.drop_event_consumer(:org, 'webhooks')->>'dropped' AS consumer_dropped;
DELETE FROM booking.event_log;
DELETE FROM booking.event_queue;
DROP ROLE upgrade_clinic;
DROP SCHEMA upgrade_check CASCADE;
SELECT count(*) AS reservations_kept FROM booking.reservations WHERE org_id = :org;
