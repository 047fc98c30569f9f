-- A pass that fails is logged and counted; the worker goes on (the same
-- process) and a later pass succeeds.
SET TimeZone = 'UTC';

-- Make the audit row of one expiry fail, so the batch that expires it rolls back.
CREATE FUNCTION refuse_expiry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.action = 'expired' AND NEW.details->>'calendar_id' = 'refused-1' THEN
        RAISE EXCEPTION 'test: this expiry may not be audited';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER refuse_expiry BEFORE INSERT ON booking.audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_expiry();

SELECT worker_errors AS errors_before, worker_pid AS worker FROM booking.stats() \gset
SELECT lapsed_holds('refused-', 1);
SELECT wait_until(format('(SELECT worker_errors > %s FROM booking.stats())', :errors_before)) AS pass_failed;
-- The failed batch changed nothing, and the worker is still the same process.
SELECT status FROM booking.reservations WHERE calendar_id = 'refused-1';
SELECT count(*) AS audited FROM booking.audit_log WHERE details->>'calendar_id' = 'refused-1';
SELECT worker_pid = :worker AS same_worker, worker_last_error_at IS NOT NULL AS error_time_kept
FROM booking.stats();

-- Once the cause is gone, the next pass expires the hold.
DROP TRIGGER refuse_expiry ON booking.audit_log;
SELECT wait_until($$(SELECT status = 'expired' FROM booking.reservations WHERE calendar_id = 'refused-1')$$) AS expired_after_all;
SELECT worker_pid = :worker AS same_worker FROM booking.stats();
