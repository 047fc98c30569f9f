-- Helpers shared by every pgbench script of the suite (schema bench).
-- Loaded once per benchmark database, after CREATE EXTENSION booking.
CREATE SCHEMA IF NOT EXISTS bench;

-- Tenant number -> org_id (uuid). Tenant 0 is the hot calendar's tenant;
-- 900001/900002 are the history and fresh tenants.
CREATE OR REPLACE FUNCTION bench.tenant(n integer) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ('b0000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid $$;

-- Slot number -> a start time on the 15-minute grid from 2031-01-01 UTC
-- (350,000 slots = 10 years: the free-slot workload almost never conflicts).
CREATE OR REPLACE FUNCTION bench.slot(n integer) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT '2031-01-01 00:00:00+00'::timestamptz + n * interval '15 minutes' $$;

-- The hot calendar's window: a few hours of one day; the day moves on every
-- `period` seconds of wall-clock time, so the calendar keeps filling instead of
-- reaching a steady state of nothing but conflicts. `minute` is the offset in
-- the window.
CREATE OR REPLACE FUNCTION bench.hot_slot(minute integer, period double precision) RETURNS timestamptz
LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$
    SELECT '2031-01-01 08:00:00+00'::timestamptz
           + (floor(extract(epoch FROM clock_timestamp()) / period)::bigint % 36000) * interval '1 day'
           + minute * interval '1 minute'
$$;

-- An answer, as a number pgbench can test: 0 success, 1 the slot is taken,
-- 2 busy (the lock could not be had: booking's "busy", the seed's "Slot being
-- booked"), 3 anything else.
CREATE OR REPLACE FUNCTION bench.outcome(r jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN (r ->> 'success')::boolean THEN 0
        WHEN r ->> 'error' IN ('slot_unavailable', 'Slot already booked') THEN 1
        WHEN r ->> 'error' IN ('busy', 'Slot being booked') THEN 2
        ELSE 3 END
$$;

-- The rare answers (busy, anything unexpected) are written down one by one;
-- the common ones are counted from the tables and pgbench's transaction count.
CREATE TABLE IF NOT EXISTS bench.odd_answers (
    at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    step    text NOT NULL,
    outcome integer NOT NULL,
    error   text
);

CREATE OR REPLACE FUNCTION bench.note(step text, outcome integer, error text) RETURNS void
LANGUAGE sql VOLATILE
AS $$ INSERT INTO bench.odd_answers (step, outcome, error) VALUES (step, outcome, nullif(error, '')) $$;

-- The common contact, service and payload every system is given.
CREATE OR REPLACE FUNCTION bench.contact() RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT 'c0000000-0000-4000-8000-000000000001'::uuid $$;
CREATE OR REPLACE FUNCTION bench.service() RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '50000000-0000-4000-8000-000000000001'::uuid $$;
