-- The previous release, installed from its frozen script and filled as its
-- library left it (fixture_0.1.sql), as a server is upgraded: the new
-- library first, then ALTER EXTENSION booking UPDATE (upgrade_2_update).
SET TimeZone = 'UTC';
\set org '''e0000000-0000-0000-0000-000000000001'''
CREATE EXTENSION booking VERSION '0.1';
SELECT extversion FROM pg_extension WHERE extname = 'booking';

-- What later tests compare and use, outside the extension.
CREATE SCHEMA upgrade_check;
CREATE TABLE upgrade_check.kept (what text PRIMARY KEY, value text NOT NULL);

-- A calendar with hours, bookings, a cancellation with erasure, an event
-- consumer, a role binding, and a hold with a code sent (the hold and the
-- code in upgrade_check.kept). The new library serves no earlier schema, so
-- the rows are the ones release 0.1's calls wrote, loaded as a restore
-- would (the overlap guard checks them), from the copy whose dates make
-- installcheck-upgrade moved with the clock (output_upgrade/input). The hold
-- and its code are made live again, as they would be at an update.
CREATE ROLE upgrade_clinic NOLOGIN;
\set ECHO none
\i output_upgrade/input/fixture_0.1.sql
\set ECHO all
UPDATE booking.reservations SET expires_at = now() + interval '1 hour' WHERE status = 'held';
UPDATE booking.otp_codes SET issued_at = now(), expires_at = now() + interval '10 minutes';
SELECT (SELECT count(*) FROM booking.reservations) AS reservations,
       (SELECT count(*) FROM booking.audit_log) AS audit_rows,
       (SELECT count(*) FROM booking.otp_codes) AS codes;

-- The current library serves its own release's schema only: on the old one
-- every function refuses with 55000 and says what to do.
\set VERBOSITY default
SELECT booking.claim_slot(:org, 'room', '2031-03-03 17:00Z');
\set VERBOSITY terse
SELECT booking.grant_access('upgrade_clinic', 'staff');
SELECT booking.book(:org, 'room', '2031-03-03 17:00Z');
SELECT booking.read_events(:org, 'webhooks');
SELECT booking.expire_holds();
-- The guard still refuses an overlapping direct write meanwhile.
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
VALUES (:org, gen_random_uuid(), 'room', '2031-03-03 08:15Z', '2031-03-03 08:45Z', 'confirmed');
-- A role's grant on functions the update replaces (they gain arguments or
-- result columns): the update must keep it.
GRANT EXECUTE ON FUNCTION booking.set_calendar(uuid, text, text, interval, interval, interval, interval, jsonb),
                          booking.free_slots(uuid, text, timestamptz, timestamptz, interval, integer),
                          booking.claim_slot(uuid, text, timestamptz, interval, text, text, text, interval),
                          booking.book(uuid, text, timestamptz, interval, uuid, uuid, text, jsonb, text),
                          booking.cancel_appointment(uuid, uuid, text, boolean),
                          booking.reschedule_appointment(uuid, uuid, timestamptz, interval)
   TO upgrade_clinic;
-- A role that may issue codes: after the update it may take them back too.
GRANT EXECUTE ON FUNCTION booking.issue_otp(uuid, uuid) TO upgrade_clinic;

-- Every row, as it is before the update (without the columns the update
-- adds, whose defaults keep each old row what it was).
CREATE VIEW upgrade_check.rows AS
SELECT (SELECT md5(string_agg((to_jsonb(t) - ARRAY['capacity', 'set_id', 'series_id'])::text, '|' ORDER BY org_id, id))
        FROM booking.reservations t) AS reservations,
       (SELECT md5(string_agg(t::text, '|' ORDER BY org_id, id)) FROM booking.audit_log t) AS audit_log,
       (SELECT md5(string_agg((to_jsonb(t) - ARRAY['capacity', 'max_advance', 'change_notice', 'max_per_day', 'max_per_week'])::text, '|' ORDER BY org_id, calendar_id))
        FROM booking.calendars t) AS calendars,
       (SELECT md5(string_agg(t::text, '|' ORDER BY role)) FROM booking.role_bindings t) AS role_bindings,
       (SELECT md5(string_agg(t::text, '|' ORDER BY org_id, consumer)) FROM booking.event_consumers t) AS event_consumers,
       (SELECT md5(string_agg(t::text, '|' ORDER BY org_id, id)) FROM booking.event_queue t) AS event_queue,
       (SELECT md5(string_agg((to_jsonb(t) - 'previous_sent_at')::text, '|' ORDER BY org_id, hold_id))
        FROM booking.otp_codes t) AS otp_codes;
INSERT INTO upgrade_check.kept SELECT 'rows', rows::text FROM upgrade_check.rows rows;
SELECT count(*) AS reservations, count(*) FILTER (WHERE status = 'held') AS held FROM booking.reservations;
