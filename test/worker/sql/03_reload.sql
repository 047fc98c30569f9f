-- Settings reach the running worker on reload (SIGHUP), no restart needed:
-- the batch size, the interval, and the database itself.
SET TimeZone = 'UTC';

-- Values from postgresql.conf (test/worker/temp.conf) are in force from the start.
SELECT name, setting, context FROM pg_settings
WHERE name IN ('booking.database', 'booking.expiry_interval', 'booking.expiry_batch_pause', 'booking.events')
ORDER BY name;
\set org '''a0000000-0000-0000-0000-000000000003'''

-- Holds that lapsed a minute ago, made directly (claim_slot only takes a TTL
-- in the future).
CREATE FUNCTION lapsed_holds(prefix text, n integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, expires_at)
    SELECT 'a0000000-0000-0000-0000-000000000003', gen_random_uuid(), prefix || i,
           '2031-04-01 09:00Z', '2031-04-01 09:30Z', 'held', now() - interval '1 minute'
    FROM generate_series(1, n) i
$$;

-- The batch size: 20 holds that lapsed together are expired in batches of 7
-- (7, 7, 6), each batch one transaction (the audit rows of a batch share its
-- time).
ALTER SYSTEM SET booking.expiry_batch_size = 7;
SELECT pg_reload_conf();
SELECT wait_until($$(SELECT worker_batch_size = 7 FROM booking.stats())$$) AS batch_size_reloaded;
SELECT lapsed_holds('batch-', 20);
SELECT wait_until($$NOT EXISTS (SELECT FROM booking.reservations
                                WHERE calendar_id LIKE 'batch-%' AND status = 'held')$$) AS all_expired;
SELECT count(*) AS expired, count(DISTINCT at) AS transactions
FROM booking.audit_log WHERE action = 'expired' AND details->>'calendar_id' LIKE 'batch-%';
ALTER SYSTEM RESET booking.expiry_batch_size;

-- The interval: at one hour the worker sleeps and a lapsed hold stays held
-- (it blocks nothing: the TTL alone decides that) ...
ALTER SYSTEM SET booking.expiry_interval = '1h';
SELECT pg_reload_conf();
SELECT wait_until($$(SELECT worker_interval_ms = 3600000 FROM booking.stats())$$) AS interval_reloaded;
SELECT lapsed_holds('sleepy-', 1);
SELECT pg_sleep(1);
SELECT status FROM booking.reservations WHERE calendar_id = 'sleepy-1';
SELECT status FROM booking.holds WHERE calendar_id = 'sleepy-1';
-- ... and the reload back wakes it at once.
ALTER SYSTEM RESET booking.expiry_interval;
SELECT pg_reload_conf();
SELECT wait_until($$(SELECT status = 'expired' FROM booking.reservations WHERE calendar_id = 'sleepy-1')$$,
                  '10 seconds') AS woken_by_the_reload;
SELECT worker_interval_ms, worker_batch_size FROM booking.stats();

-- The database: pointed elsewhere, the worker moves there (and idles: no
-- extension in postgres); pointed back, it returns.
ALTER SYSTEM SET booking.database = 'postgres';
SELECT pg_reload_conf();
SELECT wait_until($$EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'booking expiry worker'
                            AND datname = 'postgres')$$) AS moved_to_postgres;
SELECT wait_until($$(SELECT worker_state = 'waiting for the extension' AND worker_database = 'postgres'
                     FROM booking.stats())$$) AS idle_there;
SELECT lapsed_holds('elsewhere-', 1);
SELECT pg_sleep(0.5);
SELECT status FROM booking.reservations WHERE calendar_id = 'elsewhere-1';
ALTER SYSTEM RESET booking.database;
SELECT pg_reload_conf();
SELECT wait_until($$(SELECT status = 'expired' FROM booking.reservations WHERE calendar_id = 'elsewhere-1')$$) AS back_and_sweeping;
SELECT count(*) AS workers, bool_and(datname = current_database()) AS here
FROM pg_stat_activity WHERE backend_type = 'booking expiry worker';

-- A name that is no database: the launcher waits for it, logging nothing,
-- and starts the worker once the database is created.
ALTER SYSTEM SET booking.database = 'booking_not_yet';
SELECT pg_reload_conf();
SELECT wait_until($$NOT EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'booking expiry worker')$$) AS worker_stopped;
SELECT wait_until($$(SELECT worker_state = 'waiting for the database' FROM booking.stats())$$) AS waiting_for_database;
CREATE DATABASE booking_not_yet;
SELECT wait_until($$EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'booking expiry worker'
                            AND datname = 'booking_not_yet')$$) AS started_there;
-- DROP DATABASE needs the worker gone: FORCE ends it, and the launcher waits again.
DROP DATABASE booking_not_yet WITH (FORCE);
SELECT wait_until($$(SELECT worker_state = 'waiting for the database' FROM booking.stats())$$) AS waiting_again;
ALTER SYSTEM RESET booking.database;
SELECT pg_reload_conf();
SELECT wait_until($$EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'booking expiry worker'
                            AND datname = current_database())$$) AS home_again;
