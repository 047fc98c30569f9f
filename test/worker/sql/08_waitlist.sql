-- A lapse-driven waitlist offer (issue 24): the worker's pass expires a
-- lapsed hold and, in the same transaction, offers its time to the first in
-- line whose window fits, as a hold with caller_ref 'waitlist:<id>'.
SET TimeZone = 'UTC';
\set org '''a0000000-0000-0000-0000-000000000024'''

-- The caller joins first (a claim of the slot is still allowed: the entry
-- only waits), then someone holds the slot briefly and lets it lapse.
SELECT booking.join_waitlist(:org, 'dr-wait', '2031-03-05 09:00Z', '2031-03-05 09:30Z',
                             caller_ref => 'waiting-1')->>'waitlist_id' AS entry \gset
SELECT booking.claim_slot(:org, 'dr-wait', '2031-03-05 09:00Z', '30 minutes',
                          ttl => '300 milliseconds')->>'hold_id' AS short_hold \gset
SELECT wait_until(format($$(SELECT status = 'offered' FROM booking.waitlist WHERE id = %L)$$,
                         :'entry')) AS offered_by_the_worker;
SELECT r.status AS lapsed_hold FROM booking.reservations r WHERE r.id = :'short_hold';
SELECT r.status, r.starts_at, r.caller_ref = 'waitlist:' || :'entry' AS names_entry
FROM booking.reservations r
WHERE r.org_id = :org AND r.id = (SELECT hold_id FROM booking.waitlist WHERE id = :'entry');
SELECT action FROM booking.audit_log WHERE org_id = :org ORDER BY id;
