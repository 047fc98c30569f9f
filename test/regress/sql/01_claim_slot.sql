-- claim_slot: holds, the caller_ref rule, conflicts with alternatives, TTLs.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''a0000000-0000-0000-0000-000000000001'''
\set other_org '''a0000000-0000-0000-0000-000000000002'''

-- A hold: the answer's keys, a 10-minute TTL by default.
SELECT booking.claim_slot(:org, 'dr-lee', '2030-01-07 10:00Z', '30 minutes', 'call-1', '+15550100', 'Ann') AS a \gset
SELECT test_mask(:'a'::jsonb);
SELECT test_ttl(:'a'::jsonb) AS ttl;
SELECT status, caller_ref, patient_name, patient_phone, lower(blocks) = starts_at AND upper(blocks) = ends_at AS blocks_is_own_range
FROM booking.reservations WHERE id = (:'a'::jsonb->>'hold_id')::uuid;

-- The same caller claiming the same slot again (a retried tool call) gets the same hold.
SELECT (booking.claim_slot(:org, 'dr-lee', '2030-01-07 10:00Z', '30 minutes', 'call-1')->>'hold_id') = (:'a'::jsonb->>'hold_id') AS same_hold;
SELECT count(*) AS holds_of_call_1 FROM booking.reservations WHERE org_id = :org AND caller_ref = 'call-1';

-- Another caller on an overlapping range (different start and duration): taken,
-- with the three nearest free slots of the same duration on the 15-minute grid.
SELECT test_mask(booking.claim_slot(:org, 'dr-lee', '2030-01-07 10:15Z', '45 minutes', 'call-2'));
-- Back to back is not an overlap.
SELECT test_mask(booking.claim_slot(:org, 'dr-lee', '2030-01-07 10:30Z', '30 minutes', 'call-2'));
-- Another calendar, another tenant: no conflict.
SELECT booking.claim_slot(:org, 'dr-kim', '2030-01-07 10:00Z', '30 minutes', 'call-3')->>'success' AS other_calendar;
SELECT booking.claim_slot(:other_org, 'dr-lee', '2030-01-07 10:00Z', '30 minutes', 'call-1')->>'success' AS other_tenant;

-- The caller changes their mind: the hold moves, the old one is released in the same call.
SELECT booking.claim_slot(:org, 'dr-lee', '2030-01-07 14:00Z', '30 minutes', 'call-1') AS moved \gset
SELECT test_mask(:'moved'::jsonb);
SELECT status, status_reason FROM booking.reservations WHERE id = (:'a'::jsonb->>'hold_id')::uuid;
-- Moving onto a range that overlaps the caller's own hold works too.
SELECT test_mask(booking.claim_slot(:org, 'dr-lee', '2030-01-07 14:15Z', '30 minutes', 'call-1'));
SELECT starts_at, status FROM booking.reservations WHERE org_id = :org AND caller_ref = 'call-1' ORDER BY created_at, starts_at;
-- A move onto a taken slot changes nothing: the caller keeps the hold they had.
SELECT test_mask(booking.claim_slot(:org, 'dr-lee', '2030-01-07 10:30Z', '30 minutes', 'call-1'));
SELECT starts_at, status FROM booking.reservations WHERE org_id = :org AND caller_ref = 'call-1' AND status = 'held';

-- A held reservation stops blocking the instant its TTL passes, swept or not.
SELECT booking.claim_slot(:org, 'dr-lee', '2030-01-08 09:00Z', '1 hour', 'call-4', ttl => '20 ms')->>'success' AS short_hold;
SELECT pg_sleep(0.05);
SELECT test_mask(booking.claim_slot(:org, 'dr-lee', '2030-01-08 09:30Z', '30 minutes', 'call-5'));
SELECT status, status_reason FROM booking.reservations WHERE org_id = :org AND caller_ref = 'call-4';
-- A caller whose own hold lapsed simply claims anew.
SELECT booking.claim_slot(:org, 'dr-lee', '2030-01-08 11:00Z', '30 minutes', 'call-6', ttl => '20 ms')->>'success' AS lapsing;
SELECT pg_sleep(0.05);
SELECT test_mask(booking.claim_slot(:org, 'dr-lee', '2030-01-08 12:00Z', '30 minutes', 'call-6'));
SELECT starts_at, status FROM booking.reservations WHERE org_id = :org AND caller_ref = 'call-6' ORDER BY starts_at;

-- A hold locked for staff after failed verification cannot be moved by its caller.
SELECT booking.claim_slot(:org, 'dr-lee', '2030-01-09 09:00Z', '30 minutes', 'call-7')->>'hold_id' AS locked_hold \gset
UPDATE booking.reservations SET status = 'requires_manual_followup' WHERE id = :'locked_hold';
SELECT test_mask(booking.claim_slot(:org, 'dr-lee', '2030-01-09 10:00Z', '30 minutes', 'call-7'));
SELECT status FROM booking.reservations WHERE id = :'locked_hold';

-- In the past: slot_in_past, with the nearest slots from now on.
SELECT r->>'success' AS success, r->>'error' AS error, r->>'action' AS action,
       jsonb_array_length(r->'alternatives') AS alternatives,
       (SELECT bool_and((x->>'starts_at')::timestamptz >= now()) FROM jsonb_array_elements(r->'alternatives') x) AS all_in_future
FROM booking.claim_slot(:org, 'dr-lee', '2020-01-06 10:00Z') r;

-- TTL from booking.hold_ttl, capped by booking.max_hold_ttl; units accepted.
SET booking.hold_ttl = '5min';
SELECT test_ttl(booking.claim_slot(:org, 'dr-lee', '2030-01-10 09:00Z')) AS ttl_from_setting;
SELECT test_ttl(booking.claim_slot(:org, 'dr-lee', '2030-01-10 10:00Z', ttl => '90 seconds')) AS ttl_given;
RESET booking.hold_ttl;
SHOW booking.hold_ttl;

-- Alternatives come from both sides, nearest first, on the booking.slot_step grid;
-- as many as booking.alternatives asks for. Calendar 'alt': busy 09:00-10:00 and 10:30-11:00.
SELECT booking.book(:org, 'alt', '2030-01-07 09:00Z', '1 hour')->>'success' AS busy_1,
       booking.book(:org, 'alt', '2030-01-07 10:30Z', '30 minutes')->>'success' AS busy_2;
SELECT jsonb_path_query_array(booking.claim_slot(:org, 'alt', '2030-01-07 09:30Z', '30 minutes'), '$.alternatives[*].starts_at') AS three_nearest;
SET booking.alternatives = 5;
SELECT jsonb_path_query_array(booking.claim_slot(:org, 'alt', '2030-01-07 09:30Z', '30 minutes'), '$.alternatives[*].starts_at') AS five_nearest;
SET booking.alternatives = 0;
SELECT test_mask(booking.claim_slot(:org, 'alt', '2030-01-07 09:30Z', '30 minutes'));
RESET booking.alternatives;
SET booking.slot_step = '1h';
SELECT jsonb_path_query_array(booking.claim_slot(:org, 'alt', '2030-01-07 09:30Z', '30 minutes'), '$.alternatives[*].starts_at') AS hourly_grid;
RESET booking.slot_step;
-- A request off the grid is taken as asked; alternatives are on the grid.
SELECT jsonb_path_query_array(booking.claim_slot(:org, 'alt', '2030-01-07 09:07Z', '20 minutes'), '$.alternatives[*].starts_at') AS off_grid_request;

-- Misuse is raised with a SQLSTATE and a message naming the argument, and changes nothing.
SELECT count(*) AS rows_before FROM booking.reservations \gset
SELECT test_error($$SELECT booking.claim_slot(NULL, 'dr-lee', '2030-01-07 10:00Z')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', NULL, '2030-01-07 10:00Z')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', '   ', '2030-01-07 10:00Z')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', repeat('x', 201), '2030-01-07 10:00Z')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', NULL)$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', 'infinity')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2300-01-01')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2030-01-07 10:00Z', NULL)$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2030-01-07 10:00Z', '0')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2030-01-07 10:00Z', '-30 minutes')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2030-01-07 10:00Z', '1 month')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2030-01-07 10:00Z', '25 hours')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2030-01-07 10:00Z', ttl => '2 hours')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2030-01-07 10:00Z', ttl => '0')$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2030-01-07 10:00Z', caller_ref => repeat('c', 201))$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2030-01-07 10:00Z', patient_phone => repeat('5', 33))$$);
SELECT test_error($$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000001', 'dr-lee', '2030-01-07 10:00Z', patient_name => repeat('n', 201))$$);
SELECT count(*) = :rows_before AS nothing_changed FROM booking.reservations;
-- Limits count characters, not bytes.
SELECT booking.claim_slot(:org, repeat('é', 200), '2030-01-07 10:00Z')->>'success' AS two_hundred_characters;
-- Empty optional text means absent.
SELECT booking.claim_slot(:org, 'dr-lee', '2030-01-11 10:00Z', caller_ref => '', patient_name => '')->>'hold_id' AS anonymous \gset
SELECT caller_ref IS NULL AS no_caller_ref, patient_name IS NULL AS no_name FROM booking.reservations WHERE id = :'anonymous';
