-- Pools (issue 24): "any clinician is fine". set_pool, drop_pool; a pool's
-- id wherever a calendar id goes (claim_slot, book, check_availability,
-- free_slots); the member chosen among those free for the whole request,
-- the clinic's rules included; round_robin, with weights, and first_free.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''20000000-0000-0000-0000-000000000024'''

SELECT booking.set_calendar(:org, 'dr-a', 'UTC', '30 minutes')->>'success' AS a;
SELECT booking.set_calendar(:org, 'dr-b', 'UTC', '30 minutes')->>'success' AS b;
SELECT booking.set_calendar(:org, 'dr-c', 'UTC', '30 minutes',
                            working_hours => '{"mon": [["09:00", "12:00"]]}')->>'success' AS c;

-- Refused with 22023, nothing stored: too few, too many, unknown or
-- repeated members, a member that is a pool, an id that is a calendar, a
-- bad strategy or weight.
SELECT test_error($$SELECT booking.set_pool('20000000-0000-0000-0000-000000000024', 'p', ARRAY['dr-a'])$$);
SELECT test_error($$SELECT booking.set_pool('20000000-0000-0000-0000-000000000024', 'p', (SELECT array_agg('c' || i) FROM generate_series(1, 51) i))$$);
SELECT test_error($$SELECT booking.set_pool('20000000-0000-0000-0000-000000000024', 'p', ARRAY['dr-a', 'dr-x'])$$);
SELECT test_error($$SELECT booking.set_pool('20000000-0000-0000-0000-000000000024', 'p', ARRAY['dr-a', 'dr-a'])$$);
SELECT test_error($$SELECT booking.set_pool('20000000-0000-0000-0000-000000000024', 'dr-a', ARRAY['dr-b', 'dr-c'])$$);
SELECT test_error($$SELECT booking.set_pool('20000000-0000-0000-0000-000000000024', 'p', ARRAY['dr-a', 'dr-b'], 'random')$$);
SELECT test_error($$SELECT booking.set_pool('20000000-0000-0000-0000-000000000024', 'p', ARRAY['dr-a', 'dr-b'], weights => '{"dr-z": 2}')$$);
SELECT test_error($$SELECT booking.set_pool('20000000-0000-0000-0000-000000000024', 'p', ARRAY['dr-a', 'dr-b'], weights => '{"dr-a": 0}')$$);
SELECT test_error($$SELECT booking.set_pool('20000000-0000-0000-0000-000000000024', 'p', ARRAY['dr-a', 'dr-b'], weights => '{"dr-a": 1.5}')$$);
SELECT count(*) AS nothing_stored FROM booking.pools WHERE org_id = :org;

-- A pool of two, round robin.
SELECT booking.set_pool(:org, 'any', ARRAY['dr-a', 'dr-b']);
-- A pool as a member of another, and a calendar named like a pool: 22023.
SELECT test_error($$SELECT booking.set_pool('20000000-0000-0000-0000-000000000024', 'p', ARRAY['any', 'dr-a'])$$);
SELECT test_error($$SELECT booking.set_calendar('20000000-0000-0000-0000-000000000024', 'any')$$);

-- Round robin: each claim or booking goes to the member whose last
-- assignment is oldest; the answer names the member and the pool.
SELECT test_mask(booking.claim_slot(:org, 'any', '2031-03-03 10:00Z', caller_ref => 'call-1')) AS first_claim;
SELECT test_mask(booking.book(:org, 'any', '2031-03-03 11:00Z')) AS second_goes_to_b;
SELECT test_mask(booking.book(:org, 'any', '2031-03-03 12:00Z')) ->> 'calendar_id' AS third_back_to_a;
-- The same slot twice: the second gets the other member.
SELECT test_mask(booking.book(:org, 'any', '2031-03-03 14:00Z')) ->> 'calendar_id' AS slot_first;
SELECT test_mask(booking.book(:org, 'any', '2031-03-03 14:00Z')) ->> 'calendar_id' AS slot_second;
-- Both taken: slot_unavailable, with alternatives from any member.
SELECT test_mask(booking.book(:org, 'any', '2031-03-03 14:00Z')) AS none_free;
SELECT calendar_id, assigned, last_turn FROM booking.pool_members WHERE org_id = :org ORDER BY position;

-- check_availability: available when some member is free.
SELECT b->>'available' AS available, b->>'calendar_id' AS calendar, b->>'pool_id' AS pool
FROM booking.check_availability(:org, 'any', '2031-03-03 10:00Z', '30 minutes') b;
SELECT b->>'available' AS available, b->>'reason' AS reason
FROM booking.check_availability(:org, 'any', '2031-03-03 14:00Z', '30 minutes') b;

-- No member free: the reason is the first member's, the alternatives any
-- member's (the union, nearest first), as a refused booking of the pool
-- offers them. With dr-a also taken at 13:30 and 14:30, the nearest are
-- dr-b's.
SELECT booking.book(:org, 'dr-a', '2031-03-03 13:30Z')->>'appointment_id' AS a_1330 \gset
SELECT booking.book(:org, 'dr-a', '2031-03-03 14:30Z')->>'appointment_id' AS a_1430 \gset
SELECT c->'alternatives' = b->'alternatives' AS same_as_a_refused_booking,
       (SELECT array_agg(e->>'starts_at') FROM jsonb_array_elements(c->'alternatives') e) AS alternatives
FROM booking.check_availability(:org, 'any', '2031-03-03 14:00Z', '30 minutes') c,
     booking.book(:org, 'any', '2031-03-03 14:00Z') b;
SELECT booking.cancel_appointment(:org, :'a_1330')->>'success' AS undone_1330,
       booking.cancel_appointment(:org, :'a_1430')->>'success' AS undone_1430;

-- free_slots: the union, places_left counting the free members.
SELECT * FROM booking.free_slots(:org, 'any', '2031-03-03 09:30Z', '2031-03-03 12:30Z', '30 minutes');

-- A member outside its working hours is not free for the request: a pool
-- of dr-c (Mondays 09:00-12:00) and dr-a, first_free, books dr-a after
-- noon and dr-c in the morning.
SELECT booking.set_pool(:org, 'morning', ARRAY['dr-c', 'dr-a'], 'first_free') ->> 'strategy' AS strategy;
SELECT booking.book(:org, 'morning', '2031-03-03 09:00Z') ->> 'calendar_id' AS in_hours;
SELECT booking.book(:org, 'morning', '2031-03-03 15:00Z') ->> 'calendar_id' AS after_noon;
-- A limit per day: dr-c full for Monday, the pool books dr-a.
SELECT booking.set_calendar(:org, 'dr-c', 'UTC', '30 minutes',
                            working_hours => '{"mon": [["09:00", "12:00"]]}', max_per_day => 1)->>'success' AS limited;
SELECT booking.book(:org, 'morning', '2031-03-03 09:30Z') ->> 'calendar_id' AS day_full;

-- Weights: {"dr-a": 2, "dr-b": 1} gives two of every three to dr-a.
SELECT booking.set_pool(:org, 'weighted', ARRAY['dr-a', 'dr-b'], weights => '{"dr-a": 2}') ->> 'success' AS weighted;
SELECT booking.set_pool(:org, 'weighted', ARRAY['dr-a', 'dr-b'], weights => '{"dr-a": 2, "dr-b": 1}') AS weighted_answer;
SELECT string_agg(booking.book(:org, 'weighted', '2031-03-10 00:00Z'::timestamptz + i * interval '1 hour') ->> 'calendar_id', ' ' ORDER BY i) AS assignments
FROM generate_series(0, 5) i;
SELECT calendar_id, weight, assigned FROM booking.pool_members WHERE org_id = :org AND pool_id = 'weighted' ORDER BY position;

-- A retried call answers as the first did, on the member it took: a claim
-- with the same caller_ref gets the same hold, a book with the same
-- idempotency key is replayed, and no counter moves; the key for another
-- slot is still refused as reused.
SELECT booking.set_pool(:org, 'retried', ARRAY['dr-a', 'dr-b']) ->> 'success' AS retried_pool;
SELECT booking.claim_slot(:org, 'retried', '2031-03-12 10:00Z', caller_ref => 'retry-1') AS first_claim \gset
SELECT r->>'hold_id' = (:'first_claim'::jsonb)->>'hold_id' AS same_hold, r->>'calendar_id' AS calendar_id,
       r->>'pool_id' AS pool_id
FROM booking.claim_slot(:org, 'retried', '2031-03-12 10:00Z', caller_ref => 'retry-1') r;
SELECT booking.book(:org, 'retried', '2031-03-12 11:00Z', idempotency_key => 'retry-key') AS first_book \gset
SELECT r->>'appointment_id' = (:'first_book'::jsonb)->>'appointment_id' AS same_booking,
       r->>'calendar_id' AS calendar_id, r->>'replayed' AS replayed
FROM booking.book(:org, 'retried', '2031-03-12 11:00Z', idempotency_key => 'retry-key') r;
SELECT booking.book(:org, 'retried', '2031-03-12 12:00Z', idempotency_key => 'retry-key') ->> 'error' AS other_slot;
SELECT calendar_id, assigned FROM booking.pool_members WHERE org_id = :org AND pool_id = 'retried' ORDER BY position;
SELECT count(*) AS live_rows FROM booking.reservations
WHERE org_id = :org AND starts_at IN ('2031-03-12 10:00Z', '2031-03-12 11:00Z') AND status IN ('held', 'confirmed');
-- Moved to another slot, the caller's hold goes to the member free for it.
SELECT r->>'hold_id' <> (:'first_claim'::jsonb)->>'hold_id' AS new_hold, r->>'starts_at' AS starts_at
FROM booking.claim_slot(:org, 'retried', '2031-03-12 13:00Z', caller_ref => 'retry-1') r;
SELECT booking.drop_pool(:org, 'retried') ->> 'dropped' AS retried_dropped;

-- Not in a set or a series: 0A000.
SELECT test_error($$SELECT booking.book('20000000-0000-0000-0000-000000000024', 'any', '2031-03-04 10:00Z', with_calendars => ARRAY['dr-c'])$$);
SELECT test_error($$SELECT booking.book('20000000-0000-0000-0000-000000000024', 'dr-c', '2031-03-04 10:00Z', with_calendars => ARRAY['any'])$$);
SELECT test_error($$SELECT booking.book_series('20000000-0000-0000-0000-000000000024', 'any', '2031-03-04 10:00Z', '30 minutes', '1 week', 2)$$);

-- drop_pool: the id is no pool any more (a calendar of its own again).
SELECT booking.drop_pool(:org, 'weighted');
SELECT booking.drop_pool(:org, 'weighted');
SELECT count(*) AS counters_left FROM booking.pool_members WHERE org_id = :org AND pool_id = 'weighted';
SELECT booking.book(:org, 'weighted', '2031-03-11 10:00Z') ->> 'calendar_id' AS plain_calendar_now;
