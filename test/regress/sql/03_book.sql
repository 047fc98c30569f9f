-- book: a confirmed appointment in one call.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''c0000000-0000-0000-0000-000000000001'''

SELECT booking.book(:org, 'dr-ng', '2030-03-04 09:00Z', '45 minutes',
                    contact_id => 'c0000000-0000-0000-0000-0000000000c1',
                    service_id => 'c0000000-0000-0000-0000-0000000000d1',
                    notes => 'first visit', metadata => '{"channel": "web"}') AS b1 \gset
SELECT test_mask(:'b1'::jsonb);
SELECT status, contact_id, service_id, notes, metadata, expires_at IS NULL AS no_expiry, confirmed_at IS NOT NULL AS confirmed_at_set
FROM booking.reservations WHERE id = (:'b1'::jsonb->>'appointment_id')::uuid;

-- An overlapping booking is refused with the appointment in the way and alternatives.
SELECT test_mask(booking.book(:org, 'dr-ng', '2030-03-04 09:30Z', '30 minutes'));
SELECT (booking.book(:org, 'dr-ng', '2030-03-04 08:45Z', '30 minutes')->'conflicting_appointment'->>'id') = (:'b1'::jsonb->>'appointment_id') AS names_the_conflict;
-- A live hold blocks a booking too; a lapsed one does not.
SELECT booking.claim_slot(:org, 'dr-ng', '2030-03-04 11:00Z', '30 minutes', 'call-1')->>'success' AS held;
SELECT test_mask(booking.book(:org, 'dr-ng', '2030-03-04 11:00Z', '30 minutes'));
SELECT booking.claim_slot(:org, 'dr-ng', '2030-03-04 12:00Z', '30 minutes', 'call-2', ttl => '20 ms')->>'success' AS short_hold;
SELECT pg_sleep(0.05);
SELECT test_mask(booking.book(:org, 'dr-ng', '2030-03-04 12:00Z', '30 minutes'));
SELECT status FROM booking.reservations WHERE org_id = :org AND caller_ref = 'call-2';

-- idempotency_key: a retried call answers as the first did, and books once.
SELECT booking.book(:org, 'dr-ng', '2030-03-04 14:00Z', '30 minutes', idempotency_key => 'req-1') AS first \gset
SELECT booking.book(:org, 'dr-ng', '2030-03-04 14:00Z', '30 minutes', idempotency_key => 'req-1') AS retry \gset
SELECT test_mask(:'retry'::jsonb);
SELECT (:'first'::jsonb->>'appointment_id') = (:'retry'::jsonb->>'appointment_id') AS same_appointment;
SELECT count(*) AS booked_once FROM booking.reservations WHERE org_id = :org AND idempotency_key = 'req-1';
-- The same key for another request is refused, even where the slot is free.
SELECT booking.book(:org, 'dr-ng', '2030-03-05 14:00Z', '30 minutes', idempotency_key => 'req-1');
-- Keys are per tenant.
SELECT booking.book('c0000000-0000-0000-0000-000000000002', 'dr-ng', '2030-03-04 14:00Z', '30 minutes', idempotency_key => 'req-1')->>'success' AS other_tenant_same_key;

-- In the past.
SELECT r->>'error' AS error, r->>'action' AS action, jsonb_array_length(r->'alternatives') AS alternatives
FROM booking.book(:org, 'dr-ng', now() - interval '1 hour') r;

-- Misuse raises and changes nothing.
SELECT count(*) AS rows_before FROM booking.reservations \gset
SELECT test_error($$SELECT booking.book(NULL, 'dr-ng', '2030-03-04 16:00Z')$$);
SELECT test_error($$SELECT booking.book('c0000000-0000-0000-0000-000000000001', '', '2030-03-04 16:00Z')$$);
SELECT test_error($$SELECT booking.book('c0000000-0000-0000-0000-000000000001', 'dr-ng', '-infinity')$$);
SELECT test_error($$SELECT booking.book('c0000000-0000-0000-0000-000000000001', 'dr-ng', '1969-12-31 23:59Z')$$);
SELECT test_error($$SELECT booking.book('c0000000-0000-0000-0000-000000000001', 'dr-ng', '2030-03-04 16:00Z', '1 year')$$);
SELECT test_error($$SELECT booking.book('c0000000-0000-0000-0000-000000000001', 'dr-ng', '2030-03-04 16:00Z', '2 days')$$);
SELECT test_error($$SELECT booking.book('c0000000-0000-0000-0000-000000000001', 'dr-ng', '2030-03-04 16:00Z', notes => repeat('n', 4001))$$);
SELECT test_error($$SELECT booking.book('c0000000-0000-0000-0000-000000000001', 'dr-ng', '2030-03-04 16:00Z', metadata => '"text"')$$);
SELECT test_error($$SELECT booking.book('c0000000-0000-0000-0000-000000000001', 'dr-ng', '2030-03-04 16:00Z', idempotency_key => repeat('k', 201))$$);
SELECT count(*) = :rows_before AS nothing_changed FROM booking.reservations;
-- booking.max_duration is a setting.
SET booking.max_duration = '2d';
SELECT booking.book(:org, 'dr-ng', '2030-03-10 00:00Z', '36 hours')->>'success' AS long_booking;
RESET booking.max_duration;
-- Days count as 24 hours, whatever the session's time zone does.
SET TimeZone = 'Europe/Berlin';
SELECT extract(epoch FROM (r->>'ends_at')::timestamptz - (r->>'starts_at')::timestamptz) / 3600 AS hours_across_dst
FROM booking.book(:org, 'dr-ng', '2030-03-30 12:00+01', '1 day') r;
RESET TimeZone;
