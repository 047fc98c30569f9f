-- cancel_appointment and reschedule_appointment.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''d0000000-0000-0000-0000-000000000001'''
\set nobody '''d0000000-0000-0000-0000-0000000000ff'''

SELECT booking.book(:org, 'chair-1', '2030-04-01 09:00Z', '1 hour', notes => 'allergic to latex',
                    metadata => '{"phone": "+15550199"}')->>'appointment_id' AS a1 \gset
SELECT booking.book(:org, 'chair-1', '2030-04-01 10:00Z', '1 hour')->>'appointment_id' AS a2 \gset
SELECT booking.book(:org, 'chair-1', '2030-04-01 12:00Z', '1 hour')->>'appointment_id' AS a3 \gset

-- Reschedule onto a range overlapping its own old one.
SELECT test_mask(booking.reschedule_appointment(:org, :'a3', '2030-04-01 12:30Z'));
-- With a new duration.
SELECT test_mask(booking.reschedule_appointment(:org, :'a3', '2030-04-01 12:30Z', '30 minutes'));
-- The same range again changes nothing and succeeds.
SELECT test_mask(booking.reschedule_appointment(:org, :'a3', '2030-04-01 12:30Z'));
-- Onto a neighbour: nothing changes, the answer names it and offers alternatives.
SELECT test_mask(booking.reschedule_appointment(:org, :'a2', '2030-04-01 09:30Z'));
SELECT starts_at, ends_at FROM booking.reservations WHERE id = :'a2';
-- Into the past.
SELECT booking.reschedule_appointment(:org, :'a2', now() - interval '1 day')->>'error' AS error;
-- A hold is not an appointment; unknown ids are not found.
SELECT booking.claim_slot(:org, 'chair-1', '2030-04-02 09:00Z')->>'hold_id' AS h1 \gset
SELECT booking.reschedule_appointment(:org, :'h1', '2030-04-02 10:00Z');
SELECT booking.reschedule_appointment(:org, :nobody, '2030-04-02 10:00Z');
SELECT test_error($$SELECT booking.reschedule_appointment('d0000000-0000-0000-0000-000000000001', NULL, '2030-04-02 10:00Z')$$);
SELECT test_error($$SELECT booking.reschedule_appointment('d0000000-0000-0000-0000-000000000001', 'd0000000-0000-0000-0000-0000000000ff', NULL)$$);
SELECT test_error($$SELECT booking.reschedule_appointment('d0000000-0000-0000-0000-000000000001', 'd0000000-0000-0000-0000-0000000000ff', '2030-04-02 10:00Z', '0')$$);
-- Audit: from and to.
SELECT action, details->>'from_starts_at' AS from_starts_at, details->>'starts_at' AS starts_at
FROM booking.audit_log WHERE entity_id = :'a3' ORDER BY id;

-- Cancel frees the time at once; cancelling again answers the same.
SELECT test_mask(booking.cancel_appointment(:org, :'a2', 'patient asked'));
SELECT test_mask(booking.cancel_appointment(:org, :'a2'));
SELECT status, status_reason, cancelled_at IS NOT NULL AS cancelled_at_set FROM booking.reservations WHERE id = :'a2';
SELECT booking.book(:org, 'chair-1', '2030-04-01 10:00Z', '1 hour')->>'success' AS time_free_again;
-- A cancelled appointment cannot be moved; a hold is not cancelled this way.
SELECT booking.reschedule_appointment(:org, :'a2', '2030-04-03 10:00Z');
SELECT booking.cancel_appointment(:org, :'h1');
SELECT booking.cancel_appointment(:org, :nobody);
UPDATE booking.reservations SET status = 'completed' WHERE id = :'a3';
SELECT booking.cancel_appointment(:org, :'a3');
SELECT booking.reschedule_appointment(:org, :'a3', '2030-04-03 10:00Z');

-- Erasure: name, phone, notes, metadata, caller_ref and the reason are gone from the row.
SELECT booking.claim_slot(:org, 'chair-2', '2030-04-05 09:00Z', '30 minutes', 'call-9', '+15550123', 'Dee Doe')->>'hold_id' AS h2 \gset
SELECT booking.confirm_hold(:org, :'h2', metadata => '{"insurer": "Acme"}')->>'success' AS confirmed;
SELECT test_mask(booking.cancel_appointment(:org, :'h2', 'moved away', erase_pii => true));
SELECT patient_name, patient_phone, notes, metadata, caller_ref, status_reason, status
FROM booking.reservations WHERE id = :'h2';
-- Erasure after the fact, of an appointment cancelled earlier.
SELECT test_mask(booking.cancel_appointment(:org, :'a1', 'no show'));
SELECT notes IS NOT NULL AS notes_kept, metadata IS NOT NULL AS metadata_kept FROM booking.reservations WHERE id = :'a1';
SELECT test_mask(booking.cancel_appointment(:org, :'a1', erase_pii => true));
SELECT notes, metadata, status_reason FROM booking.reservations WHERE id = :'a1';
-- Nothing personal is left in the audit log either.
SELECT count(*) AS audit_rows_with_pii FROM booking.audit_log
WHERE org_id = :org AND (details::text ~ 'Dee|5550123|latex|Acme|moved away|no show|patient asked|5550199');
SELECT action FROM booking.audit_log WHERE entity_id IN (:'a1', :'h2') ORDER BY id;
SELECT test_error($$SELECT booking.cancel_appointment('d0000000-0000-0000-0000-000000000001', 'd0000000-0000-0000-0000-0000000000ff', erase_pii => NULL)$$);
SELECT test_error($$SELECT booking.cancel_appointment('d0000000-0000-0000-0000-000000000001', NULL)$$);
