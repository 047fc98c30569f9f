-- Rules a clinic sets (issue 23): a calendar's booking horizon, max_advance.
-- Nothing may start later than now plus it; claim_slot, book,
-- reschedule_appointment and book_series (the one write path's gate) refuse
-- with too_far_ahead and alternatives inside it, and change nothing;
-- free_slots and the alternatives never offer beyond it. The horizon is set
-- to end at 2031-03-05 12:00Z (the interval from now), so the answers do not
-- depend on the day the suite runs.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''20000000-0000-0000-0000-000000000023'''

-- A negative horizon, or one with a month part, is refused and stores nothing.
SELECT test_error($$SELECT booking.set_calendar('20000000-0000-0000-0000-000000000023', 'dr', max_advance => '-1 day')$$);
SELECT test_error($$SELECT booking.set_calendar('20000000-0000-0000-0000-000000000023', 'dr', max_advance => '1 month')$$);
SELECT count(*) AS nothing_stored FROM booking.calendars WHERE org_id = :org;

-- Existing calls keep working: no horizon, none in the answer.
SELECT booking.set_calendar(:org, 'dr', 'UTC', '30 minutes');
SELECT max_advance FROM booking.calendars WHERE org_id = :org AND calendar_id = 'dr';

-- The horizon, shown in the answer and the table.
SELECT booking.set_calendar(:org, 'dr', 'UTC', '30 minutes',
                            max_advance => '2031-03-05 12:00Z'::timestamptz - now())
       ?& ARRAY['success', 'max_advance'] AS answer_shows_it;
SELECT date_trunc('minute', now() + max_advance) AS horizon_ends
FROM booking.calendars WHERE org_id = :org AND calendar_id = 'dr';

-- Inside the horizon, a claim and a booking go in; the horizon's own start too.
SELECT test_mask(booking.claim_slot(:org, 'dr', '2031-03-04 09:00Z'))->>'success' AS claimed_inside;
SELECT test_mask(booking.book(:org, 'dr', '2031-03-05 12:00Z'))->>'success' AS booked_at_the_horizon;

-- Beyond it: too_far_ahead, alternatives at or before the horizon, nearest
-- first (12:00 is booked now).
SELECT booking.claim_slot(:org, 'dr', '2031-03-06 09:00Z') - 'message' AS claim_beyond;
SELECT booking.book(:org, 'dr', '2031-03-05 12:30Z') - 'message' AS book_beyond;
SELECT count(*) AS reservations FROM booking.reservations WHERE org_id = :org;

-- A reschedule beyond it is refused and the appointment stays where it was.
SELECT booking.book(:org, 'dr', '2031-03-03 10:00Z')->>'appointment_id' AS moved \gset
SELECT booking.reschedule_appointment(:org, :'moved', '2031-04-01 10:00Z')->>'error' AS reschedule_beyond;
SELECT starts_at, status FROM booking.reservations WHERE org_id = :org AND id = :'moved';
SELECT booking.reschedule_appointment(:org, :'moved', '2031-03-05 11:00Z')->>'success' AS reschedule_inside;

-- A series with an occurrence beyond it books none of them.
SELECT e->>'starts_at' AS occurrence, e->>'error' AS error
FROM jsonb_array_elements(booking.book_series(:org, 'dr', '2031-03-02 15:00Z', '30 minutes', '2 days', 3)->'conflicts') e;
SELECT count(*) AS reservations_after_the_refused_series FROM booking.reservations WHERE org_id = :org;

-- Several calendars in one booking: the one with the horizon is named.
SELECT booking.book(:org, 'room', '2031-03-06 09:00Z', with_calendars => ARRAY['dr'])
       - 'message' - 'alternatives' AS set_beyond;

-- check_availability says why; free_slots stops at the horizon.
SELECT booking.check_availability(:org, 'dr', '2031-03-06 09:00Z', '30 minutes')->>'reason' AS availability_beyond;
SELECT max(starts_at) AS last_free_start, count(*) AS free
FROM booking.free_slots(:org, 'dr', '2031-03-05 10:00Z', '2031-03-08 00:00Z', '30 minutes', 100);

-- NULL takes the rule away.
SELECT booking.set_calendar(:org, 'dr', 'UTC', '30 minutes', max_advance => NULL) ? 'max_advance' AS still_shown;
SELECT booking.book(:org, 'dr', '2031-03-06 09:00Z')->>'success' AS booked_without_a_horizon;

-- A calendar's change notice: an appointment that starts sooner than that
-- from now is not cancelled or moved (too_late_to_change, ESCALATE_TO_HUMAN)
-- unless a person forces it, which its audit row records. The notice is set
-- to reach 2031-03-10 12:00Z, so the answers do not depend on the day.
SELECT test_error($$SELECT booking.set_calendar('20000000-0000-0000-0000-000000000023', 'nurse', change_notice => '-1 hour')$$);
SELECT count(*) AS nothing_stored FROM booking.calendars WHERE org_id = :org AND calendar_id = 'nurse';
SELECT booking.book(:org, 'nurse', '2031-03-10 09:00Z')->>'appointment_id' AS soon \gset
SELECT booking.book(:org, 'nurse', '2031-03-10 10:00Z')->>'appointment_id' AS soon_too \gset
SELECT booking.book(:org, 'nurse', '2031-03-11 09:00Z')->>'appointment_id' AS later \gset
SELECT booking.set_calendar(:org, 'nurse', 'UTC', '30 minutes',
                            change_notice => '2031-03-10 12:00Z'::timestamptz - now())
       ?& ARRAY['success', 'change_notice'] AS answer_shows_it;

SELECT booking.cancel_appointment(:org, :'soon') - 'message' AS cancel_too_late;
SELECT booking.reschedule_appointment(:org, :'soon', '2031-03-12 09:00Z') - 'message' AS reschedule_too_late;
SELECT starts_at, status FROM booking.reservations WHERE org_id = :org AND id = :'soon';
SELECT count(*) AS audit_rows_of_the_refusals FROM booking.audit_log
WHERE org_id = :org AND entity_id = :'soon' AND action IN ('cancelled', 'rescheduled');

-- Far enough ahead, both work without force.
SELECT booking.reschedule_appointment(:org, :'later', '2031-03-12 09:00Z')->>'success' AS reschedule_in_time;
SELECT booking.cancel_appointment(:org, :'later')->>'success' AS cancel_in_time;

-- A person forces them: they go through, and the audit rows say so.
SELECT booking.reschedule_appointment(:org, :'soon', '2031-03-12 10:00Z', force => true)->>'success' AS forced_reschedule;
SELECT booking.cancel_appointment(:org, :'soon_too', force => true)->>'success' AS forced_cancel;
SELECT action, details->'forced' AS forced FROM booking.audit_log
WHERE org_id = :org AND entity_id IN (:'soon', :'soon_too', :'later') AND action IN ('cancelled', 'rescheduled')
ORDER BY action, (details ? 'forced');

-- Each refusal by a rule left one audit row (refused), naming the rule and
-- the calendar, and nothing else: the horizon's claim, book, reschedule,
-- series (one row for the call, at its occurrence beyond the horizon, with
-- how many of how many a rule refused) and set above, and the notice's
-- cancel and reschedule of 'soon'.
SELECT details->>'rule' AS rule, details->>'error' AS error, details->>'calendar_id' AS calendar,
       details->>'starts_at' AS starts_at, entity_id = :'soon' OR entity_id = :'moved' AS names_the_appointment,
       details->>'refused_occurrences' AS refused_occurrences, details->>'occurrences' AS occurrences
FROM booking.audit_log WHERE org_id = :org AND action = 'refused'
ORDER BY id;
-- A calendar's limits per day and week: at most max_per_day blocking
-- reservations start on one local day of its time zone, max_per_week in one
-- ISO week (Monday first); the next answers limit_reached with alternatives
-- on days or weeks with room, and changes nothing. Each reservation counts
-- once; released, cancelled and lapsed ones do not.
\set lim '''20000000-0000-0000-0000-000000000123'''
SELECT test_error($$SELECT booking.set_calendar('20000000-0000-0000-0000-000000000123', 'gp', max_per_day => 0)$$);
SELECT test_error($$SELECT booking.set_calendar('20000000-0000-0000-0000-000000000123', 'gp', max_per_week => 100001)$$);
SELECT count(*) AS nothing_stored FROM booking.calendars WHERE org_id = :lim;
SELECT booking.set_calendar(:lim, 'gp', 'Europe/Berlin', '30 minutes', capacity => 2, max_per_day => 2) AS limit_shown;
SELECT max_per_day, max_per_week FROM booking.calendars WHERE org_id = :lim AND calendar_id = 'gp';

-- Tuesday 4 March in Berlin (UTC+1): two go in, at one time (capacity 2,
-- each counts once); the third that day is refused, with alternatives on
-- other days only, and nothing is written.
SELECT booking.book(:lim, 'gp', '2031-03-04 09:00Z')->>'appointment_id' AS first_of_day \gset
SELECT booking.claim_slot(:lim, 'gp', '2031-03-04 09:00Z', caller_ref => 'mover')->>'success' AS second_of_day;
SELECT booking.book(:lim, 'gp', '2031-03-04 14:00Z') - 'message' - 'alternatives' AS third_of_day;
SELECT count(*) AS alternatives, count(*) FILTER (WHERE ((a->>'starts_at')::timestamptz AT TIME ZONE 'Europe/Berlin')::date = '2031-03-04') AS on_the_full_day
FROM jsonb_array_elements(booking.book(:lim, 'gp', '2031-03-04 14:00Z')->'alternatives') a;
SELECT count(*) AS reservations FROM booking.reservations WHERE org_id = :lim;
-- 23:30Z is already Wednesday in Berlin: another day, with room.
SELECT booking.book(:lim, 'gp', '2031-03-04 23:30Z')->>'success' AS next_local_day;
-- check_availability says why; free_slots offers nothing on the full day.
SELECT booking.check_availability(:lim, 'gp', '2031-03-04 15:00Z', '30 minutes') ->> 'reason' AS reason,
       booking.check_availability(:lim, 'gp', '2031-03-04 15:00Z', '30 minutes') ->> 'limit' AS limit_named;
SELECT (starts_at AT TIME ZONE 'Europe/Berlin')::date AS local_day, count(*) AS free
FROM booking.free_slots(:lim, 'gp', '2031-03-03 23:00Z', '2031-03-05 23:00Z', '30 minutes', 1000)
GROUP BY 1 ORDER BY 1;

-- The caller's hold moved onto the full day is refused and stays where it was.
SELECT booking.claim_slot(:lim, 'gp', '2031-03-06 09:00Z', caller_ref => 'mover')->>'success' AS moved_off;
SELECT booking.claim_slot(:lim, 'gp', '2031-03-04 10:00Z', caller_ref => 'other')->>'success' AS room_again;
SELECT booking.claim_slot(:lim, 'gp', '2031-03-04 11:00Z', caller_ref => 'mover') ->> 'error' AS move_onto_full_day;
SELECT starts_at, status FROM booking.reservations WHERE org_id = :lim AND caller_ref = 'mover' ORDER BY created_at, id;

-- A reschedule within the full day does not count the appointment twice;
-- one onto it from another day is refused and stays.
SELECT booking.reschedule_appointment(:lim, :'first_of_day', '2031-03-04 16:00Z')->>'success' AS moved_within_the_day;
SELECT booking.book(:lim, 'gp', '2031-03-07 09:00Z')->>'appointment_id' AS friday \gset
SELECT booking.reschedule_appointment(:lim, :'friday', '2031-03-04 12:00Z') - 'message' - 'alternatives' AS moved_onto_full_day;
SELECT starts_at FROM booking.reservations WHERE org_id = :lim AND id = :'friday';

-- Cancelled, released and lapsed ones do not count.
SELECT booking.cancel_appointment(:lim, :'first_of_day')->>'success' AS cancelled;
SELECT booking.claim_slot(:lim, 'gp', '2031-03-04 13:00Z', ttl => '1 second')->>'hold_id' AS lapsing \gset
SELECT booking.release_hold(:lim, (SELECT id FROM booking.reservations WHERE org_id = :lim AND caller_ref = 'other'))->>'success' AS released;
SELECT pg_sleep(1.2);
SELECT booking.book(:lim, 'gp', '2031-03-04 14:00Z')->>'success' AS after_the_lapse,
       booking.book(:lim, 'gp', '2031-03-04 14:30Z')->>'success' AS after_the_release,
       booking.book(:lim, 'gp', '2031-03-04 15:00Z')->>'error' AS full_again;

-- A series whose occurrence falls on the full day books none of them.
SELECT rule_refusals AS refusals_before FROM booking.stats() \gset
SELECT e->>'starts_at' AS occurrence, e->>'error' AS error
FROM jsonb_array_elements(booking.book_series(:lim, 'gp', '2031-03-03 08:00Z', '30 minutes', '1 day', 3)->'conflicts') e;
-- Its refusal is audited once for the call (refused, rule max_per_day, at
-- the occurrence on the full day) and counted in rule_refusals, though the
-- limit was counted inside the series' writes, which were rolled back.
SELECT details, entity_id IS NULL AS no_entity
FROM booking.audit_log WHERE org_id = :lim AND action = 'refused' ORDER BY id DESC LIMIT 1;
SELECT rule_refusals - :refusals_before AS rule_refusals_counted FROM booking.stats();
SELECT count(*) AS series_rows FROM booking.reservations WHERE org_id = :lim AND series_id IS NOT NULL;

-- Several calendars: a booking counts once on each, against each one's own
-- limit; the calendar whose day is full is named.
SELECT booking.set_calendar(:lim, 'room', 'Europe/Berlin', max_per_day => 1)->>'max_per_day' AS room_limit;
SELECT booking.book(:lim, 'room', '2031-03-04 17:00Z', with_calendars => ARRAY['gp'])
       - 'message' - 'alternatives' AS set_on_full_day;
SELECT booking.book(:lim, 'room', '2031-03-06 10:00Z', with_calendars => ARRAY['gp'])->>'success' AS set_booked;
SELECT booking.book(:lim, 'room', '2031-03-06 12:00Z') ->> 'limit' AS room_full;
SELECT booking.book(:lim, 'gp', '2031-03-06 12:00Z') ->> 'limit' AS gp_counted_it_too;

-- A week in New York across the change to summer time (Sunday 9 March):
-- Sunday 23:30 local (Monday 03:30Z) is still the week of 3 March, Monday
-- 00:30 local (04:30Z) the next.
SELECT booking.set_calendar(:lim, 'ny', 'America/New_York', max_per_week => 3)->>'max_per_week' AS week_limit;
SELECT booking.book(:lim, 'ny', '2031-03-03 14:00Z')->>'success' AS mon,
       booking.book(:lim, 'ny', '2031-03-05 14:00Z')->>'success' AS wed,
       booking.book(:lim, 'ny', '2031-03-10 03:30Z')->>'success' AS sun_late;
SELECT booking.book(:lim, 'ny', '2031-03-07 14:00Z') - 'message' - 'alternatives' AS week_full;
SELECT count(*) > 0 AS alternatives, count(*) FILTER (WHERE (a->>'starts_at')::timestamptz >= '2031-03-03 05:00Z' AND (a->>'starts_at')::timestamptz < '2031-03-10 04:00Z') AS in_the_full_week
FROM jsonb_array_elements(booking.book(:lim, 'ny', '2031-03-07 14:00Z')->'alternatives') a;
SELECT booking.book(:lim, 'ny', '2031-03-10 04:30Z')->>'success' AS next_week;
SELECT count(*) AS free_in_the_full_week
FROM booking.free_slots(:lim, 'ny', '2031-03-03 05:00Z', '2031-03-10 04:00Z', '30 minutes', 1000);

-- A day in Berlin of 23 hours (summer time from Sunday 30 March): its
-- bounds are local midnights, 23:00Z on the 29th and 22:00Z on the 30th.
SELECT booking.set_calendar(:lim, 'dst', 'Europe/Berlin', max_per_day => 1)->>'max_per_day' AS day_limit;
SELECT booking.book(:lim, 'dst', '2031-03-30 21:30Z')->>'success' AS late_on_the_short_day;
SELECT booking.book(:lim, 'dst', '2031-03-29 23:30Z')->>'error' AS early_on_the_short_day,
       booking.book(:lim, 'dst', '2031-03-29 22:30Z')->>'success' AS saturday,
       booking.book(:lim, 'dst', '2031-03-30 22:00Z')->>'success' AS monday;

-- A booking late in the day that runs past midnight counts on the day it
-- starts; the day's count (a bound read from the index first, then the
-- rows) finds it though its range ends the next day, also two of them
-- sharing their time (capacity 2).
SELECT booking.set_calendar(:lim, 'late', 'Europe/Berlin', max_per_day => 2)->>'max_per_day' AS late_limit;
SELECT booking.book(:lim, 'late', '2031-03-11 09:00Z')->>'success' AS morning,
       booking.book(:lim, 'late', '2031-03-11 22:30Z', '2 hours')->>'success' AS past_midnight;
SELECT booking.book(:lim, 'late', '2031-03-11 12:00Z')->>'limit' AS late_day_full,
       booking.book(:lim, 'late', '2031-03-12 09:00Z')->>'success' AS next_day_has_room;
SELECT booking.set_calendar(:lim, 'pair', 'Europe/Berlin', capacity => 2, max_per_day => 3)->>'max_per_day' AS pair_limit;
SELECT booking.book(:lim, 'pair', '2031-03-11 09:00Z')->>'success' AS pair_morning,
       booking.book(:lim, 'pair', '2031-03-11 22:00Z', '3 hours')->>'success' AS first_past_midnight,
       booking.book(:lim, 'pair', '2031-03-11 22:00Z', '3 hours')->>'success' AS second_past_midnight;
SELECT booking.book(:lim, 'pair', '2031-03-11 12:00Z')->>'limit' AS pair_day_full;

-- NULL takes the limits away.
SELECT booking.set_calendar(:lim, 'dst', 'Europe/Berlin') ? 'max_per_day' AS still_shown;
SELECT booking.book(:lim, 'dst', '2031-03-30 10:00Z')->>'success' AS booked_without_a_limit;

-- Each refusal by a limit left its audit row, naming which.
SELECT details->>'rule' AS rule, count(*) > 0 AS audited
FROM booking.audit_log WHERE org_id = :lim AND action = 'refused'
GROUP BY 1 ORDER BY 1;
