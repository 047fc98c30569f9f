-- The previous release, installed from its frozen script and used through
-- its functions by the current library, as a server is upgraded: the new
-- library first, then ALTER EXTENSION booking UPDATE (upgrade_2_update).
SET TimeZone = 'UTC';
\set org '''e0000000-0000-0000-0000-000000000001'''
CREATE EXTENSION booking VERSION '0.1';
SELECT extversion FROM pg_extension WHERE extname = 'booking';

-- What later tests compare and use, outside the extension.
CREATE SCHEMA upgrade_check;
CREATE TABLE upgrade_check.kept (what text PRIMARY KEY, value text NOT NULL);

-- A calendar with hours, bookings, a cancellation with erasure, an event
-- consumer, a role binding, and a hold with a code sent.
SELECT booking.set_calendar(:org, 'room', 'Europe/Berlin', slot_step => '30 minutes',
    buffer_after => '10 minutes', working_hours => '{"mon": [["08:00", "18:00"]]}')->>'success' AS calendar_set;
SELECT booking.create_event_consumer(:org, 'webhooks')->>'created' AS consumer_created;
SELECT count(*) FILTER (WHERE (booking.book(:org, 'room', '2031-03-03 08:00Z'::timestamptz + n * interval '1 hour',
                                            notes => 'note ' || n))->>'success' = 'true') AS booked
FROM generate_series(0, 5) n;
SELECT booking.cancel_appointment(:org, (SELECT id FROM booking.reservations WHERE org_id = :org AND starts_at = '2031-03-03 13:00Z'),
                                  'moved away', erase_pii => true)->>'status' AS cancelled;
CREATE ROLE upgrade_clinic NOLOGIN;
SELECT booking.bind_role('upgrade_clinic', :org)->>'success' AS bound;
INSERT INTO upgrade_check.kept
SELECT 'hold', booking.claim_slot(:org, 'room', '2031-03-03 15:00Z', caller_ref => 'call-1',
                                  patient_phone => '+15550100', ttl => '1 hour')->>'hold_id';
INSERT INTO upgrade_check.kept
SELECT 'code', booking.issue_otp(:org, value::uuid)->>'code' FROM upgrade_check.kept WHERE what = 'hold';

-- The current library on the old schema: the profiles are not there yet,
-- and grant_access says what to do.
\set VERBOSITY default
SELECT booking.grant_access('upgrade_clinic', 'staff');
\set VERBOSITY terse
-- A role's grant on functions the update replaces (they gain arguments or
-- result columns): the update must keep it.
GRANT EXECUTE ON FUNCTION booking.set_calendar(uuid, text, text, interval, interval, interval, interval, jsonb),
                          booking.free_slots(uuid, text, timestamptz, timestamptz, interval, integer),
                          booking.claim_slot(uuid, text, timestamptz, interval, text, text, text, interval),
                          booking.book(uuid, text, timestamptz, interval, uuid, uuid, text, jsonb, text)
   TO upgrade_clinic;
-- A role that may issue codes: after the update it may take them back too.
GRANT EXECUTE ON FUNCTION booking.issue_otp(uuid, uuid) TO upgrade_clinic;

-- Every row, as it is before the update (without the columns the update
-- adds, whose defaults keep each old row what it was).
CREATE VIEW upgrade_check.rows AS
SELECT (SELECT md5(string_agg((to_jsonb(t) - ARRAY['capacity', 'set_id', 'series_id'])::text, '|' ORDER BY org_id, id))
        FROM booking.reservations t) AS reservations,
       (SELECT md5(string_agg(t::text, '|' ORDER BY org_id, id)) FROM booking.audit_log t) AS audit_log,
       (SELECT md5(string_agg((to_jsonb(t) - 'capacity')::text, '|' ORDER BY org_id, calendar_id))
        FROM booking.calendars t) AS calendars,
       (SELECT md5(string_agg(t::text, '|' ORDER BY role)) FROM booking.role_bindings t) AS role_bindings,
       (SELECT md5(string_agg(t::text, '|' ORDER BY org_id, consumer)) FROM booking.event_consumers t) AS event_consumers,
       (SELECT md5(string_agg(t::text, '|' ORDER BY org_id, id)) FROM booking.event_queue t) AS event_queue,
       (SELECT md5(string_agg((to_jsonb(t) - 'previous_sent_at')::text, '|' ORDER BY org_id, hold_id))
        FROM booking.otp_codes t) AS otp_codes;
INSERT INTO upgrade_check.kept SELECT 'rows', rows::text FROM upgrade_check.rows rows;
SELECT count(*) AS reservations, count(*) FILTER (WHERE status = 'held') AS held FROM booking.reservations;
