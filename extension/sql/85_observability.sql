-------------------------------------------------------------------------------
-- Observability: live statistics (shared memory, with the library preloaded).
-- Events are NOTIFY booking_events, sent by the functions themselves.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.stats(
    OUT preloaded boolean,
    OUT claims bigint,
    OUT bookings bigint,
    OUT confirms bigint,
    OUT releases bigint,
    OUT extensions bigint,
    OUT cancellations bigint,
    OUT reschedules bigint,
    OUT expiries bigint,
    OUT conflicts bigint,
    OUT busy bigint,
    OUT rule_refusals bigint,
    OUT otp_sends bigint,
    OUT otp_matches bigint,
    OUT otp_misses bigint,
    OUT otp_lockouts bigint,
    OUT events_sent bigint,
    OUT events_unheard bigint,
    OUT lock_requests bigint,
    OUT lock_waits bigint,
    OUT lock_wait_total_ms double precision,
    OUT lock_wait_max_ms double precision,
    OUT lock_wait_p50_ms double precision,
    OUT lock_wait_p99_ms double precision,
    OUT worker_state text,
    OUT launcher_pid integer,
    OUT worker_pid integer,
    OUT worker_database text,
    OUT worker_passes bigint,
    OUT worker_expired bigint,
    OUT worker_errors bigint,
    OUT worker_last_pass_at timestamptz,
    OUT worker_last_error_at timestamptz,
    OUT worker_interval_ms integer,
    OUT worker_batch_size integer,
    OUT stats_reset timestamptz,
    OUT node text)
RETURNS record
AS 'MODULE_PATHNAME', 'booking_stats'
LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION booking.stats() IS
    'Live statistics of the whole server (all databases) since it started or since stats_reset(): counts of claims, bookings, confirms, releases, extensions, cancellations, reschedules, expiries, conflicts (slot_unavailable), busy answers, calls refused by a rule a clinic sets (rule_refusals: too_far_ahead, too_late_to_change and the like, each with its audit row refused), codes sent, matched and missed, lockouts; calendar lock requests and their waits (p50/p99 over all requests, 0 when granted at once); and the expiry worker''s state; node says which server they describe (cluster_name, else its port: on a Citus cluster each node has its own). Without preloading: preloaded is false, the rest NULL, and a NOTICE says why. The figures are every tenant''s together: a role that acts in one organisation (bound, or naming one in booking.org_id or its JWT claims) reads none of them, whatever it was granted (42501); the extension''s owner and members of pg_monitor always read them.';

CREATE VIEW booking.stats WITH (security_invoker = true) AS
SELECT * FROM booking.stats();
COMMENT ON VIEW booking.stats IS
    'booking.stats() as a view, for dashboards and exporters that read relations.';

CREATE FUNCTION booking.stats_reset()
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'booking_stats_reset'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.stats_reset() IS
    'Sets the statistics of booking.stats() to zero (the worker''s state stays) and returns the reset time; NULL when the library is not preloaded. For the extension''s owner.';

CREATE FUNCTION booking.lock_wait_histogram(OUT lower_us bigint, OUT upper_us bigint,
                                            OUT requests bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'booking_lock_wait_histogram'
LANGUAGE C VOLATILE PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION booking.lock_wait_histogram() IS
    'The calendar lock waits behind booking.stats(): requests that waited at least lower_us and less than upper_us microseconds, for each bucket that has any (bucket width at most 1/8 of its lower bound). Requests granted at once are in [0, 1). Read by the same roles as booking.stats().';

-- Monitoring tools read the statistics as members of pg_monitor, which
-- 99_access.sql grants the monitor profile; a deployment's own roles get it
-- with booking.grant_access(role, 'monitor').
