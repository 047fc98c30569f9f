-- Capacity: a calendar with N places accepts N overlapping blocking
-- reservations at any instant, for every writer; the (N+1)th hears
-- slot_unavailable with alternatives that have a place left.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''16000000-0000-0000-0000-000000000001'''

-- Bad input raises and changes nothing.
SELECT test_error($$SELECT booking.set_calendar('16000000-0000-0000-0000-000000000001', 'class', capacity => 0)$$);
SELECT test_error($$SELECT booking.set_calendar('16000000-0000-0000-0000-000000000001', 'class', capacity => -3)$$);
SELECT test_error($$SELECT booking.set_calendar('16000000-0000-0000-0000-000000000001', 'class', capacity => 1001)$$);
SELECT test_error($$SELECT booking.set_calendar('16000000-0000-0000-0000-000000000001', 'class', capacity => NULL)$$);
SELECT count(*) AS calendars FROM booking.calendars WHERE org_id = :org;

-- A class of three places, on a half-hour grid.
SELECT booking.set_calendar(:org, 'class', slot_step => '30 minutes', capacity => 3);
SELECT capacity FROM booking.calendars WHERE org_id = :org AND calendar_id = 'class';
SELECT booking.book(:org, 'class', '2030-09-02 10:00Z', '1 hour')->>'status' AS status
FROM generate_series(1, 3);
-- The fourth is refused: the alternatives have a place left.
SELECT test_mask(booking.book(:org, 'class', '2030-09-02 10:00Z', '1 hour'));
-- A shorter claim inside the full hour is refused too, one after it is not.
SELECT booking.claim_slot(:org, 'class', '2030-09-02 10:30Z', '15 minutes')->>'error' AS inside_the_full_hour;
SELECT booking.claim_slot(:org, 'class', '2030-09-02 11:00Z', '30 minutes', caller_ref => 'c-1')->>'status' AS right_after;
SELECT count(*) AS blocking, max(capacity) AS capacity
FROM booking.reservations WHERE org_id = :org AND calendar_id = 'class' AND status IN ('held', 'confirmed');

-- free_slots counts the places left in each slot.
SELECT * FROM booking.free_slots(:org, 'class', '2030-09-02 09:00Z', '2030-09-02 12:30Z', '1 hour');

-- check_availability says how many places are left, and what shares them.
SELECT r->>'available' AS available, r->>'places_left' AS places_left, r->>'capacity' AS capacity,
       jsonb_array_length(r->'conflicts') AS sharing
FROM booking.check_availability(:org, 'class', '2030-09-02 11:00Z', '30 minutes') r;
SELECT r->>'available' AS available, r->>'reason' AS reason, r->>'places_left' AS places_left,
       jsonb_array_length(r->'alternatives') AS alternatives
FROM booking.check_availability(:org, 'class', '2030-09-02 10:15Z', '30 minutes') r;

-- Overlaps count at the busiest instant, not per start: with 10:00-11:00
-- full, 10:30-11:30 finds no place; 11:00-12:00 beside the hold has two.
SELECT booking.book(:org, 'class', '2030-09-02 10:30Z', '1 hour')->>'error' AS across_the_full_hour;
SELECT booking.book(:org, 'class', '2030-09-02 11:00Z', '1 hour')->>'status' AS beside_the_hold;
SELECT booking.book(:org, 'class', '2030-09-02 11:00Z', '1 hour')->>'status' AS the_last_place;
SELECT booking.book(:org, 'class', '2030-09-02 11:15Z', '30 minutes')->>'error' AS full_again;

-- A lapsed hold stops taking a place at once, and the claim in its way expires it.
SELECT booking.claim_slot(:org, 'class', '2030-09-03 10:00Z', '1 hour', ttl => '20 ms')->>'status' AS short_hold;
SELECT booking.book(:org, 'class', '2030-09-03 10:00Z', '1 hour')->>'status' AS one,
       booking.book(:org, 'class', '2030-09-03 10:00Z', '1 hour')->>'status' AS two;
SELECT pg_sleep(0.05);
SELECT booking.book(:org, 'class', '2030-09-03 10:00Z', '1 hour')->>'status' AS three;
SELECT status, count(*) FROM booking.reservations
WHERE org_id = :org AND calendar_id = 'class' AND starts_at = '2030-09-03 10:00Z' GROUP BY status ORDER BY status;

-- Rescheduling into a full slot is refused; into one with a place it moves.
SELECT booking.book(:org, 'class', '2030-09-04 10:00Z', '1 hour') AS mover \gset
SELECT booking.reschedule_appointment(:org, (:'mover'::jsonb->>'appointment_id')::uuid, '2030-09-02 10:00Z')->>'error' AS into_the_full_hour;
SELECT booking.reschedule_appointment(:org, (:'mover'::jsonb->>'appointment_id')::uuid, '2030-09-03 11:00Z')->>'status' AS into_a_free_one;

-- The guard holds for every writer. A direct insert past the capacity:
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, capacity)
                    VALUES ('16000000-0000-0000-0000-000000000001', gen_random_uuid(), 'class', '2030-09-02 10:15Z', '2030-09-02 10:45Z', 'confirmed', 3)$$);
-- One that does not say its capacity keeps its time to itself (1, the default).
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('16000000-0000-0000-0000-000000000001', gen_random_uuid(), 'class', '2030-09-03 10:30Z', '2030-09-03 11:00Z', 'confirmed')$$);
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
VALUES (:org, gen_random_uuid(), 'class', '2030-09-05 10:00Z', '2030-09-05 11:00Z', 'confirmed');
-- ... and then nothing shares it, whatever the calendar's capacity.
SELECT booking.book(:org, 'class', '2030-09-05 10:30Z', '1 hour')->>'error' AS beside_an_exclusive_row;
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, capacity)
                    VALUES ('16000000-0000-0000-0000-000000000001', gen_random_uuid(), 'class', '2030-09-05 10:00Z', '2030-09-05 10:30Z', 'confirmed', 3)$$);
-- Several rows of one statement count against each other.
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, capacity)
                    SELECT '16000000-0000-0000-0000-000000000001', gen_random_uuid(), 'class', '2030-09-06 10:00Z', '2030-09-06 11:00Z', 'confirmed', 3
                    FROM generate_series(1, 4)$$);
SELECT count(*) AS none_of_the_four FROM booking.reservations WHERE org_id = :org AND starts_at = '2030-09-06 10:00Z';
-- Lowering a row's capacity below what shares its time is refused; raising it is not checked.
SELECT test_error($$UPDATE booking.reservations SET capacity = 2
                    WHERE org_id = '16000000-0000-0000-0000-000000000001' AND calendar_id = 'class'
                      AND starts_at = '2030-09-02 10:00Z' AND status = 'confirmed'$$);
UPDATE booking.reservations SET capacity = 4
WHERE org_id = :org AND calendar_id = 'class' AND starts_at = '2030-09-04 10:00Z' AND status = 'confirmed';
-- The row rule: 1 to 1000 places.
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, capacity)
                    VALUES ('16000000-0000-0000-0000-000000000001', gen_random_uuid(), 'other', '2030-09-02 10:00Z', '2030-09-02 11:00Z', 'confirmed', 0)$$);
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, capacity)
                    VALUES ('16000000-0000-0000-0000-000000000001', gen_random_uuid(), 'other', '2030-09-02 10:00Z', '2030-09-02 11:00Z', 'confirmed', 1001)$$);

-- Raising a calendar's capacity raises it for its live reservations, so a
-- room booked alone takes a second booking after it becomes a shared room.
SELECT booking.book(:org, 'room', '2030-09-02 10:00Z', '1 hour')->>'status' AS alone;
SELECT booking.book(:org, 'room', '2030-09-02 10:00Z', '1 hour')->>'error' AS taken;
SELECT booking.set_calendar(:org, 'room', capacity => 2)->>'capacity' AS raised;
SELECT capacity FROM booking.reservations WHERE org_id = :org AND calendar_id = 'room';
SELECT booking.book(:org, 'room', '2030-09-02 10:00Z', '1 hour')->>'status' AS shared;
-- Lowering it leaves them their places, and new bookings count against it.
SELECT booking.set_calendar(:org, 'room', capacity => 1)->>'success' AS lowered;
SELECT capacity, count(*) FROM booking.reservations WHERE org_id = :org AND calendar_id = 'room' GROUP BY capacity;
SELECT booking.book(:org, 'room', '2030-09-02 10:30Z', '1 hour')->>'error' AS still_full;
SELECT count(*) AS no_slot_in_that_hour FROM booking.free_slots(:org, 'room', '2030-09-02 10:00Z', '2030-09-02 11:00Z', '30 minutes');
SELECT booking.book(:org, 'room', '2030-09-02 11:00Z', '1 hour')->>'status' AS after_it;

-- Buffers are part of what takes a place.
SELECT booking.set_calendar(:org, 'studio', buffer_after => '15 minutes', capacity => 2)->>'success' AS studio;
SELECT booking.book(:org, 'studio', '2030-09-02 10:00Z', '1 hour')->>'status' AS a,
       booking.book(:org, 'studio', '2030-09-02 10:00Z', '1 hour')->>'status' AS b;
SELECT booking.book(:org, 'studio', '2030-09-02 11:00Z', '1 hour')->>'error' AS inside_the_buffer;
SELECT booking.book(:org, 'studio', '2030-09-02 11:15Z', '1 hour')->>'status' AS after_the_buffer;

-- The audit row of set_calendar says the capacity.
SELECT details->>'calendar_id' AS calendar, details->>'capacity' AS capacity
FROM booking.audit_log WHERE org_id = :org AND action = 'calendar_set' ORDER BY id;
