-- Every function of the contract through the coordinator (run by run.sh),
-- each called the way a client calls it, a bare SELECT booking.f(...)
-- (its answer kept with \gset and read apart): single statements, which
-- Citus delegates to the worker that holds the organisation, or (block = 1)
-- inside one transaction block, which run on the coordinator unless the
-- function is distributed with force_delegation. Every line that starts
-- with SELECT booking.f(:'org'...) or SELECT ... FROM booking.f(:'org'...)
-- is a call whose path run.sh checks from Citus's DEBUG messages (stderr).
-- Prints what it checks, nothing that differs from run to run.
\set org d1000000-0000-0000-0000-00000000000@MODE@
SET TimeZone = 'UTC';
\if :block
BEGIN;
\endif
SELECT booking.set_calendar(:'org'::uuid, 'dr', 'Europe/Berlin', buffer_after => '5 minutes') AS r \gset
SELECT (:'r'::jsonb)->>'success' AS set_calendar;
SELECT booking.create_event_consumer(:'org'::uuid, 'webhook') AS r \gset
SELECT (:'r'::jsonb)->>'success' AS create_event_consumer;
SELECT booking.claim_slot(:'org'::uuid, 'dr', '2033-03-01 09:00Z', caller_ref => 'call-1', patient_phone => '+15550100') AS claim \gset
SELECT (:'claim'::jsonb)->>'status' AS claim_slot;
SELECT (:'claim'::jsonb)->>'hold_id' AS hold \gset
SELECT booking.claim_slot(:'org'::uuid, 'dr', '2033-03-01 09:00Z', caller_ref => 'call-1') AS r \gset
SELECT (:'r'::jsonb)->>'hold_id' = :'hold' AS retried_claim_same_hold;
SELECT booking.claim_slot(:'org'::uuid, 'dr', '2033-03-01 09:15Z', caller_ref => 'call-2') AS r \gset
SELECT (:'r'::jsonb)->>'error' AS conflicting_claim;
SELECT booking.claim_slot(:'org'::uuid, 'dr', '2033-03-01 09:15Z', caller_ref => 'call-2') AS r \gset
SELECT jsonb_array_length((:'r'::jsonb)->'alternatives') > 0 AS alternatives;
SELECT booking.extend_hold(:'org'::uuid, :'hold', '20 minutes') AS r \gset
SELECT (:'r'::jsonb)->>'success' AS extend_hold;
SELECT booking.hold_status(:'org'::uuid, :'hold') AS r \gset
SELECT (:'r'::jsonb)->>'status' AS hold_status;
SELECT booking.issue_otp(:'org'::uuid, :'hold') AS sent \gset
SELECT (:'sent'::jsonb)->>'patient_phone' AS issue_otp_to;
SELECT booking.verify_otp(:'org'::uuid, :'hold', lpad((((:'sent'::jsonb)->>'code')::int + 1) % 10000 || '', 4, '0')) AS r \gset
SELECT (:'r'::jsonb)->>'error' AS wrong_code;
SELECT booking.verify_otp(:'org'::uuid, :'hold', (:'sent'::jsonb)->>'code') AS r \gset
SELECT (:'r'::jsonb)->>'status' AS verify_otp;
SELECT booking.claim_slot(:'org'::uuid, 'dr', '2033-03-01 10:00Z', caller_ref => 'call-3') AS r \gset
SELECT (:'r'::jsonb)->>'hold_id' AS hold3 \gset
SELECT booking.confirm_hold(:'org'::uuid, :'hold3') AS r \gset
SELECT (:'r'::jsonb)->>'status' AS confirm_hold;
SELECT booking.claim_slot(:'org'::uuid, 'dr', '2033-03-01 11:00Z', caller_ref => 'call-4') AS r \gset
SELECT (:'r'::jsonb)->>'hold_id' AS hold4 \gset
SELECT booking.release_hold(:'org'::uuid, :'hold4') AS r \gset
SELECT (:'r'::jsonb)->>'status' AS release_hold;
SELECT booking.book(:'org'::uuid, 'dr', '2033-03-01 12:00Z', idempotency_key => 'k1') AS r \gset
SELECT (:'r'::jsonb)->>'appointment_id' AS appt \gset
SELECT booking.book(:'org'::uuid, 'dr', '2033-03-01 12:00Z', idempotency_key => 'k1') AS r \gset
SELECT (:'r'::jsonb)->>'replayed' AS book_replayed;
SELECT booking.book(:'org'::uuid, 'dr', '2033-03-01 12:10Z') AS r \gset
SELECT (:'r'::jsonb)->>'error' AS book_conflict;
SELECT booking.check_availability(:'org'::uuid, 'dr', '2033-03-01 12:00Z', '30 minutes') AS r \gset
SELECT (:'r'::jsonb)->>'available' AS check_availability;
SELECT count(*) AS free_slots FROM booking.free_slots(:'org'::uuid, 'dr', '2033-03-01 13:00Z', '2033-03-01 14:00Z', '30 minutes');
SELECT booking.reschedule_appointment(:'org'::uuid, :'appt', '2033-03-01 12:15Z') AS r \gset
SELECT (:'r'::jsonb)->>'starts_at' AS reschedule_appointment;
SELECT count(*) AS appointments_outside_hours FROM booking.appointments_outside_hours(:'org'::uuid, 'dr', '2033-03-01', '2033-03-02');
SELECT booking.cancel_appointment(:'org'::uuid, :'appt', erase_pii => true) AS r \gset
SELECT (:'r'::jsonb)->>'status' AS cancel_appointment;
SELECT booking.claim_slot_atomic(:'org'::uuid, 'dr', '2033-03-02 09:00Z', 'seed-call') AS r \gset
SELECT (:'r'::jsonb)->>'hold_id' AS seed_hold \gset
SELECT booking.confirm_held_slot(:'seed_hold', :'org'::uuid) AS r \gset
SELECT (:'r'::jsonb)->>'success' AS confirm_held_slot;
SELECT booking.book_appointment_with_lock(:'org'::uuid, NULL, '2033-03-02 10:00Z') AS r \gset
SELECT (:'r'::jsonb)->>'success' AS book_appointment_with_lock;
SELECT booking.set_calendar(:'org'::uuid, 'class', capacity => 2) AS r \gset
SELECT (:'r'::jsonb)->>'capacity' AS set_calendar_capacity;
SELECT booking.book(:'org'::uuid, 'class', '2033-03-03 09:00Z') AS r \gset
SELECT (:'r'::jsonb)->>'status' AS class_first_place;
SELECT booking.book(:'org'::uuid, 'class', '2033-03-03 09:00Z') AS r \gset
SELECT (:'r'::jsonb)->>'status' AS class_second_place;
SELECT booking.book(:'org'::uuid, 'class', '2033-03-03 09:00Z') AS r \gset
SELECT (:'r'::jsonb)->>'error' AS class_full;
SELECT booking.book(:'org'::uuid, 'dr', '2033-03-03 11:00Z', with_calendars => '{room}') AS r \gset
SELECT jsonb_array_length((:'r'::jsonb)->'calendars') AS book_with_calendars;
SELECT booking.book(:'org'::uuid, 'room', '2033-03-03 11:00Z') AS r \gset
SELECT (:'r'::jsonb)->>'error' AS room_of_the_set_taken;
SELECT booking.book(:'org'::uuid, 'dr-2', '2033-03-03 11:00Z', with_calendars => '{room}') AS r \gset
SELECT (:'r'::jsonb)->>'conflicting_calendar' AS set_refused_naming;
SELECT booking.book_series(:'org'::uuid, 'dr', '2033-03-07 09:00Z', '30 minutes', '1 week', 3) AS series \gset
SELECT jsonb_array_length((:'series'::jsonb)->'appointments') AS book_series;
SELECT booking.book_series(:'org'::uuid, 'dr', '2033-03-07 09:00Z', '30 minutes', '1 week', 3) AS r \gset
SELECT jsonb_array_length((:'r'::jsonb)->'conflicts') AS series_refused;
SELECT booking.cancel_series(:'org'::uuid, ((:'series'::jsonb)->>'series_id')::uuid) AS r \gset
SELECT jsonb_array_length((:'r'::jsonb)->'cancelled') AS cancel_series;
SELECT booking.set_calendar(:'org'::uuid, 'pool-a') AS r \gset
SELECT (:'r'::jsonb)->>'success' AS pool_member_a;
SELECT booking.set_calendar(:'org'::uuid, 'pool-b') AS r \gset
SELECT (:'r'::jsonb)->>'success' AS pool_member_b;
SELECT booking.set_pool(:'org'::uuid, 'any', ARRAY['pool-a', 'pool-b']) AS r \gset
SELECT (:'r'::jsonb)->>'strategy' AS set_pool;
SELECT booking.book(:'org'::uuid, 'any', '2033-03-04 09:00Z') AS r \gset
SELECT concat_ws(' ', (:'r'::jsonb)->>'calendar_id', (:'r'::jsonb)->>'pool_id') AS pool_first;
SELECT (:'r'::jsonb)->>'appointment_id' AS pool_appt \gset
SELECT booking.claim_slot(:'org'::uuid, 'any', '2033-03-04 09:00Z', caller_ref => 'pool-call') AS r \gset
SELECT (:'r'::jsonb)->>'calendar_id' AS pool_second;
SELECT booking.book(:'org'::uuid, 'any', '2033-03-04 09:00Z') AS r \gset
SELECT (:'r'::jsonb)->>'error' AS pool_none_free;
SELECT booking.join_waitlist(:'org'::uuid, 'any', '2033-03-04 09:00Z', '2033-03-04 09:30Z', caller_ref => 'pool-wl-call') AS r \gset
SELECT (:'r'::jsonb)->>'waitlist_id' AS pool_wl_id \gset
SELECT booking.cancel_appointment(:'org'::uuid, :'pool_appt') AS r \gset
SELECT booking.waitlist_status(:'org'::uuid, :'pool_wl_id') AS r \gset
SELECT (:'r'::jsonb)->>'status' AS pool_waitlist_offered;
SELECT booking.drop_pool(:'org'::uuid, 'any') AS r \gset
SELECT (:'r'::jsonb)->>'dropped' AS drop_pool;
SELECT booking.book(:'org'::uuid, 'wl', '2033-03-04 09:00Z') AS r \gset
SELECT (:'r'::jsonb)->>'appointment_id' AS wl_appt \gset
SELECT booking.join_waitlist(:'org'::uuid, 'wl', '2033-03-04 09:00Z', '2033-03-04 10:00Z', caller_ref => 'wl-call') AS r \gset
SELECT (:'r'::jsonb)->>'position' AS join_waitlist;
SELECT (:'r'::jsonb)->>'waitlist_id' AS wl_id \gset
SELECT booking.cancel_appointment(:'org'::uuid, :'wl_appt') AS r \gset
SELECT (:'r'::jsonb)->>'status' AS cancel_offers_to_the_waitlist;
SELECT booking.waitlist_status(:'org'::uuid, :'wl_id') AS r \gset
SELECT (:'r'::jsonb)->>'status' AS waitlist_status;
SELECT booking.leave_waitlist(:'org'::uuid, :'wl_id') AS r \gset
SELECT (:'r'::jsonb)->>'status' AS leave_waitlist;
\if :block
COMMIT;
\endif
SELECT booking.read_events(:'org'::uuid, 'webhook') AS r \gset
SELECT string_agg(e->>'event', ',' ORDER BY (e->>'position')::bigint) AS events
FROM jsonb_array_elements((:'r'::jsonb)->'events') e;
SELECT booking.ack_events(:'org'::uuid, 'webhook', ((:'r'::jsonb)->>'last_position')::bigint) AS r \gset
SELECT (:'r'::jsonb)->>'success' AS ack_events;
SELECT booking.read_events(:'org'::uuid, 'webhook') AS r \gset
SELECT jsonb_array_length((:'r'::jsonb)->'events') AS after_ack;
SELECT booking.expire_holds() >= 0 AS expire_holds;
SELECT count(*) AS rows_of_the_org FROM booking.reservations WHERE org_id = :'org'::uuid;
