-- The worker comes back: terminated (pg_terminate_backend), it is restarted
-- by its launcher; the launcher, terminated, is restarted by the postmaster
-- and starts a new worker. (A crash, kill -9, is test/worker/crash.sh.)
SET TimeZone = 'UTC';
\set org '''a0000000-0000-0000-0000-000000000002'''

SELECT pid AS old_worker FROM pg_stat_activity WHERE backend_type = 'booking expiry worker' \gset
SELECT pg_terminate_backend(:old_worker);
SELECT wait_until(format($$EXISTS (SELECT FROM pg_stat_activity
                                   WHERE backend_type = 'booking expiry worker'
                                     AND datname = current_database() AND pid <> %s)$$,
                         :old_worker)) AS worker_back;
SELECT count(*) AS workers FROM pg_stat_activity WHERE backend_type = 'booking expiry worker';

SELECT pid AS old_launcher FROM pg_stat_activity WHERE backend_type = 'booking launcher' \gset
SELECT pid AS second_worker FROM pg_stat_activity WHERE backend_type = 'booking expiry worker' \gset
SELECT pg_terminate_backend(:old_launcher);
SELECT wait_until(format($$EXISTS (SELECT FROM pg_stat_activity
                                   WHERE backend_type = 'booking launcher' AND pid <> %s)$$,
                         :old_launcher)) AS launcher_back;
-- The old launcher's worker went with it; the new launcher runs its own,
-- which shows in pg_stat_activity a moment before it reports itself to
-- booking.stats() (once connected to its database).
SELECT wait_until(format($$(SELECT count(*) = 1 AND bool_and(pid <> %s)
                           FROM pg_stat_activity WHERE backend_type = 'booking expiry worker')
                          AND (SELECT worker_pid IS NOT NULL FROM booking.stats())$$,
                         :second_worker)) AS new_worker;
SELECT launcher_pid = (SELECT pid FROM pg_stat_activity WHERE backend_type = 'booking launcher') AS launcher_reported,
       worker_pid = (SELECT pid FROM pg_stat_activity WHERE backend_type = 'booking expiry worker') AS worker_reported
FROM booking.stats();

-- The new worker works.
SELECT booking.claim_slot(:org, 'dr-restart', '2031-03-03 09:00Z', '30 minutes',
                          ttl => '300 milliseconds')->>'hold_id' AS short_hold \gset
SELECT wait_until(format($$(SELECT status = 'expired' FROM booking.reservations WHERE id = %L)$$,
                         :'short_hold')) AS expired_by_the_new_worker;
