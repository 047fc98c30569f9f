-- bench/import: the file every load reads, and the tables without the guard.
-- :rows appointments over :calendars calendars, each of its own tenant: ten
-- back-to-back 30-minute confirmed rows a calendar, in 2031 (before the
-- slots the booking runs afterwards take).
CREATE SCHEMA plain;
CREATE TABLE plain.reservations (LIKE booking.reservations INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE SCHEMA staging;
CREATE TABLE staging.appointments (org_id uuid, id uuid, calendar_id text, starts_at timestamptz,
                                   ends_at timestamptz, status text, blocks tstzrange);
COPY (
    SELECT ('00000000-0000-0000-0000-' || lpad((g % :calendars)::text, 12, '0'))::uuid,
           gen_random_uuid(), 'cal',
           timestamptz '2031-01-06 08:00+00' + (g / :calendars) * interval '30 minutes',
           timestamptz '2031-01-06 08:30+00' + (g / :calendars) * interval '30 minutes',
           'confirmed',
           tstzrange(timestamptz '2031-01-06 08:00+00' + (g / :calendars) * interval '30 minutes',
                     timestamptz '2031-01-06 08:30+00' + (g / :calendars) * interval '30 minutes')
    FROM generate_series(0, :rows - 1) g
) TO :'file' WITH (FORMAT csv);
