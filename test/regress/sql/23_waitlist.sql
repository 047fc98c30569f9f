-- The waitlist (issue 24): join_waitlist, leave_waitlist, waitlist_status,
-- and the offers made when blocking time is freed: by a cancel, a release,
-- a reschedule away, a lapsed hold swept; served in join order among the
-- entries whose window and duration fit; an offer released or lapsed passes
-- to the next in line.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''24000000-0000-0000-0000-000000000001'''
\set other '''24000000-0000-0000-0000-000000000002'''
-- Answers with the entry's id shown as <id>, the others as test_mask does.
CREATE FUNCTION wl(answer jsonb) RETURNS jsonb LANGUAGE sql AS $$
    SELECT test_mask(answer) || CASE WHEN answer ? 'waitlist_id' THEN '{"waitlist_id": "<id>"}'::jsonb ELSE '{}' END
$$;
-- The entry's state as staff would read it.
CREATE FUNCTION wl_state(org uuid, id text) RETURNS TABLE (status text, "position" text, offered_at timestamptz)
LANGUAGE sql AS $$
    SELECT s->>'status', s->>'position', (s->>'starts_at')::timestamptz
    FROM booking.waitlist_status(org, id::uuid) s
$$;
SELECT booking.create_event_consumer(:org, 'sms')->>'created' AS consumer;

-- Two appointments fill 10:00 to 11:00 on calendar wl-a.
SELECT booking.book(:org, 'wl-a', '2031-03-04 10:00Z', '30 minutes')->>'appointment_id' AS appt_a \gset
SELECT booking.book(:org, 'wl-a', '2031-03-04 10:30Z', '30 minutes')->>'appointment_id' AS appt_b \gset

-- Joining: position counts the live entries of the calendar that joined earlier.
SELECT booking.join_waitlist(:org, 'wl-a', '2031-03-04 10:00Z', '2031-03-04 11:00Z', '30 minutes',
                             '+15550001', 'Ann', caller_ref => 'call-1') AS j1 \gset
SELECT wl(:'j1');
SELECT (:'j1'::jsonb)->>'waitlist_id' AS w1 \gset
SELECT booking.join_waitlist(:org, 'wl-a', '2031-03-04 10:00Z', '2031-03-04 11:00Z',
                             caller_ref => 'call-2')->>'waitlist_id' AS w2 \gset
SELECT booking.join_waitlist(:org, 'wl-a', '2031-03-04 14:00Z', '2031-03-04 15:00Z',
                             caller_ref => 'call-3')->>'waitlist_id' AS w3 \gset
SELECT booking.join_waitlist(:org, 'wl-a', '2031-03-04 10:00Z', '2031-03-04 11:00Z', '1 hour',
                             caller_ref => 'call-4') AS j4 \gset
SELECT wl(:'j4');
SELECT (:'j4'::jsonb)->>'waitlist_id' AS w4 \gset
-- Another calendar has a line of its own.
SELECT wl(booking.join_waitlist(:org, 'wl-b', '2031-03-04 10:00Z', '2031-03-04 11:00Z'));
-- One caller_ref, one live entry: joining again answers it.
SELECT wl(booking.join_waitlist(:org, 'wl-a', '2031-03-06 10:00Z', '2031-03-06 11:00Z', caller_ref => 'call-1'));
SELECT booking.join_waitlist(:org, 'wl-a', '2031-03-06 10:00Z', '2031-03-06 11:00Z', caller_ref => 'call-1')->>'waitlist_id' = :'w1' AS same_entry;
SELECT * FROM wl_state(:org, :'w1');

-- Bad input raises 22023 (or 22004 for a missing argument) and changes nothing.
SELECT count(*) AS entries_before FROM booking.waitlist WHERE org_id = :org;
SELECT test_error($$SELECT booking.join_waitlist('24000000-0000-0000-0000-000000000001', 'wl-a', '2031-03-04 11:00Z', '2031-03-04 10:00Z')$$);
SELECT test_error($$SELECT booking.join_waitlist('24000000-0000-0000-0000-000000000001', 'wl-a', '2031-03-04 11:00Z', '2031-03-04 11:00Z')$$);
SELECT test_error($$SELECT booking.join_waitlist('24000000-0000-0000-0000-000000000001', 'wl-a', '2031-03-04 10:00Z', '2031-03-04 10:20Z')$$);
SELECT test_error($$SELECT booking.join_waitlist('24000000-0000-0000-0000-000000000001', 'wl-a', '2020-03-04 10:00Z', '2020-03-04 11:00Z')$$);
SELECT test_error($$SELECT booking.join_waitlist('24000000-0000-0000-0000-000000000001', 'wl-a', '2031-03-04 10:00Z', '2031-03-04 11:00Z', '0 minutes')$$);
SELECT test_error($$SELECT booking.join_waitlist('24000000-0000-0000-0000-000000000001', '', '2031-03-04 10:00Z', '2031-03-04 11:00Z')$$);
SELECT test_error($$SELECT booking.join_waitlist('24000000-0000-0000-0000-000000000001', 'wl-a', NULL, '2031-03-04 11:00Z')$$);
SELECT count(*) AS entries_after FROM booking.waitlist WHERE org_id = :org;

-- A cancel frees 10:00: the first in line whose window fits is offered it,
-- as a hold made in the cancel's transaction.
SELECT test_mask(booking.cancel_appointment(:org, :'appt_a'));
SELECT * FROM wl_state(:org, :'w1');
SELECT * FROM wl_state(:org, :'w2');
SELECT booking.waitlist_status(:org, :'w1')->>'hold_id' AS offer1 \gset
SELECT status, caller_ref = 'waitlist:' || :'w1' AS caller_ref_names_entry, patient_phone, patient_name,
       expires_at - created_at AS ttl
FROM booking.reservations WHERE id = :'offer1';
SELECT test_mask(booking.waitlist_status(:org, :'w1')) - 'waitlist_id' - 'offer_expires_at' AS offered;
-- Nobody else can take it.
SELECT booking.claim_slot(:org, 'wl-a', '2031-03-04 10:00Z', '30 minutes')->>'error' AS rival_claim;
-- The event a consumer texts the offer from.
SELECT e->>'event' AS event, e->>'status' AS status, e->>'waitlist_id' = :'w1' AS names_entry,
       e->>'hold_id' = :'offer1' AS names_hold, e->>'starts_at' AS starts_at
FROM jsonb_array_elements(booking.read_events(:org, 'sms')->'events') e
WHERE e->>'event' = 'waitlist_offered';
SELECT action, details->>'waitlist_id' = :'w1' AS names_entry, details->>'starts_at' AS starts_at
FROM booking.audit_log WHERE org_id = :org AND action = 'waitlist_offered';

-- The offer released: the entry lapses and the time goes to the next in line.
SELECT test_mask(booking.release_hold(:org, :'offer1'));
SELECT * FROM wl_state(:org, :'w1');
SELECT * FROM wl_state(:org, :'w2');
SELECT booking.waitlist_status(:org, :'w2')->>'hold_id' AS offer2 \gset
-- Confirmed like any hold: the entry is booked.
SELECT test_mask(booking.confirm_hold(:org, :'offer2'));
SELECT * FROM wl_state(:org, :'w2');
SELECT * FROM wl_state(:org, :'w4');
-- The positions of those still waiting moved up.
SELECT booking.waitlist_status(:org, :'w3')->>'position' AS w3_position;

-- A reschedule away frees 10:30: the hour-long entry (w4) does not fit, the
-- 14:00 window (w3) does not meet it; the next that fits (w5) is served.
SELECT booking.join_waitlist(:org, 'wl-a', '2031-03-04 10:00Z', '2031-03-04 11:30Z',
                             caller_ref => 'call-5')->>'waitlist_id' AS w5 \gset
SELECT booking.join_waitlist(:org, 'wl-a', '2031-03-04 10:30Z', '2031-03-04 11:00Z',
                             caller_ref => 'call-6')->>'waitlist_id' AS w6 \gset
SET booking.waitlist_offer_ttl = '1s';
SELECT test_mask(booking.reschedule_appointment(:org, :'appt_b', '2031-03-04 16:00Z'));
SELECT * FROM wl_state(:org, :'w4');
SELECT * FROM wl_state(:org, :'w5');
SELECT * FROM wl_state(:org, :'w6');
RESET booking.waitlist_offer_ttl;
-- The offer lapses unanswered: waitlist_status says so at once, and the next
-- sweep (here expire_holds()) passes the time to the next in line.
SELECT pg_sleep(1.2);
SELECT * FROM wl_state(:org, :'w5');
SELECT booking.expire_holds() >= 1 AS swept;
SELECT w.status FROM booking.waitlist w WHERE w.org_id = :org AND w.id = :'w5';
SELECT * FROM wl_state(:org, :'w6');
SELECT booking.waitlist_status(:org, :'w6')->>'hold_id' AS offer6 \gset

-- Verified by code like any hold: booked.
SELECT booking.issue_otp(:org, :'offer6')->>'code' AS code6 \gset
SELECT test_mask(booking.verify_otp(:org, :'offer6', :'code6'));
SELECT * FROM wl_state(:org, :'w6');

-- Leaving: a waiting entry leaves; leaving again answers the same.
SELECT wl(booking.leave_waitlist(:org, :'w3'));
SELECT wl(booking.leave_waitlist(:org, :'w3'));
SELECT * FROM wl_state(:org, :'w3');
-- Its caller_ref is free again.
SELECT booking.join_waitlist(:org, 'wl-a', '2031-03-05 09:00Z', '2031-03-05 12:00Z', caller_ref => 'call-3')->>'waitlist_id' <> :'w3' AS new_entry;
-- An offered entry leaving gives its hold back, and the time passes on.
SELECT booking.book(:org, 'wl-c', '2031-03-07 09:00Z', '30 minutes')->>'appointment_id' AS appt_c \gset
SELECT booking.join_waitlist(:org, 'wl-c', '2031-03-07 09:00Z', '2031-03-07 09:30Z')->>'waitlist_id' AS c1 \gset
SELECT booking.join_waitlist(:org, 'wl-c', '2031-03-07 08:00Z', '2031-03-07 10:00Z')->>'waitlist_id' AS c2 \gset
SELECT booking.cancel_appointment(:org, :'appt_c')->>'status' AS cancelled;
SELECT * FROM wl_state(:org, :'c1');
SELECT booking.waitlist_status(:org, :'c1')->>'hold_id' AS offer_c1 \gset
SELECT wl(booking.leave_waitlist(:org, :'c1'));
SELECT status FROM booking.reservations WHERE id = :'offer_c1';
SELECT * FROM wl_state(:org, :'c2');
-- A finished entry cannot leave; an unknown one is not found.
SELECT wl(booking.leave_waitlist(:org, :'w2'));
SELECT booking.leave_waitlist(:org, '24000000-0000-0000-0000-0000000000ff');
SELECT booking.waitlist_status(:org, '24000000-0000-0000-0000-0000000000ff');
-- Another organisation sees nothing of it.
SELECT booking.waitlist_status(:other, :'w1');

-- A window that has passed while waiting is expired, and frees its caller_ref.
UPDATE booking.waitlist SET from_ts = '2020-01-01 10:00Z', until_ts = '2020-01-01 11:00Z' WHERE id = :'w4';
SELECT * FROM wl_state(:org, :'w4');
SELECT booking.join_waitlist(:org, 'wl-a', '2031-03-05 10:00Z', '2031-03-05 11:00Z', caller_ref => 'call-4')->>'waitlist_id' <> :'w4' AS rejoined;
SELECT status FROM booking.waitlist WHERE id = :'w4';

-- The rules of the calendar bind offers: nothing outside its working hours.
SELECT booking.set_calendar(:org, 'wl-d', working_hours => '{"tue": [["09:00", "12:00"]]}')->>'success' AS set;
SELECT booking.book(:org, 'wl-d', '2031-03-04 11:30Z', '30 minutes')->>'appointment_id' AS appt_d \gset
SELECT booking.join_waitlist(:org, 'wl-d', '2031-03-04 11:30Z', '2031-03-04 13:00Z', '1 hour')->>'waitlist_id' AS d1 \gset
SELECT booking.cancel_appointment(:org, :'appt_d')->>'status' AS cancelled;
SELECT * FROM wl_state(:org, :'d1');
-- A cancellation with nobody waiting changes nothing else.
SELECT booking.book(:org, 'wl-e', '2031-03-04 09:00Z', '30 minutes')->>'appointment_id' AS appt_e \gset
SELECT test_mask(booking.cancel_appointment(:org, :'appt_e'));
SELECT count(*) AS holds_on_wl_e FROM booking.reservations WHERE org_id = :org AND calendar_id = 'wl-e' AND status = 'held';

-- A lapsed hold not yet swept stands in the offer's way: it is expired
-- there, as a claim does, and the offer goes in.
SELECT booking.book(:org, 'wl-f', '2031-03-04 09:00Z', '30 minutes')->>'appointment_id' AS appt_f \gset
SELECT booking.claim_slot(:org, 'wl-f', '2031-03-04 09:30Z', '30 minutes', ttl => '1 second')->>'hold_id' AS stale_f \gset
SELECT booking.join_waitlist(:org, 'wl-f', '2031-03-04 09:00Z', '2031-03-04 10:00Z', '1 hour')->>'waitlist_id' AS f1 \gset
SELECT pg_sleep(1.2);
SELECT booking.cancel_appointment(:org, :'appt_f')->>'status' AS cancelled;
SELECT * FROM wl_state(:org, :'f1');
SELECT status FROM booking.reservations WHERE id = :'stale_f';

-- The organisation's contact cap binds offers as it binds claims: a caller
-- whose phone already has the cap's bookings is passed over and stays
-- waiting, and the next in line is offered the time.
\set capped '''24000000-0000-0000-0000-000000000003'''
SELECT booking.set_org_policy(:capped, max_active_per_contact => 1) IS NOT NULL AS cap_set;
SELECT booking.book(:capped, 'wl-g', '2031-03-04 09:00Z', '30 minutes')->>'appointment_id' AS appt_g \gset
SELECT booking.claim_slot(:capped, 'wl-h', '2031-03-05 09:00Z', '30 minutes', caller_ref => 'ann-call',
                          patient_phone => '+1 555 0001')->>'success' AS ann_holds_one;
SELECT booking.join_waitlist(:capped, 'wl-g', '2031-03-04 09:00Z', '2031-03-04 10:00Z', '30 minutes',
                             '+15550001', 'Ann')->>'waitlist_id' AS g1 \gset
SELECT booking.join_waitlist(:capped, 'wl-g', '2031-03-04 09:00Z', '2031-03-04 10:00Z', '30 minutes',
                             '+15550002', 'Bob')->>'waitlist_id' AS g2 \gset
SELECT booking.cancel_appointment(:capped, :'appt_g')->>'status' AS cancelled;
SELECT * FROM wl_state(:capped, :'g1');
SELECT * FROM wl_state(:capped, :'g2');
-- Ann's hold released, the next freed time reaches her.
SELECT booking.release_hold(:capped, (SELECT id FROM booking.reservations WHERE org_id = :capped AND caller_ref = 'ann-call'))->>'success' AS released;
SELECT booking.book(:capped, 'wl-g', '2031-03-04 09:30Z', '30 minutes')->>'appointment_id' AS appt_g2 \gset
SELECT booking.cancel_appointment(:capped, :'appt_g2')->>'status' AS cancelled;
SELECT * FROM wl_state(:capped, :'g1');

-- A pool's line: an entry may wait for a pool. Time freed on a member goes,
-- in join order, to the member's own entries and the pool's, on that member;
-- the pool's fairness counter moves as for a booking of it.
SELECT booking.set_calendar(:org, c)->>'success' AS calendar_set FROM unnest(ARRAY['wl-p1', 'wl-p2']) c;
SELECT booking.set_pool(:org, 'wl-pool', ARRAY['wl-p1', 'wl-p2'])->>'success' AS pool_set;
SELECT booking.book(:org, 'wl-pool', '2031-03-06 10:00Z', '30 minutes')->>'appointment_id' AS pool_appt_1 \gset
SELECT booking.book(:org, 'wl-pool', '2031-03-06 10:00Z', '30 minutes')->>'appointment_id' AS pool_appt_2 \gset
SELECT booking.book(:org, 'wl-pool', '2031-03-06 10:00Z', '30 minutes')->>'error' AS pool_full;
SELECT wl(booking.join_waitlist(:org, 'wl-pool', '2031-03-06 10:00Z', '2031-03-06 10:30Z', '30 minutes',
                                '+15550011', 'Cid', caller_ref => 'pool-call-1'));
SELECT booking.join_waitlist(:org, 'wl-pool', '2031-03-06 10:00Z', '2031-03-06 10:30Z', caller_ref => 'pool-call-1')->>'waitlist_id' AS p1 \gset
SELECT booking.join_waitlist(:org, 'wl-p2', '2031-03-06 10:00Z', '2031-03-06 10:30Z', '30 minutes',
                             '+15550012', 'Dee')->>'waitlist_id' AS p2 \gset
SELECT booking.join_waitlist(:org, 'wl-pool', '2031-03-06 10:00Z', '2031-03-06 10:30Z', '30 minutes',
                             '+15550013', 'Eve') AS jp3 \gset
SELECT wl(:'jp3');
SELECT (:'jp3'::jsonb)->>'waitlist_id' AS p3 \gset
SELECT calendar_id, assigned FROM booking.pool_members WHERE org_id = :org AND pool_id = 'wl-pool' ORDER BY calendar_id;
-- wl-p2's 10:00 cancelled: Cid, first in wl-p2's and the pool's lines, is
-- offered it on wl-p2; the event names the member and the pool.
SELECT booking.cancel_appointment(:org, (SELECT id FROM booking.reservations WHERE org_id = :org
       AND calendar_id = 'wl-p2' AND status = 'confirmed'))->>'status' AS cancelled;
SELECT * FROM wl_state(:org, :'p1');
SELECT * FROM wl_state(:org, :'p2');
SELECT * FROM wl_state(:org, :'p3');
SELECT r.calendar_id, r.status, r.patient_name FROM booking.reservations r
WHERE r.id = (booking.waitlist_status(:org, :'p1')->>'hold_id')::uuid;
SELECT details->>'calendar_id' AS calendar_id, details->>'pool_id' AS pool_id
FROM booking.audit_log WHERE org_id = :org AND action = 'waitlist_offered' AND details->>'waitlist_id' = :'p1';
-- wl-p1's cancelled: Dee waits for wl-p2 alone, so Eve (the pool's) is offered wl-p1.
SELECT booking.cancel_appointment(:org, (SELECT id FROM booking.reservations WHERE org_id = :org
       AND calendar_id = 'wl-p1' AND status = 'confirmed'))->>'status' AS cancelled;
SELECT * FROM wl_state(:org, :'p2');
SELECT * FROM wl_state(:org, :'p3');
SELECT r.calendar_id FROM booking.reservations r
WHERE r.id = (booking.waitlist_status(:org, :'p3')->>'hold_id')::uuid;
SELECT details->>'calendar_id' AS calendar_id, details->>'pool_id' AS pool_id
FROM booking.audit_log WHERE org_id = :org AND action = 'waitlist_offered' AND details->>'waitlist_id' = :'p3';
-- Each member took one booking and one offer from the pool.
SELECT calendar_id, assigned FROM booking.pool_members WHERE org_id = :org AND pool_id = 'wl-pool' ORDER BY calendar_id;
-- Nobody books the offered time through the pool either.
SELECT booking.book(:org, 'wl-pool', '2031-03-06 10:00Z', '30 minutes')->>'error' AS pool_still_full;
-- Cid leaves: the offer on wl-p2 is given back and passes to Dee.
SELECT wl(booking.leave_waitlist(:org, :'p1'));
SELECT * FROM wl_state(:org, :'p2');
SELECT r.calendar_id, r.patient_name FROM booking.reservations r
WHERE r.id = (booking.waitlist_status(:org, :'p2')->>'hold_id')::uuid;
SELECT booking.drop_pool(:org, 'wl-pool')->>'dropped' AS pool_dropped;

-- The setting: reloadable, 15 minutes by default.
SHOW booking.waitlist_offer_ttl;
SELECT booking.drop_event_consumer(:org, 'sms')->>'dropped' AS dropped;
DROP FUNCTION wl(jsonb);
DROP FUNCTION wl_state(uuid, text);
