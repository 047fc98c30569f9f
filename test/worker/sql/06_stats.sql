-- Live statistics: booking.stats() (and the view) count what the functions
-- did, server-wide, since the last reset; lock waits come with a histogram.
SET TimeZone = 'UTC';
\set org '''a0000000-0000-0000-0000-000000000006'''

SELECT booking.stats_reset() <= now() AS reset;
SELECT claims, bookings, confirms, conflicts, busy, expiries, lock_requests, lock_waits,
       lock_wait_p99_ms, stats_reset <= now() AS reset_time_kept
FROM booking.stats;

-- Claims, a conflict, a booking, a confirm, a release, an extension, a
-- reschedule, a cancellation.
SELECT booking.claim_slot(:org, 'dr-stats', '2031-06-02 09:00Z', '30 minutes')->>'hold_id' AS hold \gset
SELECT booking.claim_slot(:org, 'dr-stats', '2031-06-02 09:15Z', '30 minutes')->>'error' AS conflict;
SELECT booking.extend_hold(:org, :'hold', '20 minutes')->>'success' AS extended;
SELECT booking.confirm_hold(:org, :'hold')->>'status' AS confirmed;
SELECT booking.book(:org, 'dr-stats', '2031-06-02 11:00Z', '1 hour')->>'appointment_id' AS appt \gset
SELECT booking.reschedule_appointment(:org, :'appt', '2031-06-02 12:00Z')->>'status' AS rescheduled;
SELECT booking.cancel_appointment(:org, :'appt')->>'status' AS cancelled;
SELECT booking.claim_slot(:org, 'dr-stats', '2031-06-02 14:00Z', '30 minutes')->>'hold_id' AS other \gset
SELECT booking.release_hold(:org, :'other')->>'status' AS released;

-- Codes: one sent, a wrong one, the right one; then a hold locked after
-- three wrong codes.
SELECT booking.claim_slot(:org, 'dr-stats', '2031-06-03 09:00Z', '30 minutes')->>'hold_id' AS verified \gset
SELECT booking.issue_otp(:org, :'verified')->>'code' AS code \gset
SELECT booking.verify_otp(:org, :'verified', CASE WHEN :'code' = '0000' THEN '1111' ELSE '0000' END)->>'error' AS wrong;
SELECT booking.verify_otp(:org, :'verified', :'code')->>'status' AS right;
SELECT booking.claim_slot(:org, 'dr-stats', '2031-06-03 10:00Z', '30 minutes')->>'hold_id' AS locked \gset
SELECT booking.issue_otp(:org, :'locked')->>'code' AS code \gset
SELECT booking.verify_otp(:org, :'locked', CASE WHEN :'code' = '0000' THEN '1111' ELSE '0000' END)->>'error' AS wrong
FROM generate_series(1, 3);

-- A busy answer: another session holds the calendar lock (an open
-- transaction that claimed on the calendar) past the bound.
SELECT dblink_connect('rival',
    format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
           split_part(current_setting('unix_socket_directories'), ',', 1)));
SELECT dblink_exec('rival', 'BEGIN');
SELECT status FROM dblink('rival', $$SELECT booking.claim_slot('a0000000-0000-0000-0000-000000000006',
                                      'dr-stats', '2031-06-04 09:00Z', '30 minutes')->>'status'$$) AS t(status text);
SET booking.lock_wait_timeout = '150ms';
SELECT booking.claim_slot(:org, 'dr-stats', '2031-06-04 11:00Z', '30 minutes')->>'error' AS busy;
RESET booking.lock_wait_timeout;
SELECT dblink_exec('rival', 'ROLLBACK');
SELECT dblink_disconnect('rival');

-- A hold the worker expires.
SELECT booking.claim_slot(:org, 'dr-stats', '2031-06-05 09:00Z', '30 minutes', ttl => '300 milliseconds')->>'hold_id' AS lapsing \gset
SELECT wait_until(format($$(SELECT status = 'expired' FROM booking.reservations WHERE id = %L)$$, :'lapsing')) AS expired;

SELECT preloaded, claims, bookings, confirms, releases, extensions, cancellations, reschedules,
       expiries, conflicts, busy, otp_sends, otp_matches, otp_misses, otp_lockouts
FROM booking.stats();
-- Every claim, book and reschedule asks for the calendar lock; one waited
-- (at least the 150 ms bound) and timed out. p50 is an instant grant; with
-- ten requests the p99 is the one wait.
SELECT lock_requests, lock_waits, lock_wait_total_ms >= 150 AS waited_the_bound,
       lock_wait_max_ms = lock_wait_total_ms AS one_wait, lock_wait_p50_ms,
       lock_wait_p99_ms BETWEEN 150 AND lock_wait_max_ms AS p99_is_the_wait
FROM booking.stats();
SELECT lower_us, upper_us, requests FROM booking.lock_wait_histogram() WHERE lower_us = 0;
SELECT count(*) AS wait_buckets, sum(requests) AS waits,
       bool_and(lower_us <= (SELECT lock_wait_max_ms * 1000 FROM booking.stats())
                AND upper_us > (SELECT lock_wait_max_ms * 1000 FROM booking.stats())) AS bucket_holds_the_max
FROM booking.lock_wait_histogram() WHERE lower_us > 0;
SELECT worker_state IN ('idle', 'sweeping') AS worker_ok, worker_expired >= 1 AS worker_counted,
       worker_database = current_database() AS worker_here
FROM booking.stats;

-- Reset: zero again, the worker's state kept.
SELECT booking.stats_reset() IS NOT NULL AS reset;
SELECT claims, lock_requests, lock_wait_p99_ms, worker_expired, worker_pid IS NOT NULL AS worker_kept
FROM booking.stats();

-- Who may read them: the monitor profile and pg_monitor; no tenant profile;
-- reset is the owner's.
CREATE ROLE stats_monitor NOLOGIN;
CREATE ROLE stats_staff NOLOGIN;
SELECT count(*) AS monitor_grants FROM unnest(booking.grant_access('stats_monitor', 'monitor'));
SELECT count(*) > 0 AS staff_granted FROM unnest(booking.grant_access('stats_staff', 'staff'));
SELECT r AS role, has_function_privilege(r, 'booking.stats()', 'EXECUTE') AS stats,
       has_table_privilege(r, 'booking.stats', 'SELECT') AS stats_view,
       has_function_privilege(r, 'booking.lock_wait_histogram()', 'EXECUTE') AS histogram,
       has_function_privilege(r, 'booking.stats_reset()', 'EXECUTE') AS reset
FROM unnest(ARRAY['stats_monitor', 'pg_monitor', 'stats_staff']) r;
SET ROLE stats_monitor;
SELECT preloaded, claims FROM booking.stats;
RESET ROLE;
-- The figures are every tenant's together: a role that acts in one
-- organisation reads none of them, whatever it was granted. Bound to an
-- organisation, even with the monitor profile:
SELECT booking.bind_role('stats_monitor', :org)->>'success' AS monitor_bound;
SET ROLE stats_monitor;
SELECT claims FROM booking.stats;
SELECT count(*) FROM booking.lock_wait_histogram();
RESET ROLE;
SELECT booking.unbind_role('stats_monitor')->>'was_bound' AS monitor_unbound;
-- With the grants Supabase's guide gives an exposed schema, acting in an
-- organisation through the request's JWT claims (as PostgREST sets them):
CREATE ROLE stats_tenant NOLOGIN;
GRANT USAGE ON SCHEMA booking TO stats_tenant;
GRANT ALL ON ALL TABLES IN SCHEMA booking TO stats_tenant;
GRANT ALL ON ALL ROUTINES IN SCHEMA booking TO stats_tenant;
BEGIN;
SET LOCAL ROLE stats_tenant;
SELECT set_config('request.jwt.claims', json_build_object('org_id', :org)::text, true) IS NOT NULL AS claims_set;
SELECT claims FROM booking.stats;
ROLLBACK;
-- pg_monitor reads them, as the owner does.
SET ROLE pg_monitor;
SELECT preloaded FROM booking.stats;
RESET ROLE;
DROP OWNED BY stats_tenant;
DROP ROLE stats_tenant;
SELECT booking.revoke_access('stats_monitor') IS NOT NULL, booking.revoke_access('stats_staff') IS NOT NULL;
DROP ROLE stats_monitor, stats_staff;
-- The figures say which server they describe (each node of a cluster counts its own).
SELECT node = 'port ' || current_setting('port') AS node_is_this_server FROM booking.stats();
