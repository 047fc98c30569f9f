-- check_availability and free_slots.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''e0000000-0000-0000-0000-000000000001'''

-- Calendar 'lab': booked 09:00-10:00 and 11:00-11:30, a live hold 12:00-12:30,
-- a lapsed hold 13:00-13:30, a cancelled appointment 14:00-15:00.
SELECT booking.book(:org, 'lab', '2030-05-06 09:00Z', '1 hour')->>'success',
       booking.book(:org, 'lab', '2030-05-06 11:00Z', '30 minutes')->>'success',
       booking.claim_slot(:org, 'lab', '2030-05-06 12:00Z', '30 minutes')->>'success',
       booking.claim_slot(:org, 'lab', '2030-05-06 13:00Z', '30 minutes', ttl => '20 ms')->>'success';
SELECT booking.cancel_appointment(:org, (booking.book(:org, 'lab', '2030-05-06 14:00Z', '1 hour')->>'appointment_id')::uuid)->>'status';
SELECT pg_sleep(0.05);

SELECT test_mask(booking.check_availability(:org, 'lab', '2030-05-06 10:00Z', '1 hour'));
SELECT test_mask(booking.check_availability(:org, 'lab', '2030-05-06 09:30Z', '2 hours'));
SELECT test_mask(booking.check_availability(:org, 'lab', '2030-05-06 12:15Z', '30 minutes'));
-- Neither the lapsed hold nor the cancelled appointment counts.
SELECT booking.check_availability(:org, 'lab', '2030-05-06 13:00Z', '2 hours')->>'available' AS available;
-- Nothing is reserved by asking.
SELECT count(*) AS reservations FROM booking.reservations WHERE org_id = :org AND calendar_id = 'lab';
SELECT r->>'available' AS available, r->>'reason' AS reason FROM booking.check_availability(:org, 'lab', now() - interval '1 hour', '30 minutes') r;
SELECT test_error($$SELECT booking.check_availability('e0000000-0000-0000-0000-000000000001', 'lab', '2030-05-06 10:00Z', NULL)$$);

-- free_slots: on the grid, earliest first, free for the whole duration.
SELECT * FROM booking.free_slots(:org, 'lab', '2030-05-06 08:00Z', '2030-05-06 16:00Z', '1 hour', 20);
SELECT * FROM booking.free_slots(:org, 'lab', '2030-05-06 08:00Z', '2030-05-06 16:00Z', '30 minutes', 3);
-- Slots end by until_ts; a from_ts off the grid starts at the next grid point.
SELECT * FROM booking.free_slots(:org, 'lab', '2030-05-06 15:05Z', '2030-05-06 16:30Z', '30 minutes', 10);
-- The default is 10 results, across day boundaries.
SELECT count(*), min(starts_at), max(starts_at) FROM booking.free_slots(:org, 'lab', '2030-05-06 23:00Z', '2030-05-08 00:00Z', '15 minutes');
-- A window in the past has nothing; one spanning now starts after now.
SELECT count(*) AS past FROM booking.free_slots(:org, 'lab', '2020-01-01', '2020-01-02', '30 minutes');
SELECT bool_and(starts_at >= now()) AS from_now_on FROM booking.free_slots(:org, 'lab', now() - interval '1 day', now() + interval '1 day', '30 minutes', 50);
-- A long window is cut at booking.search_horizon, never scanned to its end.
SET booking.search_horizon = '2h';
SELECT count(*) AS within_two_hours FROM booking.free_slots(:org, 'lab', '2030-06-01 00:00Z', '2031-06-01 00:00Z', '15 minutes', 1000);
RESET booking.search_horizon;
SELECT count(*) AS thousand FROM booking.free_slots(:org, 'lab', '2030-06-01 00:00Z', '2031-06-01 00:00Z', '15 minutes', 1000);
SELECT test_error($$SELECT * FROM booking.free_slots('e0000000-0000-0000-0000-000000000001', 'lab', '2030-05-06 16:00Z', '2030-05-06 08:00Z', '1 hour')$$);
SELECT test_error($$SELECT * FROM booking.free_slots('e0000000-0000-0000-0000-000000000001', 'lab', '2030-05-06 08:00Z', '2030-05-06 16:00Z', '1 hour', 0)$$);
SELECT test_error($$SELECT * FROM booking.free_slots('e0000000-0000-0000-0000-000000000001', 'lab', '2030-05-06 08:00Z', '2030-05-06 16:00Z', '1 hour', 1001)$$);
SELECT test_error($$SELECT * FROM booking.free_slots('e0000000-0000-0000-0000-000000000001', 'lab', NULL, '2030-05-06 16:00Z', '1 hour')$$);
SELECT test_error($$SELECT * FROM booking.free_slots('e0000000-0000-0000-0000-000000000001', 'lab', '2030-05-06 08:00Z', 'infinity', '1 hour')$$);
