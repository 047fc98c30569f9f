-- Several calendars in one booking: a clinician and a room at once. One row
-- per calendar linked by set_id, all or nothing; a refusal names the
-- calendar that was taken; every later change acts on the whole set.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''17000000-0000-0000-0000-000000000001'''

-- Bad input raises and changes nothing.
SELECT test_error($$SELECT booking.book('17000000-0000-0000-0000-000000000001', 'dr-a', '2030-10-07 09:00Z', with_calendars => '{}')$$);
SELECT test_error($$SELECT booking.book('17000000-0000-0000-0000-000000000001', 'dr-a', '2030-10-07 09:00Z', with_calendars => '{room-1,room-1}')$$);
SELECT test_error($$SELECT booking.book('17000000-0000-0000-0000-000000000001', 'dr-a', '2030-10-07 09:00Z', with_calendars => '{room-1,dr-a}')$$);
SELECT test_error($$SELECT booking.claim_slot('17000000-0000-0000-0000-000000000001', 'dr-a', '2030-10-07 09:00Z', with_calendars => ARRAY['room-1', NULL])$$);
SELECT test_error($$SELECT booking.claim_slot('17000000-0000-0000-0000-000000000001', 'dr-a', '2030-10-07 09:00Z', with_calendars => ARRAY['room-1', ' '])$$);
SELECT test_error($$SELECT booking.book('17000000-0000-0000-0000-000000000001', 'dr-a', '2030-10-07 09:00Z', with_calendars => ARRAY[repeat('r', 201)])$$);
SELECT test_error($$SELECT booking.book('17000000-0000-0000-0000-000000000001', 'dr-a', '2030-10-07 09:00Z', with_calendars => '{{room-1},{room-2}}')$$);
SELECT test_error($$SELECT booking.book('17000000-0000-0000-0000-000000000001', 'dr-a', '2030-10-07 09:00Z',
                                        with_calendars => (SELECT array_agg('room-' || n) FROM generate_series(1, 10) n))$$);
SELECT count(*) AS nothing_written FROM booking.reservations WHERE org_id = :org;

-- The room has its own buffer and hours; the clinician is open all day.
SELECT booking.set_calendar(:org, 'room-1', buffer_after => '15 minutes',
    working_hours => '{"mon": [["08:00", "18:00"]], "tue": [["08:00", "18:00"]]}')->>'success' AS room_set;

-- A booking of both: one appointment, two rows, one set.
SELECT booking.book(:org, 'dr-a', '2030-10-07 09:00Z', '30 minutes',
                    contact_id => '17000000-0000-0000-0000-0000000000c1', notes => 'first visit',
                    with_calendars => '{room-1}') AS b1 \gset
SELECT test_mask(:'b1'::jsonb);
SELECT (:'b1'::jsonb->>'set_id') = (:'b1'::jsonb->>'appointment_id') AS set_id_is_the_first_reservation;
SELECT calendar_id, status, set_id = (:'b1'::jsonb->>'set_id')::uuid AS in_the_set, contact_id IS NOT NULL AS contact, notes,
       upper(blocks) - ends_at AS buffer_after
FROM booking.reservations WHERE org_id = :org ORDER BY calendar_id;

-- Each calendar keeps its own guarantee: the room alone is taken (its
-- buffer too), the clinician alone is taken.
SELECT booking.book(:org, 'room-1', '2030-10-07 09:30Z', '30 minutes')->>'error' AS room_inside_its_buffer;
SELECT booking.book(:org, 'dr-a', '2030-10-07 09:15Z', '30 minutes')->>'error' AS clinician_taken;
SELECT booking.book(:org, 'dr-a', '2030-10-07 09:30Z', '30 minutes')->>'status' AS clinician_free_after;

-- Another clinician with the same room: refused, naming the room, with
-- alternatives free on both calendars; nothing is written.
SELECT count(*) AS rows_before FROM booking.reservations WHERE org_id = :org \gset
SELECT r->>'error' AS error, r->>'conflicting_calendar' AS conflicting_calendar,
       r->'conflicting_appointment'->>'starts_at' AS conflict_starts_at, r->'alternatives' AS alternatives
FROM booking.book(:org, 'dr-b', '2030-10-07 09:00Z', '30 minutes', with_calendars => '{room-1}') r;
SELECT count(*) = :rows_before AS nothing_written FROM booking.reservations WHERE org_id = :org;
-- The other order of the same two calendars is refused alike.
SELECT r->>'error' AS error, r->>'conflicting_calendar' AS conflicting_calendar
FROM booking.book(:org, 'room-1', '2030-10-07 09:10Z', '30 minutes', with_calendars => '{dr-b}') r;
-- A calendar's hours and notice are its own: the room is closed on Sunday.
SELECT r->>'error' AS error, r->>'conflicting_calendar' AS conflicting_calendar,
       jsonb_array_length(r->'alternatives') AS alternatives
FROM booking.book(:org, 'dr-b', '2030-10-06 10:00Z', '30 minutes', with_calendars => '{room-1}') r;
SELECT booking.book(:org, 'dr-b', '2030-10-06 10:00Z', '30 minutes')->>'status' AS clinician_alone_on_sunday;
-- In the past: no calendar is to blame.
SELECT r->>'error' AS error, r ? 'conflicting_calendar' AS names_a_calendar
FROM booking.book(:org, 'dr-b', now() - interval '1 day', '30 minutes', with_calendars => '{room-1}') r;

-- Three calendars: the third one taken refuses the whole set.
SELECT booking.book(:org, 'xray', '2030-10-07 11:00Z', '1 hour')->>'status' AS xray_booked;
SELECT r->>'error' AS error, r->>'conflicting_calendar' AS conflicting_calendar
FROM booking.book(:org, 'dr-c', '2030-10-07 11:30Z', '30 minutes', with_calendars => '{room-2,xray}') r;
SELECT count(*) AS none_of_the_three FROM booking.reservations
WHERE org_id = :org AND calendar_id IN ('dr-c', 'room-2') ;

-- idempotency_key: a retry answers the set again; the key for another set is refused.
SELECT booking.book(:org, 'dr-c', '2030-10-08 09:00Z', with_calendars => '{room-2}', idempotency_key => 'set-1') AS first \gset
SELECT booking.book(:org, 'dr-c', '2030-10-08 09:00Z', with_calendars => '{room-2}', idempotency_key => 'set-1') AS retry \gset
SELECT (:'retry'::jsonb->>'replayed')::boolean AS replayed, (:'retry'::jsonb->'calendars') = (:'first'::jsonb->'calendars') AS same_calendars;
SELECT booking.book(:org, 'dr-c', '2030-10-08 09:00Z', with_calendars => '{room-3}', idempotency_key => 'set-1')->>'error' AS other_set;
SELECT booking.book(:org, 'dr-c', '2030-10-08 09:00Z', idempotency_key => 'set-1')->>'error' AS one_calendar_of_it;

-- A hold of both, confirmed by staff: both rows confirmed, one audit row each.
SELECT booking.claim_slot(:org, 'dr-a', '2030-10-07 14:00Z', '30 minutes', caller_ref => 'call-1',
                          with_calendars => '{room-1}') AS h1 \gset
SELECT test_mask(:'h1'::jsonb);
SELECT booking.confirm_hold(:org, (:'h1'::jsonb->>'hold_id')::uuid)->>'status' AS confirmed;
SELECT calendar_id, status FROM booking.reservations
WHERE org_id = :org AND set_id = (:'h1'::jsonb->>'set_id')::uuid ORDER BY calendar_id;
SELECT action, details->>'calendar_id' AS calendar, details->>'set_id' = (:'h1'::jsonb->>'set_id') AS says_its_set
FROM booking.audit_log WHERE org_id = :org AND entity_id IN
    (SELECT id FROM booking.reservations WHERE set_id = (:'h1'::jsonb->>'set_id')::uuid) ORDER BY id;

-- A caller_ref: the same request again returns the same hold; another slot
-- moves it, giving back every calendar of the old one.
SELECT booking.claim_slot(:org, 'dr-a', '2030-10-07 15:00Z', '30 minutes', caller_ref => 'call-2',
                          with_calendars => '{room-1}') AS h2 \gset
SELECT (booking.claim_slot(:org, 'dr-a', '2030-10-07 15:00Z', '30 minutes', caller_ref => 'call-2',
                           with_calendars => '{room-1}')->>'hold_id') = (:'h2'::jsonb->>'hold_id') AS same_hold;
SELECT booking.claim_slot(:org, 'dr-a', '2030-10-07 15:15Z', '30 minutes', caller_ref => 'call-2',
                          with_calendars => '{room-1}') AS h3 \gset
SELECT (:'h3'::jsonb->>'status') AS moved, (:'h3'::jsonb->>'hold_id') <> (:'h2'::jsonb->>'hold_id') AS new_hold;
SELECT calendar_id, status, status_reason FROM booking.reservations
WHERE org_id = :org AND set_id IN ((:'h2'::jsonb->>'set_id')::uuid, (:'h3'::jsonb->>'set_id')::uuid)
ORDER BY status DESC, calendar_id;
-- Moving to one calendar releases the set too.
SELECT booking.claim_slot(:org, 'dr-a', '2030-10-07 16:00Z', '30 minutes', caller_ref => 'call-2')->>'status' AS moved_to_one;
SELECT calendar_id, status FROM booking.reservations
WHERE org_id = :org AND set_id = (:'h3'::jsonb->>'set_id')::uuid ORDER BY calendar_id;

-- Extending, releasing, expiring: the whole set.
SELECT booking.claim_slot(:org, 'dr-b', '2030-10-08 14:00Z', '30 minutes', ttl => '5 minutes',
                          with_calendars => '{room-1}') AS h4 \gset
SELECT booking.extend_hold(:org, (:'h4'::jsonb->>'hold_id')::uuid, '20 minutes')->>'success' AS extended;
SELECT count(DISTINCT expires_at) AS one_expiry, count(*) AS rows FROM booking.reservations
WHERE org_id = :org AND set_id = (:'h4'::jsonb->>'set_id')::uuid;
SELECT booking.release_hold(:org, (:'h4'::jsonb->>'hold_id')::uuid, 'changed plans')->>'status' AS released;
SELECT calendar_id, status, status_reason FROM booking.reservations
WHERE org_id = :org AND set_id = (:'h4'::jsonb->>'set_id')::uuid ORDER BY calendar_id;
SELECT booking.claim_slot(:org, 'dr-b', '2030-10-08 15:00Z', '30 minutes', ttl => '20 ms',
                          with_calendars => '{room-1}') AS h5 \gset
SELECT pg_sleep(0.05);
-- A lapsed set stops blocking at once; the booking in its way expires all of it.
SELECT booking.book(:org, 'room-1', '2030-10-08 15:00Z', '30 minutes')->>'status' AS room_free_again;
SELECT calendar_id, status FROM booking.reservations
WHERE org_id = :org AND set_id = (:'h5'::jsonb->>'set_id')::uuid ORDER BY calendar_id;

-- Verification: a matching code confirms the set; the last wrong code
-- locks all of it for staff.
SELECT booking.claim_slot(:org, 'dr-b', '2030-10-08 16:00Z', '30 minutes', caller_ref => 'call-5',
                          with_calendars => '{room-1}') AS h6 \gset
SELECT booking.issue_otp(:org, (:'h6'::jsonb->>'hold_id')::uuid)->>'code' AS code \gset
SELECT booking.verify_otp(:org, (:'h6'::jsonb->>'hold_id')::uuid, :'code')->>'status' AS verified;
SELECT calendar_id, status, verified_at IS NOT NULL AS verified FROM booking.reservations
WHERE org_id = :org AND set_id = (:'h6'::jsonb->>'set_id')::uuid ORDER BY calendar_id;
SELECT booking.claim_slot(:org, 'dr-b', '2030-10-08 17:00Z', '30 minutes', caller_ref => 'call-6',
                          with_calendars => '{room-1}') AS h7 \gset
-- Three wrong codes: the code sent plus 1, 2 and 3 (fixed guesses would
-- match a random code now and then).
SELECT booking.issue_otp(:org, (:'h7'::jsonb->>'hold_id')::uuid)->>'code' AS c7 \gset
SELECT :'c7' ~ '^[0-9]{4}$' AS sent;
SELECT booking.verify_otp(:org, (:'h7'::jsonb->>'hold_id')::uuid, lpad(((:'c7'::int + 1) % 10000)::text, 4, '0'))->>'error' AS e1,
       booking.verify_otp(:org, (:'h7'::jsonb->>'hold_id')::uuid, lpad(((:'c7'::int + 2) % 10000)::text, 4, '0'))->>'error' AS e2,
       booking.verify_otp(:org, (:'h7'::jsonb->>'hold_id')::uuid, lpad(((:'c7'::int + 3) % 10000)::text, 4, '0'))->>'error' AS e3;
SELECT calendar_id, status FROM booking.reservations
WHERE org_id = :org AND set_id = (:'h7'::jsonb->>'set_id')::uuid ORDER BY calendar_id;

-- Rescheduling moves every calendar, each with its own rules; refused,
-- nothing moves and the answer names the calendar in the way.
SELECT booking.reschedule_appointment(:org, (:'b1'::jsonb->>'appointment_id')::uuid, '2030-10-07 10:00Z') AS moved \gset
SELECT test_mask(:'moved'::jsonb);
SELECT calendar_id, starts_at, upper(blocks) FROM booking.reservations
WHERE org_id = :org AND set_id = (:'b1'::jsonb->>'set_id')::uuid ORDER BY calendar_id;
SELECT booking.book(:org, 'room-1', '2030-10-07 12:00Z', '30 minutes')->>'status' AS room_booked_at_noon;
SELECT r->>'error' AS error, r->>'conflicting_calendar' AS conflicting_calendar
FROM booking.reschedule_appointment(:org, (:'b1'::jsonb->>'appointment_id')::uuid, '2030-10-07 12:00Z') r;
SELECT r->>'error' AS error, r->>'conflicting_calendar' AS conflicting_calendar
FROM booking.reschedule_appointment(:org, (:'b1'::jsonb->>'appointment_id')::uuid, '2030-10-07 19:00Z') r;
SELECT calendar_id, starts_at FROM booking.reservations
WHERE org_id = :org AND set_id = (:'b1'::jsonb->>'set_id')::uuid ORDER BY calendar_id;
SELECT count(*) AS rescheduled_rows FROM booking.audit_log
WHERE org_id = :org AND action = 'rescheduled' AND details->>'set_id' = (:'b1'::jsonb->>'set_id');

-- Cancelling cancels the set; erasure erases every row of it.
SELECT booking.cancel_appointment(:org, (:'b1'::jsonb->>'appointment_id')::uuid, 'ill', erase_pii => true)->>'status' AS cancelled;
SELECT calendar_id, status, notes, status_reason FROM booking.reservations
WHERE org_id = :org AND set_id = (:'b1'::jsonb->>'set_id')::uuid ORDER BY calendar_id;
-- Its time is free on both calendars again.
SELECT booking.book(:org, 'dr-b', '2030-10-07 10:00Z', '30 minutes', with_calendars => '{room-1}')->>'status' AS rebooked;

-- A calendar with places for several inside a set: a shared room.
SELECT booking.set_calendar(:org, 'waiting', capacity => 2)->>'success' AS shared_room;
SELECT booking.book(:org, 'dr-d', '2030-10-09 09:00Z', with_calendars => '{waiting}')->>'status' AS one,
       booking.book(:org, 'dr-e', '2030-10-09 09:00Z', with_calendars => '{waiting}')->>'status' AS two;
SELECT r->>'error' AS error, r->>'conflicting_calendar' AS conflicting_calendar
FROM booking.book(:org, 'dr-f', '2030-10-09 09:00Z', with_calendars => '{waiting}') r;
