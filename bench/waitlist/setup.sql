-- Two sides of one organisation, alike but for the waitlist: on calendars
-- offer-1..offer-1000 every appointment has one caller waiting for exactly
-- its slot (so its cancel makes an offer), on quiet-1..quiet-1000 nobody
-- waits (so its cancel only probes the waitlist's index). Each calendar has
-- 100 appointments (the quiet side 300, as its calls are quicker), 30
-- minutes each, an hour apart, from two days ahead, and so 100 waiting
-- entries on the offer side: a clinic's list, not a city's.
-- bench.appointments numbers each side's appointments in the order the
-- pgbench scripts cancel them (one calendar after another, round robin).
CREATE SCHEMA bench;
CREATE TABLE bench.appointments (side text, n bigint, id uuid, PRIMARY KEY (side, n));
CREATE SEQUENCE bench.offer_next;
CREATE SEQUENCE bench.quiet_next;

INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
SELECT '00000000-0000-0000-0000-000000000024', gen_random_uuid(), side || '-' || c,
       date_trunc('hour', now()) + interval '2 days' + make_interval(hours => k),
       date_trunc('hour', now()) + interval '2 days' + make_interval(hours => k, mins => 30), 'confirmed'
FROM unnest(ARRAY['offer', 'quiet']) side, generate_series(1, 1000) c,
     generate_series(0, CASE side WHEN 'offer' THEN 99 ELSE 299 END) k;

INSERT INTO bench.appointments (side, n, id)
SELECT split_part(calendar_id, '-', 1),
       row_number() OVER (PARTITION BY split_part(calendar_id, '-', 1)
                          ORDER BY starts_at, split_part(calendar_id, '-', 2)::int),
       id
FROM booking.reservations WHERE org_id = '00000000-0000-0000-0000-000000000024';

-- The callers waiting on the offer side, joined before the run.
INSERT INTO booking.waitlist (org_id, id, calendar_id, from_ts, until_ts, duration, patient_phone, status)
SELECT org_id, gen_random_uuid(), calendar_id, starts_at, ends_at, interval '30 minutes', '+15550100', 'waiting'
FROM booking.reservations
WHERE org_id = '00000000-0000-0000-0000-000000000024' AND calendar_id LIKE 'offer-%';
ANALYZE;
