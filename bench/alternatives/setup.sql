-- A calendar holding 100,000 reservations: 30-minute appointments back to
-- back, with one slot in eight left free, from 2030 on (about six years).
-- Loaded directly; the overlap guard sets each blocking range.
CREATE EXTENSION IF NOT EXISTS booking CASCADE;
DELETE FROM booking.reservations WHERE org_id = 'a17e0000-0000-0000-0000-000000000001';
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, created_at, updated_at, confirmed_at)
SELECT 'a17e0000-0000-0000-0000-000000000001', gen_random_uuid(), 'dense',
       '2030-01-01 00:00Z'::timestamptz + s * interval '30 minutes',
       '2030-01-01 00:30Z'::timestamptz + s * interval '30 minutes',
       'confirmed', now(), now(), now()
FROM generate_series(0, 114285) s
WHERE s % 8 <> 5;
-- The GiST index a plain-SQL design would probe with && (booking itself
-- probes its btree reservations_blocking and does not need this one; it only
-- makes booking's inserts dearer, which is fair to the plain side).
CREATE INDEX IF NOT EXISTS bench_alt_blocks ON booking.reservations USING gist (blocks);
ANALYZE booking.reservations;

-- The same search in plain SQL, as one would write it without the
-- extension: is the slot taken, and if so, the three free slots of the same
-- length nearest to it on the 15-minute grid within a day either side
-- (generate_series + NOT EXISTS, probing the same GiST index).
CREATE SCHEMA IF NOT EXISTS bench_alt;
CREATE OR REPLACE FUNCTION bench_alt.conflict_answer(p_org uuid, p_calendar text, p_start timestamptz,
                                                     p_duration interval)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    v_alternatives jsonb;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM booking.reservations r
                   WHERE r.org_id = p_org AND r.calendar_id = p_calendar
                     AND r.status IN ('held', 'requires_manual_followup', 'confirmed')
                     AND (r.status <> 'held' OR r.expires_at > now())
                     AND r.blocks && tstzrange(p_start, p_start + p_duration)) THEN
        RETURN jsonb_build_object('success', true);
    END IF;
    SELECT jsonb_agg(jsonb_build_object('starts_at', t, 'ends_at', t + p_duration) ORDER BY abs(extract(epoch FROM t - p_start)), t)
    INTO v_alternatives
    FROM (SELECT t FROM generate_series(date_trunc('hour', p_start) - interval '1 day',
                                        date_trunc('hour', p_start) + interval '1 day',
                                        interval '15 minutes') t
          WHERE t <> p_start AND t >= now()
            AND NOT EXISTS (SELECT 1 FROM booking.reservations r
                            WHERE r.org_id = p_org AND r.calendar_id = p_calendar
                              AND r.status IN ('held', 'requires_manual_followup', 'confirmed')
                              AND (r.status <> 'held' OR r.expires_at > now())
                              AND r.blocks && tstzrange(t, t + p_duration))
          ORDER BY abs(extract(epoch FROM t - p_start)), t
          LIMIT 3) s;
    RETURN jsonb_build_object('success', false, 'error', 'slot_unavailable',
                              'action', 'OFFER_ALTERNATIVES', 'alternatives', v_alternatives);
END $$;
