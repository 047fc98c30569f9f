-- expire_holds, slot_lock_key, blocking_range.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''f0000000-0000-0000-0000-000000000001'''

-- Sweeping moves lapsed holds to expired, one audit row each, in batches.
SELECT booking.expire_holds() AS nothing_lapsed_yet_elsewhere \gset
SELECT booking.claim_slot(:org, 'sweep', '2030-06-03 09:00Z'::timestamptz + n * interval '1 hour', ttl => '20 ms')->>'success'
FROM generate_series(0, 4) n;
SELECT booking.claim_slot(:org, 'sweep', '2030-06-03 20:00Z', caller_ref => 'keeps')->>'success' AS live_hold;
SELECT pg_sleep(0.05);
SELECT booking.expire_holds(2) AS first_batch;
SELECT booking.expire_holds(1000) AS the_rest;
SELECT booking.expire_holds() AS none_left;
SELECT status, count(*) FROM booking.reservations WHERE org_id = :org GROUP BY status ORDER BY status;
SELECT action, count(*) FROM booking.audit_log WHERE org_id = :org GROUP BY action ORDER BY action;
SELECT test_error($$SELECT booking.expire_holds(0)$$);
SELECT test_error($$SELECT booking.expire_holds(NULL)$$);

-- slot_lock_key is the seed's hashSlotToInt64, bit for bit (values from Node's crypto).
SELECT booking.slot_lock_key('11111111-1111-1111-1111-111111111111', '2026-01-15T14:00:00Z') = -652168292062614741 AS seed_key_1,
       booking.slot_lock_key('11111111-1111-1111-1111-111111111111', '2026-01-15T14:00:00.123456Z') = -8553723987650580736 AS milliseconds_truncated,
       booking.slot_lock_key('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1999-12-31T23:59:59.999Z') = -7604313660639863755 AS before_2000;
-- Independent of the session's time zone.
SET TimeZone = 'Asia/Kolkata';
SELECT booking.slot_lock_key('11111111-1111-1111-1111-111111111111', '2026-01-15T19:30:00+05:30') AS same_instant_in_india;
SET TimeZone = 'UTC';
SELECT test_error($$SELECT booking.slot_lock_key(NULL, now())$$);
SELECT test_error($$SELECT booking.slot_lock_key('11111111-1111-1111-1111-111111111111', 'infinity')$$);

-- blocking_range: buffers widen the range; days are 24 hours; months are refused.
SELECT booking.blocking_range('2030-01-01 10:00Z', '2030-01-01 10:30Z', '5 minutes', '10 minutes');
SELECT booking.blocking_range('2030-01-01 10:00Z', '2030-01-01 10:30Z', '0', '0');
SELECT test_error($$SELECT booking.blocking_range('2030-01-01 10:00Z', '2030-01-01 10:00Z', '0', '0')$$);
SELECT test_error($$SELECT booking.blocking_range('2030-01-01 10:00Z', '2030-01-01 10:30Z', '1 month', '0')$$);
SELECT test_error($$SELECT booking.blocking_range('2030-01-01 10:00Z', '2030-01-01 10:30Z', '-1 minute', '0')$$);
SELECT test_error($$SELECT booking.blocking_range('2030-01-01 10:00Z', 'infinity', '0', '0')$$);
