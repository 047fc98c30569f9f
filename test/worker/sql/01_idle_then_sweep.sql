-- The expiry worker, preloaded: it shows itself in pg_stat_activity, waits
-- while its database has no booking extension, and starts expiring lapsed
-- holds once the extension exists, without a restart.
SET TimeZone = 'UTC';

-- Polls a condition (pg_stat_activity is re-read each time) for up to 30 s.
CREATE FUNCTION wait_until(condition text, timeout interval DEFAULT '30 seconds')
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    deadline timestamptz := clock_timestamp() + timeout;
    ok boolean;
BEGIN
    LOOP
        PERFORM pg_stat_clear_snapshot();
        EXECUTE 'SELECT (' || condition || ')' INTO ok;
        IF ok THEN
            RETURN true;
        END IF;
        IF clock_timestamp() > deadline THEN
            RAISE WARNING 'timed out waiting for %', condition;
            RETURN false;
        END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
END
$$;

-- The launcher (no database) and the worker (in booking.database, which is
-- this database) under clear names.
SELECT wait_until($$EXISTS (SELECT FROM pg_stat_activity
                            WHERE backend_type = 'booking expiry worker'
                              AND datname = current_database())$$) AS worker_connected;
SELECT backend_type, application_name, datname IS NOT NULL AS in_a_database,
       datname = current_database() AS in_this_database
FROM pg_stat_activity WHERE backend_type LIKE 'booking%' ORDER BY backend_type;

-- No extension here yet: the worker waits, says so, and stays the same
-- process over several passes (nothing fails, nothing restarts).
SELECT wait_until($$EXISTS (SELECT FROM pg_stat_activity
                            WHERE backend_type = 'booking expiry worker'
                              AND query = 'waiting for CREATE EXTENSION booking')$$) AS waiting_for_extension;
SELECT pid AS idle_worker FROM pg_stat_activity WHERE backend_type = 'booking expiry worker' \gset
SELECT pg_sleep(0.5);
SELECT pg_stat_clear_snapshot();
SELECT pid = :idle_worker AS same_worker, state, wait_event_type, query
FROM pg_stat_activity WHERE backend_type = 'booking expiry worker';

-- The extension arrives; the worker starts working without a restart.
CREATE EXTENSION booking CASCADE;
SELECT wait_until($$(SELECT worker_state IN ('sweeping', 'idle') FROM booking.stats())$$) AS worker_working;
SELECT worker_pid = :idle_worker AS same_worker, worker_database = current_database() AS worker_here
FROM booking.stats();

-- A hold with a short TTL is expired by the worker alone: nothing else
-- touches it.
\set org '''a0000000-0000-0000-0000-000000000001'''
SELECT booking.claim_slot(:org, 'dr-short', '2031-03-03 09:00Z', '30 minutes',
                          ttl => '300 milliseconds')->>'hold_id' AS short_hold \gset
SELECT status FROM booking.reservations WHERE id = :'short_hold';
SELECT wait_until(format($$(SELECT status = 'expired' FROM booking.reservations WHERE id = %L)$$,
                         :'short_hold')) AS expired_by_the_worker;
SELECT status, status_reason FROM booking.reservations WHERE id = :'short_hold';
-- One audit row, written by the worker's connection (the bootstrap superuser).
SELECT action, details->>'calendar_id' AS calendar_id,
       actor = (SELECT rolname FROM pg_roles WHERE oid = 10) AS by_the_bootstrap_superuser
FROM booking.audit_log WHERE entity_id = :'short_hold' AND action = 'expired';
SELECT worker_pid = :idle_worker AS same_worker, worker_expired >= 1 AS counted,
       worker_errors AS errors, worker_passes > 0 AS passes, worker_interval_ms, worker_batch_size
FROM booking.stats();
