-- Without shared_preload_libraries = 'booking': no shared memory and no
-- worker, and the extension works all the same. The statistics say clearly
-- why they are missing; expire_holds() is what a scheduler (pg_cron) calls.
SET TimeZone = 'UTC';
\set org '''b0000000-0000-0000-0000-000000000001'''

-- No worker process.
SELECT count(*) AS booking_processes FROM pg_stat_activity WHERE backend_type LIKE 'booking%';

-- Statistics: a NOTICE and a row that says so, not an error.
SELECT preloaded, claims, lock_wait_p99_ms, worker_state, worker_pid FROM booking.stats();
SELECT preloaded, worker_state FROM booking.stats;
SELECT booking.stats_reset();
SELECT count(*) AS buckets FROM booking.lock_wait_histogram();

-- Booking works (the counting is a no-op), and lapsed holds wait for a sweep.
SELECT booking.claim_slot(:org, 'dr-plain', '2031-07-01 09:00Z', '30 minutes')->>'status' AS claimed;
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, expires_at)
SELECT :org, gen_random_uuid(), 'dr-plain-' || i, '2031-07-01 09:00Z', '2031-07-01 09:30Z', 'held',
       now() - interval '1 minute'
FROM generate_series(1, 3) i;
SELECT pg_sleep(0.3);
SELECT count(*) AS still_held FROM booking.reservations WHERE calendar_id LIKE 'dr-plain-%' AND status = 'held';
-- What pg_cron would run every minute:
--   SELECT cron.schedule('booking-expiry', '* * * * *', 'SELECT booking.expire_holds()');
SELECT booking.expire_holds(2) AS first_batch;
SELECT booking.expire_holds() AS the_rest;
SELECT booking.expire_holds() AS nothing_left;
SELECT count(*) AS audited FROM booking.audit_log WHERE action = 'expired' AND details->>'calendar_id' LIKE 'dr-plain-%';

-- Events do not need preloading. While no consumer is registered nothing
-- is recorded and nobody is woken: the change costs nothing.
CREATE EXTENSION dblink;
SELECT dblink_connect('listener',
    format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
           split_part(current_setting('unix_socket_directories'), ',', 1)));
SELECT dblink_exec('listener', 'LISTEN booking_events');
SELECT booking.book(:org, 'dr-plain-events', '2031-07-02 09:00Z', '30 minutes')->>'status' AS booked_unheard;
SELECT pg_sleep(0.2);
SELECT count(*) AS woken, (SELECT count(*) FROM booking.event_queue) AS recorded
FROM dblink_get_notify('listener');
-- A registered consumer gets every change, the worker's absence
-- notwithstanding, and the listener is woken (empty payload).
SELECT booking.create_event_consumer(:org, 'sms')->>'created' AS consumer;
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, expires_at)
VALUES (:org, gen_random_uuid(), 'dr-plain-late', '2031-07-01 09:00Z', '2031-07-01 09:30Z', 'held',
        now() - interval '1 minute');
SELECT booking.expire_holds() AS expired;
SELECT booking.book(:org, 'dr-plain-events', '2031-07-02 10:00Z', '30 minutes')->>'status' AS booked_heard;
SELECT pg_sleep(0.2);
SELECT notify_name, extra FROM dblink_get_notify('listener');
SELECT e->>'event' AS event, e->>'calendar_id' AS calendar_id, e->>'status' AS status
FROM jsonb_array_elements(booking.read_events(:org, 'sms')->'events') e;
SELECT booking.drop_event_consumer(:org, 'sms')->>'dropped' AS dropped;
SELECT dblink_disconnect('listener');
