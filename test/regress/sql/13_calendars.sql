-- Calendars: working hours in local time across daylight-saving changes,
-- buffers, minimum notice, and alternatives that respect them.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''d1000000-0000-0000-0000-000000000001'''

-- set_calendar validates everything with a SQLSTATE naming the argument.
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'Mars/Olympus')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', NULL)$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', slot_step => '30 seconds')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', slot_step => '1 month')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', buffer_after => '-5 minutes')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', min_notice => '400 days')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', working_hours => '{"funday": []}')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', working_hours => '{"mon": [["17:00", "09:00"]]}')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', working_hours => '{"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', working_hours => '{"mon": [["9am", "5pm"]]}')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', working_hours => '{"mon": [["09:00", "24:30"]]}')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', working_hours => '{"mon": ["09:00", "17:00"]}')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', working_hours => '{"mon": "09:00-17:00"}')$$);
SELECT test_error($$SELECT booking.set_calendar('d1000000-0000-0000-0000-000000000001', 'x', 'UTC', working_hours => '[]')$$);
SELECT count(*) AS nothing_stored FROM booking.calendars WHERE org_id = :org;

-- Berlin (DST from the last Sunday of March to the last Sunday of October):
-- weekdays 09:00-12:00 and 13:00-17:00, and a Sunday 01:00-04:00 shift that
-- meets both switches.
SELECT booking.set_calendar(:org, 'berlin', 'Europe/Berlin', '30 minutes', working_hours => '{
    "mon": [["09:00", "12:00"], ["13:00", "17:00"]], "tue": [["09:00", "12:00"], ["13:00", "17:00"]],
    "wed": [["09:00", "12:00"], ["13:00", "17:00"]], "thu": [["09:00", "12:00"], ["13:00", "17:00"]],
    "fri": [["09:00", "12:00"], ["13:00", "17:00"]], "sat": [], "sun": [["01:00", "04:00"]]}');
-- 09:00 local is 08:00Z before the March switch and 07:00Z after it.
SELECT starts_at, starts_at AT TIME ZONE 'Europe/Berlin' AS local_start
FROM booking.free_slots(:org, 'berlin', '2030-03-29 00:00Z', '2030-03-29 09:00Z', '1 hour', 3);
SELECT starts_at, starts_at AT TIME ZONE 'Europe/Berlin' AS local_start
FROM booking.free_slots(:org, 'berlin', '2030-04-01 00:00Z', '2030-04-01 09:00Z', '1 hour', 3);
-- Spring forward, Sunday 2030-03-31: 02:00-03:00 does not exist, so 01:00-04:00 is two hours.
SELECT starts_at, starts_at AT TIME ZONE 'Europe/Berlin' AS local_start
FROM booking.free_slots(:org, 'berlin', '2030-03-30 12:00Z', '2030-03-31 12:00Z', '30 minutes', 20);
-- Fall back, Sunday 2030-10-27: 02:00-03:00 happens twice, so 01:00-04:00 is four hours.
SELECT starts_at, starts_at AT TIME ZONE 'Europe/Berlin' AS local_start
FROM booking.free_slots(:org, 'berlin', '2030-10-26 12:00Z', '2030-10-27 12:00Z', '30 minutes', 20);
-- And 09:00 local is 07:00Z before that switch and 08:00Z after it.
SELECT min(starts_at) FILTER (WHERE starts_at < '2030-10-27') AS friday_first,
       min(starts_at) FILTER (WHERE starts_at > '2030-10-27 12:00Z') AS monday_first
FROM booking.free_slots(:org, 'berlin', '2030-10-25 00:00Z', '2030-10-29 00:00Z', '1 hour', 40);

-- A day with two opening intervals: nothing across the lunch break or after hours.
SELECT r->>'error' AS lunch, jsonb_path_query_array(r, '$.alternatives[*].starts_at') AS alternatives
FROM booking.claim_slot(:org, 'berlin', '2030-03-04 10:30Z', '1 hour') r;  -- 11:30-12:30 local
SELECT booking.claim_slot(:org, 'berlin', '2030-03-04 10:00Z', '1 hour')->>'success' AS morning_fits;  -- 11:00-12:00
SELECT booking.claim_slot(:org, 'berlin', '2030-03-04 12:00Z', '30 minutes')->>'success' AS after_lunch;  -- 13:00
SELECT booking.book(:org, 'berlin', '2030-03-02 10:00Z')->>'error' AS saturday;
SELECT booking.check_availability(:org, 'berlin', '2030-03-04 16:30Z', '30 minutes')->>'reason' AS evening;
-- Off-grid starts inside hours are taken as asked; the grid is for suggestions.
SELECT booking.book(:org, 'berlin', '2030-03-05 08:10Z', '20 minutes')->>'success' AS off_grid_inside_hours;

-- Sydney (southern hemisphere: DST ends the first Sunday of April, starts the first Sunday of October).
SELECT booking.set_calendar(:org, 'sydney', 'Australia/Sydney', '1 hour',
                            working_hours => '{"fri": [["09:00", "11:00"]], "mon": [["09:00", "11:00"]]}')->>'success';
SELECT starts_at, starts_at AT TIME ZONE 'Australia/Sydney' AS local_start
FROM booking.free_slots(:org, 'sydney', '2030-04-04 00:00Z', '2030-04-09 00:00Z', '1 hour', 10);
SELECT starts_at, starts_at AT TIME ZONE 'Australia/Sydney' AS local_start
FROM booking.free_slots(:org, 'sydney', '2030-10-03 00:00Z', '2030-10-08 00:00Z', '1 hour', 10);

-- Kolkata (no DST, half-hour offset): the grid follows local opening times.
SELECT booking.set_calendar(:org, 'kolkata', 'Asia/Kolkata', '45 minutes',
                            working_hours => '{"wed": [["10:00", "13:00"]]}')->>'success';
SELECT starts_at, starts_at AT TIME ZONE 'Asia/Kolkata' AS local_start
FROM booking.free_slots(:org, 'kolkata', '2030-06-05 00:00Z', '2030-06-06 00:00Z', '45 minutes', 10);

-- A calendar open at all hours in a zone: its grid restarts at each local
-- midnight and steps in real time from there (on the switch day 01:30 is
-- followed by 04:00, ninety real minutes later), and slots may run past midnight.
SELECT booking.set_calendar(:org, 'ny', 'America/New_York', '1 hour 30 minutes')->>'success';
SELECT starts_at AT TIME ZONE 'America/New_York' AS local_start
FROM booking.free_slots(:org, 'ny', '2030-03-09 22:00-05', '2030-03-10 06:00-04', '1 hour 30 minutes', 10);
SELECT booking.book(:org, 'ny', '2030-03-11 03:30Z', '3 hours')->>'success' AS across_midnight;

-- Buffers are part of what a reservation blocks; answers show its own times.
SELECT booking.set_calendar(:org, 'chair', 'UTC', '15 minutes', buffer_before => '5 minutes', buffer_after => '10 minutes')->>'success';
SELECT test_mask(booking.book(:org, 'chair', '2030-05-06 10:00Z', '30 minutes'));
SELECT buffer_before, buffer_after, blocks FROM booking.reservations WHERE org_id = :org AND calendar_id = 'chair';
-- The next one must leave 10 + 5 minutes: 10:30 and 10:40 are taken, 10:45 fits.
SELECT booking.book(:org, 'chair', '2030-05-06 10:30Z', '30 minutes')->>'error' AS at_1030,
       booking.claim_slot(:org, 'chair', '2030-05-06 10:40Z', '30 minutes')->>'error' AS at_1040;
SELECT booking.book(:org, 'chair', '2030-05-06 10:45Z', '30 minutes')->>'starts_at' AS at_1045;
-- Before it, too: an appointment ending at 09:45 leaves its own 10 minutes and the
-- next one's 5 clear; one ending at 10:00 does not.
SELECT booking.book(:org, 'chair', '2030-05-06 09:30Z', '30 minutes')->>'error' AS ending_at_1000,
       booking.book(:org, 'chair', '2030-05-06 09:15Z', '30 minutes')->>'success' AS ending_at_0945;
-- Alternatives keep the gaps too.
SELECT jsonb_path_query_array(booking.claim_slot(:org, 'chair', '2030-05-06 10:15Z', '30 minutes'), '$.alternatives[*].starts_at') AS alternatives;
-- The database keeps them even against a direct insert.
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, buffer_before)
                    VALUES ('d1000000-0000-0000-0000-000000000001', gen_random_uuid(), 'chair', '2030-05-06 11:20Z', '2030-05-06 11:50Z', 'confirmed', '5 minutes')$$);

-- Minimum notice: too soon is refused with the first slots after it.
SELECT booking.set_calendar(:org, 'notice', 'UTC', '15 minutes', min_notice => '2 hours')->>'success';
SELECT r->>'error' AS error, r->>'action' AS action,
       (SELECT bool_and((a->>'starts_at')::timestamptz >= now() + interval '2 hours') FROM jsonb_array_elements(r->'alternatives') a) AS after_the_notice,
       jsonb_array_length(r->'alternatives') AS alternatives
FROM booking.claim_slot(:org, 'notice', date_trunc('hour', now()) + interval '2 hours') r;
SELECT booking.book(:org, 'notice', date_trunc('hour', now()) + interval '3 hours')->>'success' AS after_notice;
SELECT booking.check_availability(:org, 'notice', now() + interval '30 minutes', '15 minutes')->>'reason' AS reason;
SELECT bool_and(starts_at >= now() + interval '2 hours') AS free_slots_respect_notice
FROM booking.free_slots(:org, 'notice', now(), now() + interval '1 day', '15 minutes', 20);

-- Alternatives on a nearly full day: only the two gaps left, nearest first.
SELECT booking.set_calendar(:org, 'full', 'UTC', '30 minutes', working_hours => '{"tue": [["09:00", "13:00"]]}')->>'success';
SELECT count(*) FILTER (WHERE booking.book(:org, 'full', t, '30 minutes')->>'success' = 'true') AS booked
FROM generate_series('2030-05-07 09:00Z'::timestamptz, '2030-05-07 12:30Z', '30 minutes') t
WHERE t NOT IN ('2030-05-07 09:30Z', '2030-05-07 12:30Z');
SELECT jsonb_path_query_array(booking.claim_slot(:org, 'full', '2030-05-07 11:00Z', '30 minutes'), '$.alternatives[*].starts_at') AS two_gaps_then_next_week;
SET booking.search_horizon = '1d';
SELECT jsonb_path_query_array(booking.claim_slot(:org, 'full', '2030-05-07 11:00Z', '30 minutes'), '$.alternatives[*].starts_at') AS within_a_day;
RESET booking.search_horizon;

-- Changing hours never moves or cancels anything; staff find what is now outside.
SELECT booking.book(:org, 'berlin', '2030-03-06 15:00Z', '1 hour')->>'appointment_id' AS late_appt \gset
SELECT booking.set_calendar(:org, 'berlin', 'Europe/Berlin', '30 minutes', working_hours => '{"wed": [["09:00", "12:00"]]}')->>'success' AS shortened;
SELECT status FROM booking.reservations WHERE id = :'late_appt';
SELECT appointment_id = :'late_appt' AS is_it, starts_at, status
FROM booking.appointments_outside_hours(:org, 'berlin', '2030-03-06', '2030-03-07');
SELECT test_error($$SELECT * FROM booking.appointments_outside_hours('d1000000-0000-0000-0000-000000000001', 'berlin', '2030-01-01', '2032-01-01')$$);
-- New rules take effect at once, also for calendars changed back to "open at all hours".
SELECT booking.check_availability(:org, 'berlin', '2030-03-06 15:00Z', '1 hour')->>'reason' AS outside_now;
SELECT booking.set_calendar(:org, 'berlin', 'UTC')->>'success';
SELECT booking.book(:org, 'berlin', '2030-03-09 03:00Z')->>'success' AS saturday_night_now_fine;
-- A change applied in replica mode, as logical replication applies it, reaches
-- the rules this backend keeps too, both ways.
SET session_replication_role = replica;
UPDATE booking.calendars SET working_hours = '{"wed": [["09:00", "12:00"]]}' WHERE org_id = :org AND calendar_id = 'berlin';
RESET session_replication_role;
SELECT booking.check_availability(:org, 'berlin', '2030-03-09 05:00Z', '1 hour')->>'reason' AS replicated_hours_apply;
SET session_replication_role = replica;
UPDATE booking.calendars SET working_hours = NULL WHERE org_id = :org AND calendar_id = 'berlin';
RESET session_replication_role;
SELECT booking.check_availability(:org, 'berlin', '2030-03-09 05:00Z', '1 hour')->>'available' AS replicated_reopening_applies;

-- Settings are dumped with the database; tenants read only their own.
SELECT extconfig @> ARRAY['booking.calendars'::regclass::oid] AS dumped FROM pg_extension WHERE extname = 'booking';
SELECT calendar_id, time_zone, slot_step, buffer_before, buffer_after, min_notice, working_hours IS NOT NULL AS has_hours
FROM booking.calendars WHERE org_id = :org ORDER BY calendar_id;
SELECT action, details->>'calendar_id' AS calendar FROM booking.audit_log WHERE org_id = :org AND action = 'calendar_set' ORDER BY id;
