-- The library serves its own release's schema only: in a database that has an
-- earlier release the expiry worker waits, saying why (its turns meanwhile
-- fail no pass), and starts again once ALTER EXTENSION booking UPDATE has
-- run. (Last of the suite: it drops the extension; a pass that was running
-- as it went may fail, so errors are counted from the wait on.)
DROP EXTENSION booking;
CREATE EXTENSION booking VERSION '0.1';
SELECT wait_until($$(SELECT worker_state = 'waiting for ALTER EXTENSION booking UPDATE'
                     FROM booking.stats())$$) AS waiting_for_the_update;
SELECT worker_errors AS errors_waiting FROM booking.stats() \gset
SELECT pg_sleep(0.5);
SELECT worker_state, worker_errors = :errors_waiting AS no_pass_failed FROM booking.stats();
ALTER EXTENSION booking UPDATE;
SELECT wait_until($$(SELECT worker_state IN ('sweeping', 'idle') FROM booking.stats())$$) AS working_again;
SELECT worker_errors = :errors_waiting AS still_none_failed FROM booking.stats();
