-- Caller verification: issue_otp, withdraw_otp and verify_otp.
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

-- A code whose SMS could not be sent is taken back by its sender, who names
-- it: the code is gone and the send given back, count and resend wait as
-- before the code was issued (8 digits: two codes all but never equal).
RESET booking.otp_resend_interval;
SET booking.otp_digits = 8;
SELECT booking.claim_slot(:org, 'otp', '2030-10-06 09:00Z', caller_ref => 'w1', patient_phone => '+15550112')->>'hold_id' AS w1 \gset
SELECT booking.issue_otp(:org, :'w1')->>'code' AS w1_code \gset
SELECT otp_sends, otp_sent_at IS NOT NULL AS sent FROM booking.reservations WHERE id = :'w1';
SELECT test_mask(booking.withdraw_otp(:org, :'w1', :'w1_code'));
SELECT otp_sends, otp_sent_at, (SELECT count(*) FROM booking.otp_codes WHERE hold_id = :'w1') AS codes
FROM booking.reservations WHERE id = :'w1';
-- The withdrawn code confirms nothing and costs no attempt; a second
-- withdrawal finds nothing to take back.
SELECT booking.verify_otp(:org, :'w1', :'w1_code')->>'error' AS withdrawn_code;
SELECT booking.hold_status(:org, :'w1')->>'attempts_left' AS not_counted;
SELECT booking.withdraw_otp(:org, :'w1', :'w1_code');
-- No resend wait was left behind (booking.otp_resend_interval is 30 s): the
-- retry is sent at once.
SELECT booking.issue_otp(:org, :'w1')->>'code' AS w1_retry \gset
SELECT otp_sends FROM booking.reservations WHERE id = :'w1';
-- A resend withdrawn: the earlier send's time comes back, and with it what
-- is left of its wait. The code the resend replaced stays replaced.
SELECT otp_sent_at AS w1_first_at FROM booking.reservations WHERE id = :'w1' \gset
SET booking.otp_resend_interval = 0;
SELECT booking.issue_otp(:org, :'w1')->>'code' AS w1_resend \gset
RESET booking.otp_resend_interval;
SELECT otp_sends, otp_sent_at > :'w1_first_at' AS resent_later FROM booking.reservations WHERE id = :'w1';
SELECT w - 'otp_sent_at' AS withdrawn, (w->>'otp_sent_at')::timestamptz = :'w1_first_at' AS answers_the_earlier_send
FROM test_mask(booking.withdraw_otp(:org, :'w1', :'w1_resend')) w;
SELECT otp_sends, otp_sent_at = :'w1_first_at' AS earlier_send_time_back FROM booking.reservations WHERE id = :'w1';
SELECT booking.issue_otp(:org, :'w1')->>'error' AS earlier_wait_still_runs;
SELECT booking.verify_otp(:org, :'w1', :'w1_retry')->>'error' AS replaced_code;
-- The withdrawals' audit rows, with the hold's sends after each; no code.
SELECT action, details - 'calendar_id' AS details FROM booking.audit_log
WHERE entity_id = :'w1' AND action LIKE 'otp_%' ORDER BY id;
SELECT count(*) AS audit_rows_with_a_code FROM booking.audit_log
WHERE entity_id = :'w1' AND (details::text LIKE '%' || :'w1_code' || '%' OR details::text LIKE '%' || :'w1_resend' || '%');

-- Only the hold's current code is taken back, from a live held hold;
-- otherwise nothing changes. A resend came between the issue and the
-- withdrawal: the first code is replaced, the resend's send and code stand.
SET booking.otp_resend_interval = 0;
SELECT booking.claim_slot(:org, 'otp', '2030-10-06 10:00Z', caller_ref => 'w2')->>'hold_id' AS w2 \gset
SELECT booking.issue_otp(:org, :'w2')->>'code' AS w2_first \gset
SELECT booking.issue_otp(:org, :'w2')->>'code' AS w2_second \gset
SELECT booking.withdraw_otp(:org, :'w2', :'w2_first');
SELECT otp_sends FROM booking.reservations WHERE id = :'w2';
SELECT booking.verify_otp(:org, :'w2', :'w2_second')->>'status' AS the_resend_verifies;
-- A verification came first (the SMS arrived though the provider failed to
-- say so): the hold stays confirmed, its send counted.
SELECT booking.claim_slot(:org, 'otp', '2030-10-06 11:00Z', caller_ref => 'w3')->>'hold_id' AS w3 \gset
SELECT booking.issue_otp(:org, :'w3')->>'code' AS w3_code \gset
SELECT booking.verify_otp(:org, :'w3', :'w3_code')->>'status' AS verified_first;
SELECT booking.withdraw_otp(:org, :'w3', :'w3_code');
SELECT status, otp_sends, verified_at IS NOT NULL AS verified FROM booking.reservations WHERE id = :'w3';
-- The hold was released, lapsed, locked, or is not there.
SELECT booking.claim_slot(:org, 'otp', '2030-10-06 12:00Z', caller_ref => 'w4')->>'hold_id' AS w4 \gset
SELECT booking.issue_otp(:org, :'w4')->>'code' AS w4_code \gset
SELECT booking.release_hold(:org, :'w4')->>'status' AS released;
SELECT booking.withdraw_otp(:org, :'w4', :'w4_code');
SELECT status, otp_sends FROM booking.reservations WHERE id = :'w4';
SELECT booking.claim_slot(:org, 'otp', '2030-10-06 13:00Z', caller_ref => 'w5')->>'hold_id' AS w5 \gset
SELECT booking.issue_otp(:org, :'w5')->>'code' AS w5_code \gset
UPDATE booking.reservations SET expires_at = now() - interval '1 second' WHERE id = :'w5';
SELECT booking.withdraw_otp(:org, :'w5', :'w5_code');
SELECT status, otp_sends FROM booking.reservations WHERE id = :'w5';
SELECT booking.claim_slot(:org, 'otp', '2030-10-06 14:00Z', caller_ref => 'w6')->>'hold_id' AS w6 \gset
SELECT booking.issue_otp(:org, :'w6')->>'code' AS w6_code \gset
-- Three wrong codes: the code sent plus 1, 2 and 3.
SELECT booking.verify_otp(:org, :'w6', lpad(((:'w6_code'::bigint + 1) % 100000000)::text, 8, '0'))->>'error' AS miss_1;
SELECT booking.verify_otp(:org, :'w6', lpad(((:'w6_code'::bigint + 2) % 100000000)::text, 8, '0'))->>'error' AS miss_2;
SELECT booking.verify_otp(:org, :'w6', lpad(((:'w6_code'::bigint + 3) % 100000000)::text, 8, '0'))->>'error' AS miss_3;
SELECT booking.withdraw_otp(:org, :'w6', :'w6_code');
SELECT status, otp_sends FROM booking.reservations WHERE id = :'w6';
SELECT booking.withdraw_otp(:org, :nobody, '12345678');
-- A code issued under a key since rotated can be checked no more: its send
-- stays (verify_otp answers otp_expired for it too).
SELECT booking.claim_slot(:org, 'otp', '2030-10-06 15:00Z', caller_ref => 'w7')->>'hold_id' AS w7 \gset
SELECT booking.issue_otp(:org, :'w7')->>'code' AS w7_code \gset
DELETE FROM booking.otp_secret;
SELECT booking.withdraw_otp(:org, :'w7', :'w7_code');
SELECT otp_sends FROM booking.reservations WHERE id = :'w7';
RESET booking.otp_resend_interval;
RESET booking.otp_digits;

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

-- Misuse raises, and changes nothing: withdraw_otp takes the code as
-- issue_otp answered it, not as a caller says it.
SELECT booking.claim_slot(:org, 'otp', '2030-10-07 09:00Z', caller_ref => 'w8')->>'hold_id' AS w8 \gset
SELECT booking.issue_otp(:org, :'w8')->>'code' AS w8_code \gset
SELECT test_error(format('SELECT booking.withdraw_otp(%L, %L, %L)', :org, :'w8', regexp_replace(:'w8_code', '^(..)', '\1 ')));
SELECT test_error(format('SELECT booking.withdraw_otp(%L, %L, %L)', :org, :'w8', NULL));
SELECT test_error(format('SELECT booking.withdraw_otp(%L, %L, %L)', :org, :'w8', ''));
SELECT test_error(format('SELECT booking.withdraw_otp(%L, %L, %L)', :org, :'w8', '123'));
SELECT test_error(format('SELECT booking.withdraw_otp(%L, %L, %L)', :org, :'w8', '123456789'));
SELECT test_error(format('SELECT booking.withdraw_otp(%L, %L, %L)', :org, :'w8', repeat('1', 65)));
SELECT test_error(format('SELECT booking.withdraw_otp(%L, %L, %L)', NULL, :'w8', :'w8_code'));
SELECT test_error(format('SELECT booking.withdraw_otp(%L, %L, %L)', :org, NULL, :'w8_code'));
SELECT otp_sends, (SELECT count(*) FROM booking.otp_codes WHERE hold_id = :'w8') AS codes
FROM booking.reservations WHERE id = :'w8';
SELECT test_error($$SELECT booking.verify_otp('b1000000-0000-0000-0000-000000000001', 'b1000000-0000-0000-0000-0000000000ff', NULL)$$);
SELECT test_error($$SELECT booking.verify_otp('b1000000-0000-0000-0000-000000000001', 'b1000000-0000-0000-0000-0000000000ff', repeat('1', 65))$$);
SELECT test_error($$SELECT booking.issue_otp(NULL, 'b1000000-0000-0000-0000-0000000000ff')$$);
SELECT test_error($$SET booking.otp_digits = 9$$);
SELECT test_error($$SET booking.otp_digits = 3$$);
