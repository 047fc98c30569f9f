-- Caller verification: issue_otp and verify_otp.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''b1000000-0000-0000-0000-000000000001'''
\set nobody '''b1000000-0000-0000-0000-0000000000ff'''
SET booking.otp_resend_interval = 0;

-- A code: 4 digits by default, valid for booking.otp_ttl, five sends per hold.
SELECT booking.claim_slot(:org, 'otp', '2030-10-01 09:00Z', caller_ref => 'c1', patient_phone => '+15550111')->>'hold_id' AS h1 \gset
SELECT booking.issue_otp(:org, :'h1') AS sent \gset
SELECT (:'sent'::jsonb)->>'success' AS success, (:'sent'::jsonb)->>'code' ~ '^[0-9]{4}$' AS four_digits,
       (:'sent'::jsonb)->>'sends_left' AS sends_left, test_ttl(:'sent'::jsonb) AS code_ttl;
SELECT (:'sent'::jsonb) - 'code' - 'expires_at' - 'hold_id' AS rest;

-- Malformed input is answered, not counted.
SELECT booking.verify_otp(:org, :'h1', '12a4');
SELECT booking.verify_otp(:org, :'h1', '123');
SELECT booking.verify_otp(:org, :'h1', '12345');
SELECT booking.verify_otp(:org, :'h1', '');
SELECT booking.hold_status(:org, :'h1')->>'attempts_left' AS still_three;
-- A wrong code counts.
SELECT booking.verify_otp(:org, :'h1', CASE WHEN (:'sent'::jsonb)->>'code' = '0000' THEN '1111' ELSE '0000' END);
-- The right code, as a voice transcript delivers it, confirms the hold in the same call.
SELECT regexp_replace((:'sent'::jsonb)->>'code', '^(.)(.)(.)(.)$', '\1 \2-\3. \4') AS spoken \gset
SELECT test_mask(booking.verify_otp(:org, :'h1', :'spoken', contact_id => 'b1000000-0000-0000-0000-0000000000c1', service_type => 'cleaning'));
SELECT status, verified_at IS NOT NULL AS verified, contact_id, service_type, otp_attempts, otp_sends
FROM booking.reservations WHERE id = :'h1';
-- A retried verification (the tool call timed out) answers success again.
SELECT test_mask(booking.verify_otp(:org, :'h1', :'spoken'));
-- The code was single use and is gone; no more codes for a confirmed hold.
SELECT count(*) AS codes_left FROM booking.otp_codes WHERE hold_id = :'h1';
SELECT booking.issue_otp(:org, :'h1');

-- Three wrong codes: the last locks the hold for staff; the slot stays reserved.
SELECT booking.claim_slot(:org, 'otp', '2030-10-01 10:00Z', caller_ref => 'c2')->>'hold_id' AS h2 \gset
SELECT booking.issue_otp(:org, :'h2')->>'code' AS code2 \gset
SELECT CASE WHEN :'code2' = '0000' THEN '1111' ELSE '0000' END AS wrong2 \gset
SELECT booking.verify_otp(:org, :'h2', :'wrong2');
SELECT booking.verify_otp(:org, :'h2', :'wrong2');
SELECT booking.verify_otp(:org, :'h2', :'wrong2');
SELECT status, status_reason, otp_attempts FROM booking.reservations WHERE id = :'h2';
-- Now even the right code is refused, and the caller cannot move away or resend.
SELECT booking.verify_otp(:org, :'h2', :'code2');
SELECT booking.issue_otp(:org, :'h2');
SELECT booking.claim_slot(:org, 'otp', '2030-10-01 12:00Z', caller_ref => 'c2')->>'error' AS move_refused;
SELECT booking.claim_slot(:org, 'otp', '2030-10-01 10:00Z', caller_ref => 'other')->>'error' AS slot_kept;
SELECT test_mask(booking.hold_status(:org, :'h2')) - 'otp_sent_at' AS status_for_staff;
-- Staff confirm it.
SELECT booking.confirm_hold(:org, :'h2')->>'status' AS staff_confirmed;

-- Misses survive a rolled-back transaction (the shared ledger counts them).
SELECT booking.claim_slot(:org, 'otp', '2030-10-01 11:00Z', caller_ref => 'c3')->>'hold_id' AS h3 \gset
SELECT booking.issue_otp(:org, :'h3')->>'code' AS code3 \gset
SELECT CASE WHEN :'code3' = '0000' THEN '1111' ELSE '0000' END AS wrong3 \gset
BEGIN; SELECT booking.verify_otp(:org, :'h3', :'wrong3')->>'attempts_left' AS left_1; ROLLBACK;
BEGIN; SELECT booking.verify_otp(:org, :'h3', :'wrong3')->>'attempts_left' AS left_2; ROLLBACK;
BEGIN; SELECT booking.verify_otp(:org, :'h3', :'wrong3')->>'error' AS third; ROLLBACK;
SELECT booking.verify_otp(:org, :'h3', :'code3')->>'error' AS right_code_after_rollbacks;
SELECT status FROM booking.reservations WHERE id = :'h3';

-- Resends replace the code (8 digits here, so two codes are all but never equal);
-- sends are limited and spaced.
SET booking.otp_digits = 8;
SELECT booking.claim_slot(:org, 'otp', '2030-10-02 09:00Z', caller_ref => 'c4')->>'hold_id' AS h4 \gset
SELECT booking.issue_otp(:org, :'h4')->>'code' AS first_code \gset
SELECT booking.issue_otp(:org, :'h4')->>'code' AS second_code \gset
SELECT booking.verify_otp(:org, :'h4', :'first_code')->>'error' AS replaced_code;
RESET booking.otp_digits;
SELECT booking.issue_otp(:org, :'h4')->>'sends_left' AS after_three,
       booking.issue_otp(:org, :'h4')->>'sends_left' AS after_four,
       booking.issue_otp(:org, :'h4')->>'sends_left' AS after_five;
SELECT booking.issue_otp(:org, :'h4');
RESET booking.otp_resend_interval;
SELECT booking.claim_slot(:org, 'otp', '2030-10-02 10:00Z', caller_ref => 'c5')->>'hold_id' AS h5 \gset
SELECT booking.issue_otp(:org, :'h5')->>'success' AS first_send;
SELECT r - 'retry_after_ms' AS too_soon, (r->>'retry_after_ms')::int BETWEEN 29000 AND 30000 AS about_thirty_seconds
FROM booking.issue_otp(:org, :'h5') r;

-- Expired codes, codes never sent, and holds that are gone.
SET booking.otp_resend_interval = 0;
SELECT booking.claim_slot(:org, 'otp', '2030-10-03 09:00Z', caller_ref => 'c6')->>'hold_id' AS h6 \gset
SELECT booking.verify_otp(:org, :'h6', '1234');
SET booking.otp_ttl = '20ms';
SELECT booking.issue_otp(:org, :'h6')->>'code' AS code6 \gset
RESET booking.otp_ttl;
SELECT pg_sleep(0.05);
SELECT booking.verify_otp(:org, :'h6', :'code6');
SELECT booking.hold_status(:org, :'h6')->>'attempts_left' AS not_counted;
SELECT booking.issue_otp(:org, :nobody);
SELECT booking.verify_otp(:org, :nobody, '1234');
SELECT booking.claim_slot(:org, 'otp', '2030-10-03 10:00Z', caller_ref => 'c7', ttl => '20 ms')->>'hold_id' AS h7 \gset
SELECT pg_sleep(0.05);
SELECT booking.issue_otp(:org, :'h7');
SELECT booking.verify_otp(:org, :'h7', '1234');
SELECT booking.release_hold(:org, :'h6')->>'status' AS released;
SELECT booking.issue_otp(:org, :'h6');
SELECT booking.verify_otp(:org, :'h6', '1234');

-- More digits; codes are uniform (no digit is favoured in a thousand codes).
SET booking.otp_digits = 6;
SELECT booking.claim_slot(:org, 'otp', '2030-10-04 09:00Z', caller_ref => 'c8')->>'hold_id' AS h8 \gset
SELECT booking.issue_otp(:org, :'h8')->>'code' ~ '^[0-9]{6}$' AS six_digits;
SELECT booking.verify_otp(:org, :'h8', '1234')->>'error' AS four_is_malformed_now;
RESET booking.otp_digits;
SET booking.otp_max_sends = 100;
CREATE TEMP TABLE drawn AS
SELECT booking.issue_otp(:org, :'h8')->>'code' AS code FROM generate_series(1, 90);
RESET booking.otp_max_sends;
SELECT count(DISTINCT code) > 80 AS mostly_distinct FROM drawn;
SELECT bool_and(n BETWEEN 10 AND 80) AS every_digit_common FROM (
    SELECT d, count(*) AS n FROM drawn, regexp_split_to_table(code, '') d GROUP BY d) s;

-- The code is found in no column of any booking table, nor in the audit log.
SELECT booking.claim_slot(:org, 'otp', '2030-10-05 09:00Z', caller_ref => 'c9')->>'hold_id' AS h9 \gset
SET booking.otp_digits = 8;
SELECT booking.issue_otp(:org, :'h9')->>'code' AS secret \gset
RESET booking.otp_digits;
SELECT 'reservations' AS tbl, count(*) FILTER (WHERE t::text LIKE '%' || :'secret' || '%') FROM booking.reservations t
UNION ALL SELECT 'audit_log', count(*) FILTER (WHERE t::text LIKE '%' || :'secret' || '%') FROM booking.audit_log t
UNION ALL SELECT 'otp_codes', count(*) FILTER (WHERE t::text LIKE '%' || :'secret' || '%' OR encode(code_mac, 'escape') LIKE '%' || :'secret' || '%') FROM booking.otp_codes t
UNION ALL SELECT 'otp_secret', count(*) FILTER (WHERE t::text LIKE '%' || :'secret' || '%') FROM booking.otp_secret t;
-- Nor is the hash anywhere a tenant could read: the audit log carries neither.
SELECT count(*) AS audit_rows_with_hash FROM booking.audit_log a, booking.otp_codes o
WHERE a.details::text LIKE '%' || encode(o.code_mac, 'hex') || '%' OR a.details::text LIKE '%' || encode(o.code_mac, 'base64') || '%';
-- Every send and every attempt left an audit row.
SELECT action, details->>'result' AS result, count(*) FROM booking.audit_log
WHERE org_id = :org AND action LIKE 'otp%' OR (org_id = :org AND action = 'locked')
GROUP BY 1, 2 ORDER BY 1, 2;

-- Misuse raises.
SELECT test_error($$SELECT booking.verify_otp('b1000000-0000-0000-0000-000000000001', 'b1000000-0000-0000-0000-0000000000ff', NULL)$$);
SELECT test_error($$SELECT booking.verify_otp('b1000000-0000-0000-0000-000000000001', 'b1000000-0000-0000-0000-0000000000ff', repeat('1', 65))$$);
SELECT test_error($$SELECT booking.issue_otp(NULL, 'b1000000-0000-0000-0000-0000000000ff')$$);
SELECT test_error($$SET booking.otp_digits = 9$$);
SELECT test_error($$SET booking.otp_digits = 3$$);
