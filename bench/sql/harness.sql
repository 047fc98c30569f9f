-- What bench/run calls between runs: reset a system's tables to a known
-- state, load history and its audit rows, count what a run left behind.
-- Loaded after the extension and the three comparison points. None of this
-- is timed.
--
-- Systems: book (the extension), seed, textbook, write_limit, write_limit_narrow.

-- The flows write booking's tables.
CREATE OR REPLACE FUNCTION bench.base_system(system text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN system IN ('flow_otp', 'flow_staff') THEN 'book' ELSE system END $$;

-- The tables a system writes.
CREATE OR REPLACE FUNCTION bench.tables(system text) RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE bench.base_system(system)
        WHEN 'book' THEN ARRAY['booking.reservations', 'booking.audit_log']
                         || CASE WHEN to_regclass('booking.otp_codes') IS NOT NULL
                                 THEN ARRAY['booking.otp_codes'] ELSE '{}' END
        WHEN 'seed' THEN ARRAY['seed_design.appointments', 'seed_design.audit_logs']
        WHEN 'textbook' THEN ARRAY['textbook.appointments', 'textbook.audit_log']
        WHEN 'write_limit' THEN ARRAY['write_limit.appointments', 'write_limit.audit_log']
        WHEN 'write_limit_narrow' THEN ARRAY['write_limit_narrow.appointments', 'write_limit_narrow.audit_log']
    END
$$;

-- Past appointments: `per_tenant` for each tenant from first_tenant to
-- last_tenant (every `tenant_step`-th one), back to back at 15-minute steps
-- ending a day before now (or `skip` steps earlier, to add to rows loaded
-- before). They never meet the future slots the workloads ask for; they give
-- the planner statistics of a multi-tenant table (an empty, never analysed
-- table gets plans that a growing one regrets).
CREATE OR REPLACE FUNCTION bench.load_past(system text, first_tenant integer, last_tenant integer,
                                           per_tenant integer, skip integer DEFAULT 0,
                                           tenant_step integer DEFAULT 1) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    n bigint;
BEGIN
    system := bench.base_system(system);
    IF system IN ('book', 'write_limit') THEN
        -- The two have tables of the same shape; booking's trigger sets blocks
        -- (the write limit's table has none, so it is given here).
        EXECUTE format($q$
        INSERT INTO %s
            (org_id, id, calendar_id, starts_at, ends_at, blocks, status, contact_id, service_id, notes,
             metadata, created_at, updated_at, confirmed_at)
        SELECT bench.tenant(g), gen_random_uuid(), 'primary', s.t, s.t + interval '15 minutes',
               tstzrange(s.t, s.t + interval '15 minutes'),
               CASE WHEN i %% 10 = 0 THEN 'completed' ELSE 'confirmed' END::booking.reservation_status,
               bench.contact(), bench.service(), 'history', '{"source": "history"}'::jsonb,
               s.t - interval '7 days', s.t, s.t - interval '7 days'
        FROM generate_series($1, $2, $5) g,
             generate_series($3 + 1, $3 + $4) i,
             LATERAL (SELECT date_trunc('day', now()) - interval '1 day' - i * interval '15 minutes' AS t) s
        $q$, CASE system WHEN 'book' THEN 'booking.reservations' ELSE 'write_limit.appointments' END)
        USING first_tenant, last_tenant, skip, per_tenant, tenant_step;
    ELSIF system = 'seed' THEN
        INSERT INTO seed_design.appointments
            (org_id, contact_id, scheduled_at, duration_minutes, status, service_id, notes, metadata,
             created_at, updated_at)
        SELECT bench.tenant(g), bench.contact(), s.t, 15,
               CASE WHEN i % 10 = 0 THEN 'completed' ELSE 'confirmed' END,
               bench.service(), 'history', '{"source": "history"}'::jsonb, s.t - interval '7 days', s.t
        FROM generate_series(first_tenant, last_tenant, tenant_step) g,
             generate_series(skip + 1, skip + per_tenant) i,
             LATERAL (SELECT date_trunc('day', now()) - interval '1 day' - i * interval '15 minutes' AS t) s;
    ELSIF system IN ('textbook', 'write_limit_narrow') THEN
        -- The two have the same appointments table.
        EXECUTE format($q$
        INSERT INTO %I.appointments
            (org_id, calendar_id, starts_at, ends_at, status, contact_id, service_id, notes, metadata, created_at)
        SELECT bench.tenant(g), 'primary', s.t, s.t + interval '15 minutes',
               CASE WHEN i %% 10 = 0 THEN 'completed' ELSE 'confirmed' END,
               bench.contact(), bench.service(), 'history', '{"source": "history"}'::jsonb, s.t - interval '7 days'
        FROM generate_series($1, $2, $5) g,
             generate_series($3 + 1, $3 + $4) i,
             LATERAL (SELECT date_trunc('day', now()) - interval '1 day' - i * interval '15 minutes' AS t) s
        $q$, system) USING first_tenant, last_tenant, skip, per_tenant, tenant_step;
    ELSE
        RAISE EXCEPTION 'unknown system %', system;
    END IF;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;

-- The audit rows of the appointments in the system's table: one per
-- appointment, as its booking would have written it (action 'booked' at the
-- appointment's creation, details calendar_id/starts_at/ends_at; the seed
-- design's own shape), so a loaded database has the audit table a real one
-- has, of about the same width. Called once, after loading the appointments:
-- it does not look for audit rows that already exist. booking's real ids are
-- UUIDv7; random ones will do for benchmark data.
CREATE OR REPLACE FUNCTION bench.load_audit(system text) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    n bigint;
BEGIN
    system := bench.base_system(system);
    IF system IN ('book', 'write_limit') THEN
        -- The write limit's audit table is booking's shape (uuid keys).
        EXECUTE format($q$
        INSERT INTO %s (org_id, id, at, action, entity_id, actor, details)
        SELECT org_id, gen_random_uuid(), created_at, 'booked', id, current_user,
               jsonb_build_object('calendar_id', calendar_id, 'starts_at', starts_at, 'ends_at', ends_at)
        FROM %s
        $q$, CASE system WHEN 'book' THEN 'booking.audit_log' ELSE 'write_limit.audit_log' END,
             CASE system WHEN 'book' THEN 'booking.reservations' ELSE 'write_limit.appointments' END);
    ELSIF system IN ('textbook', 'write_limit_narrow') THEN
        EXECUTE format($q$
        INSERT INTO %1$I.audit_log (org_id, at, action, entity_id, details)
        SELECT org_id, created_at, 'booked', id,
               jsonb_build_object('calendar_id', calendar_id, 'starts_at', starts_at, 'ends_at', ends_at)
        FROM %1$I.appointments
        $q$, system);
    ELSIF system = 'seed' THEN
        INSERT INTO seed_design.audit_logs (org_id, action, entity_type, entity_id, details, created_at)
        SELECT org_id, 'appointment.booked', 'appointment', id,
               jsonb_build_object('scheduled_at', scheduled_at, 'duration_minutes', duration_minutes,
                                  'lock_key', booking.slot_lock_key(org_id, scheduled_at)),
               created_at
        FROM seed_design.appointments;
    ELSE
        RAISE EXCEPTION 'unknown system %', system;
    END IF;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;

-- Every how many tenants the baseline has rows: about 1000 of them.
CREATE OR REPLACE FUNCTION bench.baseline_step(tenants integer) RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT greatest(1, tenants / 1000) $$;

-- Before each run: empty the system's tables, put back the small baseline,
-- analyse. The baseline is 2 past appointments for each of about 1000 tenants
-- spread evenly over 0..tenants (every tenant up to 1000 tenants; every
-- 100th of 100,000), so a reset costs the same whatever the tenant count
-- (2 rows for each of 100,000 tenants took seconds per system and run). The
-- baseline only gives the planner the statistics of a multi-tenant table.
CREATE OR REPLACE FUNCTION bench.reset(system text, tenants integer) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    t text;
BEGIN
    EXECUTE 'TRUNCATE ' || array_to_string(bench.tables(system), ', ') || ' RESTART IDENTITY';
    PERFORM bench.load_past(system, 0, tenants, 2, 0, bench.baseline_step(tenants));
    FOREACH t IN ARRAY bench.tables(system) LOOP
        EXECUTE 'ANALYZE ' || t;
    END LOOP;
    TRUNCATE bench.odd_answers;
END;
$$;

-- Appointments a run created: confirmed, in the future (the workloads only
-- ask for slots from 2031 on; the loaded history is in the past).
CREATE OR REPLACE FUNCTION bench.successes(system text) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    n bigint;
BEGIN
    system := bench.base_system(system);
    IF system = 'book' THEN
        SELECT count(*) INTO n FROM booking.reservations
        WHERE status = 'confirmed' AND starts_at >= '2030-01-01';
    ELSIF system = 'seed' THEN
        SELECT count(*) INTO n FROM seed_design.appointments
        WHERE status = 'confirmed' AND scheduled_at >= '2030-01-01';
    ELSE
        -- textbook and the write limits: an appointments table with status and starts_at.
        EXECUTE format('SELECT count(*) FROM %I.appointments WHERE status = ''confirmed'' AND starts_at >= ''2030-01-01''',
                       system) INTO n;
    END IF;
    RETURN n;
END;
$$;

-- Before each history and large-database run: remove what earlier runs
-- booked (everything in the future) and its audit rows, so every run meets
-- the same tables: the loaded history and the baseline. An audit row of a
-- run is younger than a day; the loaded ones are dated at their
-- appointment's creation, days ago. The caller vacuums afterwards.
CREATE OR REPLACE FUNCTION bench.clear_future(system text) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    n bigint;
BEGIN
    system := bench.base_system(system);
    IF system = 'book' THEN
        DELETE FROM booking.audit_log WHERE at >= now() - interval '1 day';
        DELETE FROM booking.reservations WHERE starts_at >= '2030-01-01';
    ELSIF system = 'seed' THEN
        DELETE FROM seed_design.audit_logs WHERE created_at >= now() - interval '1 day';
        DELETE FROM seed_design.appointments WHERE scheduled_at >= '2030-01-01';
    ELSIF system IN ('textbook', 'write_limit', 'write_limit_narrow') THEN
        -- An appointments table with starts_at, an audit table with at.
        EXECUTE format('DELETE FROM %I.audit_log WHERE at >= now() - interval ''1 day''', system);
        EXECUTE format('DELETE FROM %I.appointments WHERE starts_at >= ''2030-01-01''', system);
    ELSE
        RAISE EXCEPTION 'clear_future: %', system;
    END IF;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;

-- Pairs of confirmed future appointments of one calendar (the seed: of one
-- organisation, which is what its check covers) whose times overlap.
CREATE OR REPLACE FUNCTION bench.overlaps(system text) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    n bigint;
BEGIN
    IF system = 'book' THEN
        SELECT count(*) INTO n
        FROM booking.reservations a JOIN booking.reservations b
          ON a.org_id = b.org_id AND a.calendar_id = b.calendar_id AND a.id < b.id
         AND a.blocks && b.blocks
        WHERE a.status IN ('held', 'requires_manual_followup', 'confirmed')
          AND b.status IN ('held', 'requires_manual_followup', 'confirmed')
          AND a.starts_at >= '2030-01-01' AND b.starts_at >= '2030-01-01';
    ELSIF system = 'seed' THEN
        SELECT count(*) INTO n
        FROM seed_design.appointments a JOIN seed_design.appointments b
          ON a.org_id = b.org_id AND a.id < b.id
         AND tstzrange(a.scheduled_at, a.scheduled_at + a.duration_minutes * interval '1 minute')
          && tstzrange(b.scheduled_at, b.scheduled_at + b.duration_minutes * interval '1 minute')
        WHERE a.status = 'confirmed' AND b.status = 'confirmed'
          AND a.scheduled_at >= '2030-01-01' AND b.scheduled_at >= '2030-01-01';
    ELSIF system = 'textbook' THEN
        SELECT count(*) INTO n
        FROM textbook.appointments a JOIN textbook.appointments b
          ON a.org_id = b.org_id AND a.calendar_id = b.calendar_id AND a.id < b.id
         AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
        WHERE a.status = 'confirmed' AND b.status = 'confirmed'
          AND a.starts_at >= '2030-01-01' AND b.starts_at >= '2030-01-01';
    ELSE
        n := NULL;
    END IF;
    RETURN n;
END;
$$;

-- The odd answers of the last run, as "step:error xN" items.
CREATE OR REPLACE FUNCTION bench.odd_summary() RETURNS text
LANGUAGE sql
AS $$
    SELECT coalesce(string_agg(step || ':' || coalesce(error, 'outcome' || outcome) || ' x' || n, ', '
                               ORDER BY n DESC), '')
    FROM (SELECT step, outcome, error, count(*) AS n FROM bench.odd_answers GROUP BY 1, 2, 3) s
$$;
