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
-- the calendar, and nothing else: the horizon's claim, book, reschedule and
-- set above, and the notice's cancel and reschedule of 'soon'.
SELECT details->>'rule' AS rule, details->>'error' AS error, details->>'calendar_id' AS calendar,
       details->>'starts_at' AS starts_at, entity_id = :'soon' OR entity_id = :'moved' AS names_the_appointment
FROM booking.audit_log WHERE org_id = :org AND action = 'refused'
ORDER BY id;
