-- The life of a hold: hold_status, extend_hold, release_hold, confirm_hold.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''b0000000-0000-0000-0000-000000000001'''
\set other_org '''b0000000-0000-0000-0000-000000000002'''
\set nobody '''b0000000-0000-0000-0000-0000000000ff'''

SELECT booking.claim_slot(:org, 'room-1', '2030-02-04 09:00Z', '30 minutes', 'call-1', '+15550101', 'Bo')->>'hold_id' AS h1 \gset

-- hold_status: everything an agent needs, nothing it must not see.
SELECT test_mask(booking.hold_status(:org, :'h1'));
SELECT booking.hold_status(:org, :nobody);
-- Another tenant's hold does not exist for this tenant.
SELECT booking.hold_status(:other_org, :'h1');

-- extend_hold: from now, never past booking.max_hold_ttl after the claim,
-- and never shorter than the hold already was.
SET booking.max_hold_ttl = '15min';
SELECT r->>'capped' AS capped, test_ttl(r) AS ttl FROM booking.extend_hold(:org, :'h1', '15 minutes') r;
RESET booking.max_hold_ttl;
SELECT r->>'capped' AS capped, test_ttl(r) AS ttl FROM booking.extend_hold(:org, :'h1', '20 minutes') r;
SELECT r->>'capped' AS capped, test_ttl(r) AS ttl FROM booking.extend_hold(:org, :'h1', '5 minutes') r;
SELECT test_ttl(booking.hold_status(:org, :'h1')) AS ttl_now;
SELECT booking.extend_hold(:org, :nobody, '5 minutes');
SELECT test_error($$SELECT booking.extend_hold('b0000000-0000-0000-0000-000000000001', NULL, '5 minutes')$$);
SELECT test_error($$SELECT booking.extend_hold('b0000000-0000-0000-0000-000000000001', 'b0000000-0000-0000-0000-0000000000ff', NULL)$$);
SELECT test_error($$SELECT booking.extend_hold('b0000000-0000-0000-0000-000000000001', 'b0000000-0000-0000-0000-0000000000ff', '2 hours')$$);

-- confirm_hold: the same row becomes the appointment; retrying answers the same.
SELECT test_mask(booking.confirm_hold(:org, :'h1', 'c0000000-0000-0000-0000-000000000001', 'checkup', '{"source": "phone"}'));
SELECT (booking.confirm_hold(:org, :'h1')->>'appointment_id') = :'h1' AS appointment_is_the_hold;
SELECT status, expires_at, contact_id, service_type, metadata, confirmed_at IS NOT NULL AS confirmed_at_set
FROM booking.reservations WHERE id = :'h1';
SELECT test_mask(booking.hold_status(:org, :'h1'));
-- A confirmed hold cannot be released or extended.
SELECT booking.release_hold(:org, :'h1');
SELECT booking.extend_hold(:org, :'h1', '5 minutes');
SELECT booking.confirm_hold(:org, :nobody);
SELECT booking.confirm_hold(:other_org, :'h1');
SELECT test_error($$SELECT booking.confirm_hold('b0000000-0000-0000-0000-000000000001', 'b0000000-0000-0000-0000-0000000000ff', metadata => '[1, 2]')$$);
SELECT test_error($$SELECT booking.confirm_hold('b0000000-0000-0000-0000-000000000001', 'b0000000-0000-0000-0000-0000000000ff', metadata => jsonb_build_object('big', repeat('x', 20000)))$$);
SELECT test_error($$SELECT booking.confirm_hold('b0000000-0000-0000-0000-000000000001', 'b0000000-0000-0000-0000-0000000000ff', service_type => repeat('s', 201))$$);

-- release_hold: the slot is free again at once; releasing twice answers the same.
SELECT booking.claim_slot(:org, 'room-1', '2030-02-04 10:00Z', '30 minutes', 'call-2')->>'hold_id' AS h2 \gset
SELECT test_mask(booking.release_hold(:org, :'h2', 'caller hung up'));
SELECT test_mask(booking.release_hold(:org, :'h2'));
SELECT status, status_reason FROM booking.reservations WHERE id = :'h2';
SELECT booking.claim_slot(:org, 'room-1', '2030-02-04 10:00Z', '30 minutes', 'call-3')->>'success' AS slot_free_again;
SELECT booking.confirm_hold(:org, :'h2');
SELECT booking.extend_hold(:org, :'h2', '5 minutes');
SELECT booking.release_hold(:org, :nobody);
SELECT test_error($$SELECT booking.release_hold('b0000000-0000-0000-0000-000000000001', 'b0000000-0000-0000-0000-0000000000ff', repeat('r', 1001))$$);

-- An expired hold: every answer says so, and the row is brought in line.
SELECT booking.claim_slot(:org, 'room-1', '2030-02-04 11:00Z', '30 minutes', 'call-4', ttl => '20 ms')->>'hold_id' AS h3 \gset
SELECT pg_sleep(0.05);
SELECT booking.hold_status(:org, :'h3')->>'status' AS status_after_ttl;
SELECT status FROM booking.reservations WHERE id = :'h3';
SELECT booking.confirm_hold(:org, :'h3');
SELECT status, status_reason FROM booking.reservations WHERE id = :'h3';
SELECT booking.extend_hold(:org, :'h3', '5 minutes');
SELECT booking.release_hold(:org, :'h3');

-- requires_manual_followup: staff may confirm or release; the caller may not extend.
SELECT booking.claim_slot(:org, 'room-1', '2030-02-04 12:00Z', '30 minutes', 'call-5')->>'hold_id' AS h4 \gset
SELECT booking.claim_slot(:org, 'room-1', '2030-02-04 13:00Z', '30 minutes', 'call-6')->>'hold_id' AS h5 \gset
UPDATE booking.reservations SET status = 'requires_manual_followup' WHERE id IN (:'h4', :'h5');
SELECT booking.extend_hold(:org, :'h4', '5 minutes');
SELECT test_mask(booking.confirm_hold(:org, :'h4'));
SELECT test_mask(booking.release_hold(:org, :'h5'));
SELECT id = :'h4' AS is_h4, status FROM booking.reservations WHERE id IN (:'h4', :'h5') ORDER BY starts_at;

-- Every state change left one audit row, in order.
SELECT action, details->>'starts_at' AS starts_at FROM booking.audit_log
WHERE org_id = :org AND entity_id IN (:'h1', :'h2', :'h3', :'h4', :'h5') ORDER BY id;
