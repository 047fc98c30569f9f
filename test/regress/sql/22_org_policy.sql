-- An organisation's own policy (issue 23): set_org_policy and org_policy.
-- A clinic may only tighten the server's limits (22023 naming the setting
-- and the server's value otherwise); NULL restores the server's value; a
-- call obeys the strictest of server, organisation and session; staff set
-- it, agents and staff read it, anyone else gets 42501.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''22000000-0000-0000-0000-000000000001'''
\set other '''22000000-0000-0000-0000-000000000002'''
CREATE ROLE policy_staff LOGIN;
CREATE ROLE policy_agent LOGIN;
CREATE ROLE policy_sms LOGIN;
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('policy_staff', 'staff'));
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('policy_agent', 'agent'));
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('policy_sms', 'sms_sender'));
SELECT booking.bind_role('policy_staff', :org)->>'success' AS staff_bound,
       booking.bind_role('policy_agent', :org)->>'success' AS agent_bound,
       booking.bind_role('policy_sms', :org)->>'success' AS sms_bound;

-- No policy: the server's values; no contact cap by default.
SELECT booking.org_policy(:org);

-- A stricter policy: the answer is the effective value of every argument.
SET ROLE policy_staff;
SELECT booking.set_org_policy(:org, hold_ttl => '5 minutes', max_hold_ttl => '30 minutes',
                              otp_digits => 6, otp_ttl => '2 minutes', otp_max_attempts => 2,
                              otp_max_sends => 3, otp_resend_interval => '1 minute',
                              max_active_per_contact => 2, otp_sends_per_phone_hour => 4);
RESET ROLE;
SELECT hold_ttl, max_hold_ttl, otp_digits, max_active_per_contact FROM booking.org_policies WHERE org_id = :org;
SELECT action, details FROM booking.audit_log WHERE org_id = :org AND action = 'org_policy_set';

-- Looser than the server's: 22023 naming the setting and the server's value;
-- nothing changes.
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', hold_ttl => '1 hour')$$);
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', max_hold_ttl => '2 hours')$$);
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', otp_digits => 3)$$);
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', otp_digits => 9)$$);
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', otp_resend_interval => '10 seconds')$$);
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', otp_max_attempts => 5)$$);
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', otp_sends_per_phone_hour => 11)$$);
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', max_active_per_contact => 0)$$);
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', otp_ttl => '1 month')$$);
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', hold_ttl => '-1 minute')$$);
SELECT booking.org_policy(:org)->'policy'->>'max_active_per_contact' AS cap_kept;

-- A server cap: an organisation's looser one is refused, a lower one kept.
ALTER SYSTEM SET booking.max_active_per_contact = 3;
SELECT pg_reload_conf();
SELECT pg_sleep(0.2);
SELECT test_error($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', max_active_per_contact => 4)$$);
SELECT booking.org_policy(:other)->'policy'->>'max_active_per_contact' AS server_cap_for_others;
ALTER SYSTEM RESET booking.max_active_per_contact;
SELECT pg_reload_conf();
SELECT pg_sleep(0.2);

-- Who may: staff set, agents read, the SMS sender neither; another
-- organisation's, nobody bound elsewhere.
SET ROLE policy_agent;
SELECT booking.org_policy(:org)->'policy'->>'otp_digits' AS agent_reads;
SELECT test_sqlstate($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000001', otp_digits => 8)$$) AS agent_sets;
RESET ROLE;
SET ROLE policy_sms;
SELECT test_sqlstate($$SELECT booking.org_policy('22000000-0000-0000-0000-000000000001')$$) AS sms_reads;
RESET ROLE;
SET ROLE policy_staff;
SELECT test_sqlstate($$SELECT booking.set_org_policy('22000000-0000-0000-0000-000000000002', otp_digits => 8)$$) AS staff_elsewhere;
RESET ROLE;

-- The policy binds every call of the organisation: a claim's default TTL,
-- a ttl past its max_hold_ttl, an extension's cap, a code's digits and
-- lifetime, attempts and sends.
SELECT test_ttl(booking.claim_slot(:org, 'dr', '2031-05-01 09:00Z', caller_ref => 'p-1', patient_phone => '+1 555 0100')) AS default_ttl;
SELECT test_error($$SELECT booking.claim_slot('22000000-0000-0000-0000-000000000001', 'dr', '2031-05-01 10:00Z', ttl => '45 minutes')$$);
SELECT booking.claim_slot(:org, 'dr', '2031-05-01 11:00Z', ttl => '20 minutes')->>'hold_id' AS hold \gset
SELECT test_ttl(booking.extend_hold(:org, :'hold', '1 hour')) AS extended_to_cap;
SELECT booking.issue_otp(:org, :'hold') AS issued_answer \gset
SELECT test_mask(:'issued_answer'::jsonb) - 'code' - 'patient_phone' AS issued;
SELECT (:'issued_answer'::jsonb)->>'code' AS sent_code \gset
SELECT date_trunc('second', expires_at - issued_at + interval '500 ms') AS code_lifetime, digits
FROM booking.otp_codes WHERE org_id = :org AND hold_id = :'hold';
SELECT booking.hold_status(:org, :'hold')->>'attempts_left' AS attempts_left;
-- A wrong code: the one sent plus 1, never the code itself (a fixed guess
-- would match a random code now and then).
SELECT booking.verify_otp(:org, :'hold', lpad(((:'sent_code'::int + 1) % 1000000)::text, 6, '0'))->>'attempts_left' AS after_one_miss;
-- Another organisation keeps the server's.
SELECT test_ttl(booking.claim_slot(:other, 'dr', '2031-05-01 09:00Z')) AS other_default_ttl;

-- The session's tighter value wins over the organisation's; the strictest of
-- the three is what a call obeys.
BEGIN;
SET LOCAL booking.otp_max_attempts = 1;
SELECT booking.org_policy(:org)->'policy'->>'otp_max_attempts' AS session_tighter;
ROLLBACK;

-- NULL restores the server's value; a policy of NULLs is no policy.
SELECT booking.set_org_policy(:org, otp_digits => 8);
SELECT count(*) AS rows_left FROM booking.org_policies WHERE org_id = :org;
SELECT booking.set_org_policy(:org);
SELECT count(*) AS rows_left FROM booking.org_policies WHERE org_id = :org;

-- The SMS cost guard: at most otp_sends_per_phone_hour codes to one phone
-- number (its digits, however written) per organisation in a rolling hour,
-- across holds; the next answers otp_phone_limit with retry_after_ms, when
-- the oldest send leaves the hour. A withdrawn code's send is given back.
SELECT booking.set_org_policy(:org, otp_sends_per_phone_hour => 3)->'policy'->>'otp_sends_per_phone_hour' AS per_hour;
SELECT booking.claim_slot(:org, 'sms', '2031-05-02 09:00Z', patient_phone => '+1 (555) 0100')->>'hold_id' AS h1 \gset
SELECT booking.claim_slot(:org, 'sms', '2031-05-02 10:00Z', patient_phone => '15550100')->>'hold_id' AS h2 \gset
SELECT booking.claim_slot(:org, 'sms', '2031-05-02 11:00Z', patient_phone => '1-555-0100')->>'hold_id' AS h3 \gset
SELECT booking.claim_slot(:org, 'sms', '2031-05-02 12:00Z', patient_phone => '1 555 0100')->>'hold_id' AS h4 \gset
SELECT booking.claim_slot(:org, 'sms', '2031-05-02 13:00Z', patient_phone => '+1 555 0199')->>'hold_id' AS other_phone \gset
SELECT booking.issue_otp(:org, :'h1')->>'success' AS first, booking.issue_otp(:org, :'h2')->>'success' AS second;
SELECT booking.issue_otp(:org, :'h3')->>'code' AS h3_code \gset
SELECT booking.issue_otp(:org, :'h4') - 'retry_after_ms' AS fourth_to_one_phone;
SELECT (booking.issue_otp(:org, :'h4')->>'retry_after_ms')::int BETWEEN 3590000 AND 3600000 AS retry_after_the_hour;
SELECT booking.issue_otp(:org, :'other_phone')->>'success' AS another_phone;
SELECT booking.withdraw_otp(:org, :'h3', :'h3_code')->>'withdrawn' AS withdrawn;
SELECT booking.issue_otp(:org, :'h4')->>'success' AS after_a_withdrawal;
SELECT booking.issue_otp(:org, :'h3')->>'error' AS full_again;
-- Another organisation counts its own sends to the same number.
SELECT booking.issue_otp(:other, (booking.claim_slot(:other, 'sms', '2031-05-02 09:00Z', patient_phone => '15550100')->>'hold_id')::uuid)->>'success' AS other_organisation;
SELECT contact_key, cardinality(sends) AS sends FROM booking.contact_locks WHERE org_id = :org ORDER BY 1;
-- The server's limit binds without a policy too.
SELECT booking.set_org_policy(:org)->'policy'->>'otp_sends_per_phone_hour' AS back_to_server;

-- The contact cap: a contact (its contact_id, else its phone's digits) holds
-- at most max_active_per_contact blocking reservations starting in the
-- future in the organisation, across calendars; the next claim or booking
-- answers contact_limit_reached (ESCALATE_TO_HUMAN) and changes nothing.
-- The default is no cap.
\set contact '''22000000-0000-0000-00c0-000000000001'''
SELECT booking.org_policy(:org)->'policy'->>'max_active_per_contact' AS no_cap_by_default;
SELECT booking.set_org_policy(:org, max_active_per_contact => 2)->'policy'->>'max_active_per_contact' AS cap;
SELECT booking.book(:org, 'cap-a', '2031-06-01 09:00Z', contact_id => :contact)->>'success' AS first;
SELECT booking.book(:org, 'cap-b', '2031-06-01 09:00Z', contact_id => :contact,
                    idempotency_key => 'cap-2')->>'success' AS second_on_another_calendar;
SELECT booking.book(:org, 'cap-a', '2031-06-02 09:00Z', contact_id => :contact) AS third;
-- A retry of the second is answered again, not refused.
SELECT booking.book(:org, 'cap-b', '2031-06-01 09:00Z', contact_id => :contact,
                    idempotency_key => 'cap-2')->>'replayed' AS retried;
-- A set of two calendars counts once; another contact is not capped by it.
SELECT booking.book(:org, 'cap-a', '2031-06-03 09:00Z', contact_id => '22000000-0000-0000-00c0-000000000002',
                    with_calendars => ARRAY['cap-b'])->>'success' AS other_contact;
SELECT count(*) AS reservations_of_the_contact FROM booking.reservations WHERE org_id = :org AND contact_id = :contact;
-- A cancelled one frees a place; a series counts every occurrence.
SELECT booking.cancel_appointment(:org, (SELECT id FROM booking.reservations WHERE org_id = :org AND contact_id = :contact
                                         AND calendar_id = 'cap-a'))->>'success' AS cancelled;
SELECT booking.book_series(:org, 'cap-a', '2031-07-01 09:00Z', '30 minutes', '1 week', 2,
                           contact_id => :contact)->>'error' AS series_of_two;
SELECT booking.book_series(:org, 'cap-a', '2031-07-01 09:00Z', '30 minutes', '1 week', 1,
                           contact_id => :contact)->>'success' AS series_of_one;
-- By phone: claims of one number, however written, count together; a call
-- with neither contact nor phone is not capped.
SELECT booking.claim_slot(:org, 'cap-a', '2031-06-05 09:00Z', caller_ref => 'cap-call', patient_phone => '+1 (555) 0177')->>'success' AS by_phone_1;
SELECT booking.claim_slot(:org, 'cap-b', '2031-06-05 09:00Z', patient_phone => '15550177')->>'success' AS by_phone_2;
SELECT booking.claim_slot(:org, 'cap-b', '2031-06-06 09:00Z', patient_phone => '1-555-0177') - 'message' AS by_phone_3;
-- The caller's own hold, moved by its caller_ref, does not count against it.
SELECT booking.claim_slot(:org, 'cap-a', '2031-06-07 09:00Z', caller_ref => 'cap-call', patient_phone => '15550177')->>'success' AS moved_own_hold;
SELECT count(*) FILTER (WHERE status = 'held') AS held, count(*) FILTER (WHERE status = 'released') AS released
FROM booking.reservations WHERE org_id = :org AND patient_phone IS NOT NULL AND calendar_id LIKE 'cap-%';
SELECT count(*) AS uncapped FROM generate_series(1, 3) i
WHERE booking.claim_slot(:org, 'cap-c', '2031-06-08 09:00Z'::timestamptz + i * interval '1 hour')->>'success' = 'true';
-- A hold claimed without a contact and confirmed for one becomes the
-- contact's booking: confirm_hold with a contact_id obeys the cap as a claim
-- does (contact_limit_reached, audited as refused naming the hold, the hold
-- left held), and so does verify_otp, before the code is judged (no attempt
-- spent). Without a contact, or once the contact has room, it confirms.
SELECT booking.claim_slot(:org, 'cap-c', '2031-06-09 09:00Z')->>'hold_id' AS cap_hold \gset
SELECT booking.confirm_hold(:org, :'cap_hold', contact_id => :contact) AS confirm_over_cap;
SELECT status, contact_id FROM booking.reservations WHERE id = :'cap_hold';
SELECT entity_id = :'cap_hold' AS names_the_hold, details - 'starts_at' AS details,
       (details->>'starts_at')::timestamptz = '2031-06-09 09:00Z' AS at_its_start
FROM booking.audit_log WHERE org_id = :org AND action = 'refused' ORDER BY id DESC LIMIT 1;
SELECT booking.issue_otp(:org, :'cap_hold')->>'code' AS cap_code \gset
SELECT booking.verify_otp(:org, :'cap_hold', :'cap_code', contact_id => :contact) - 'message' AS verify_over_cap;
SELECT booking.hold_status(:org, :'cap_hold') ->> 'attempts_left' AS attempts_kept,
       booking.hold_status(:org, :'cap_hold') ->> 'status' AS still;
SELECT booking.confirm_held_slot(:'cap_hold', :org, :contact)->>'error' AS seed_confirm_over_cap;
SELECT booking.cancel_appointment(:org, (SELECT id FROM booking.reservations WHERE org_id = :org AND contact_id = :contact
                                         AND series_id IS NOT NULL))->>'success' AS one_cancelled;
SELECT booking.verify_otp(:org, :'cap_hold', :'cap_code', contact_id => :contact)->>'status' AS verified_with_room;
SELECT booking.confirm_hold(:org, (booking.claim_slot(:org, 'cap-c', '2031-06-09 10:00Z')->>'hold_id')::uuid)->>'success'
       AS confirmed_without_contact;
-- The hold being confirmed does not count against itself: one that carries
-- the contact already (as a direct write may leave it) is not counted twice.
\set contact3 '''22000000-0000-0000-00c0-000000000003'''
SELECT booking.book(:org, 'cap-c', '2031-06-10 09:00Z', contact_id => :contact3)->>'success' AS contact3_first;
SELECT booking.claim_slot(:org, 'cap-c', '2031-06-10 10:00Z')->>'hold_id' AS own_hold \gset
UPDATE booking.reservations SET contact_id = :contact3 WHERE id = :'own_hold';
SELECT booking.confirm_hold(:org, :'own_hold', contact_id => :contact3)->>'status' AS not_counted_twice;
-- Refusals change nothing but leave their audit row (refused, rule max_active_per_contact).
SELECT count(*) AS refusal_rows FROM booking.audit_log WHERE org_id = :org AND details::text LIKE '%contact_limit%';
-- On one node the cap serialises a contact's callers with an advisory lock
-- (objsubid 16976) held to the end of the transaction, and writes no row of
-- contact_locks (distributed, it locks the contact's row there: test/citus).
SELECT count(*) AS contact_rows FROM booking.contact_locks WHERE org_id = :org AND contact_key NOT LIKE 'sms:%';
BEGIN;
SELECT booking.book(:org, 'cap-c', '2031-06-10 09:00Z', contact_id => '22000000-0000-0000-00c0-000000000003')->>'success' AS in_a_transaction;
SELECT count(*) AS contact_lock_held FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND objsubid = 16976;
ROLLBACK;
SELECT count(*) AS contact_lock_after FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND objsubid = 16976;
SELECT booking.set_org_policy(:org)->'policy'->>'max_active_per_contact' AS cap_off;
SELECT booking.claim_slot(:org, 'cap-b', '2031-06-06 09:00Z', patient_phone => '1-555-0177')->>'success' AS uncapped_again;
