-- Helpers for the regression suite (not part of the extension).
--
-- test_error(sql) runs a statement and shows the error it raised as
-- "SQLSTATE: message", so every expected file pins both.
-- test_sqlstate(sql) shows the SQLSTATE alone, where PostgreSQL words the
-- message differently from one major to the next.
-- test_mask(answer) replaces what differs from run to run (generated ids,
-- expiry instants) with stable placeholders; everything else stays.
CREATE FUNCTION test_error(statement text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

CREATE FUNCTION test_sqlstate(statement text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

CREATE FUNCTION test_mask(answer jsonb) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT CASE jsonb_typeof(answer)
        WHEN 'object' THEN (
            SELECT coalesce(jsonb_object_agg(key,
                CASE WHEN key IN ('hold_id', 'appointment_id', 'id', 'reservation_id', 'set_id', 'series_id') AND jsonb_typeof(value) = 'string'
                     THEN to_jsonb('<id>'::text)
                     WHEN key IN ('expires_at') AND jsonb_typeof(value) = 'string'
                     THEN to_jsonb('<ts>'::text)
                     ELSE test_mask(value) END), '{}'::jsonb)
            FROM jsonb_each(answer))
        WHEN 'array' THEN (
            SELECT coalesce(jsonb_agg(test_mask(value)), '[]'::jsonb) FROM jsonb_array_elements(answer))
        ELSE answer END
$$;

-- How far an answer's expires_at lies from now, rounded to seconds.
CREATE FUNCTION test_ttl(answer jsonb) RETURNS interval
LANGUAGE sql AS $$
    SELECT date_trunc('second', (answer->>'expires_at')::timestamptz - now() + interval '500 ms')
$$;

-- pg_regress runs clients in America/Los_Angeles; files that want UTC say so.
SELECT current_setting('TimeZone') AS timezone;
SELECT extname, extversion FROM pg_extension WHERE extname = 'booking';
