-- The seeds' RPCs, called with the seeds' argument order and names, answer
-- with the seeds' result keys.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''70000000-0000-0000-0000-000000000001'''

-- Seed 000: claim_slot_atomic(org, calendar, slot_time, call_id) -> { success, hold_id, expires_at }.
SELECT booking.claim_slot_atomic(:org, 'primary', '2030-01-15T14:00Z', 'call_001') AS claim \gset
SELECT test_mask(:'claim'::jsonb);
SELECT (:'claim'::jsonb) ?& ARRAY['success', 'hold_id', 'expires_at'] AS seed_keys;
-- The same slot for another call: OFFER_ALTERNATIVES.
SELECT r->>'success' AS success, r->>'action' AS action, r ? 'error' AS has_error
FROM booking.claim_slot_atomic(:org, 'primary', '2030-01-15T14:00Z', 'call_002') r;
-- Named arguments as the seed's TypeScript sends them.
SELECT booking.claim_slot_atomic(org_id => :org, calendar_id => 'primary', slot_time => '2030-01-15T15:00Z', call_id => 'call_003')->>'success' AS named;
-- A hold is 30 minutes long.
SELECT ends_at - starts_at AS hold_length FROM booking.reservations WHERE id = (:'claim'::jsonb->>'hold_id')::uuid;

-- Seed 000: confirm_held_slot(hold_id, org_id, contact_id, service_type) -> { success, appointment_id, message }.
SELECT test_mask(booking.confirm_held_slot((:'claim'::jsonb->>'hold_id')::uuid, :org, '70000000-0000-0000-0000-0000000000c1', 'consultation'));
SELECT booking.confirm_held_slot('70000000-0000-0000-0000-0000000000ff', :org)->>'error' AS unknown_hold;

-- Seed 002: book_appointment_with_lock(p_org_id, p_contact_id, p_scheduled_at, p_lock_key, ...) -> { success, appointment_id }.
SELECT booking.book_appointment_with_lock(
    p_org_id => :org, p_contact_id => '70000000-0000-0000-0000-0000000000c2',
    p_scheduled_at => '2030-01-16T09:00Z',
    p_lock_key => booking.slot_lock_key(:org, '2030-01-16T09:00Z')) AS seed_book \gset
SELECT test_mask(:'seed_book'::jsonb);
SELECT calendar_id, ends_at - starts_at AS length, contact_id FROM booking.reservations WHERE id = (:'seed_book'::jsonb->>'appointment_id')::uuid;
-- The seed's defect, fixed: an overlapping booking with a different start (and so a
-- different lock key) is refused, naming the conflicting appointment.
SELECT r->>'success' AS success, r->>'error' AS error, r ? 'conflicting_appointment' AS has_conflict
FROM booking.book_appointment_with_lock(:org, NULL, '2030-01-16T09:15Z', booking.slot_lock_key(:org, '2030-01-16T09:15Z'), 30) r;
-- Positional, all eight arguments; the lock key may be NULL.
SELECT test_mask(booking.book_appointment_with_lock(:org, NULL, '2030-01-16T11:00Z', NULL, 45,
    '70000000-0000-0000-0000-0000000000d1', 'new patient', '{"source": "widget"}'));
SELECT test_error($$SELECT booking.book_appointment_with_lock('70000000-0000-0000-0000-000000000001', NULL, '2030-01-16T12:00Z', NULL, 0)$$);
SELECT test_error($$SELECT booking.book_appointment_with_lock('70000000-0000-0000-0000-000000000001', NULL, NULL)$$);

-- Seed 000: cleanup_expired_holds() expires every lapsed hold.
SELECT booking.claim_slot_atomic(:org, 'primary', '2030-01-17T09:00Z', 'call_004')->>'success' AS held;
UPDATE booking.reservations SET expires_at = now() - interval '1 second' WHERE org_id = :org AND caller_ref = 'call_004';
SELECT booking.cleanup_expired_holds() >= 1 AS cleaned;
SELECT status FROM booking.reservations WHERE org_id = :org AND caller_ref = 'call_004';
