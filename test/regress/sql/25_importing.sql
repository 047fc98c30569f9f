-- Importing (issue 26): bulk writes of any number of calendars in one
-- transaction at default settings, still checked row against row (those of
-- the same statement too); and import_appointments, which skips and reports
-- the overlaps a source brings instead of failing.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''20000000-0000-0000-0000-000000000026'''

-- A transaction keeps half of max_locks_per_transaction calendar locks to
-- its end (32 at the default 64); past that, a calendar's lock is held only
-- while its row goes in.
SHOW max_locks_per_transaction;

-- One INSERT ... SELECT of 6,000 rows over 3,000 tenants' calendars.
BEGIN;
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
SELECT md5('bulk' || (g % 3000))::uuid, gen_random_uuid(), 'room-' || (g % 7),
       '2031-02-03 09:00+00'::timestamptz + (g / 3000) * interval '1 hour',
       '2031-02-03 09:45+00'::timestamptz + (g / 3000) * interval '1 hour', 'confirmed'
FROM generate_series(0, 5999) g;
SELECT count(*) AS calendar_locks_held FROM pg_locks
WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND objsubid = 16963;
-- Every row was checked: one more in the same calendars' time is refused
-- (the 3,000th tenant's, well past the budget), naming both ranges.
SELECT test_error($$
  INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
  VALUES (md5('bulk2999')::uuid, gen_random_uuid(), 'room-3', '2031-02-03 09:30+00', '2031-02-03 10:00+00', 'confirmed')$$);
COMMIT;
SELECT count(*) AS rows, count(DISTINCT org_id) AS tenants FROM booking.reservations
WHERE org_id IN (SELECT md5('bulk' || g)::uuid FROM generate_series(0, 2999) g);

-- Rows of the same statement are checked against each other, past the
-- budget too: 23P01 naming both ranges, and nothing stays.
SELECT test_error($$
  INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
  SELECT md5('same' || (g % 100))::uuid, gen_random_uuid(), 'room',
         '2031-02-03 09:00+00'::timestamptz + (g / 100) * interval '20 minutes',
         '2031-02-03 09:30+00'::timestamptz + (g / 100) * interval '20 minutes', 'confirmed'
  FROM generate_series(0, 199) g$$);
SELECT count(*) AS nothing_stayed FROM booking.reservations
WHERE org_id IN (SELECT md5('same' || g)::uuid FROM generate_series(0, 99) g);

-- COPY, the same path.
COPY booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status) FROM STDIN;
20000000-0000-0000-0000-000000000026	a0000000-0000-0000-0000-000000000001	c1	2031-02-03 09:00+00	2031-02-03 09:30+00	confirmed
20000000-0000-0000-0000-000000000026	a0000000-0000-0000-0000-000000000002	c1	2031-02-03 09:30+00	2031-02-03 10:00+00	confirmed
20000000-0000-0000-0000-000000000026	a0000000-0000-0000-0000-000000000003	c2	2031-02-03 09:00+00	2031-02-03 09:30+00	confirmed
\.
-- An overlap refuses the COPY whole. (The line psql shows as CONTEXT is cut
-- inside a date, which the suites' date shift cannot move: not shown.)
\set SHOW_CONTEXT never
COPY booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status) FROM STDIN;
20000000-0000-0000-0000-000000000026	a0000000-0000-0000-0000-000000000005	c3	2031-02-03 09:00+00	2031-02-03 09:30+00	confirmed
20000000-0000-0000-0000-000000000026	a0000000-0000-0000-0000-000000000004	c2	2031-02-03 09:15+00	2031-02-03 09:45+00	confirmed
\.
\set SHOW_CONTEXT errors
SELECT calendar_id, starts_at FROM booking.reservations WHERE org_id = :org ORDER BY 1, 2;

-- An UPDATE of every row of 3,000 tenants in one statement (an hour later):
-- each row moves into time only it had, so all pass.
UPDATE booking.reservations SET starts_at = starts_at + interval '1 hour', ends_at = ends_at + interval '1 hour'
WHERE org_id IN (SELECT md5('bulk' || g)::uuid FROM generate_series(0, 2999) g);
SELECT min(starts_at), max(ends_at) FROM booking.reservations
WHERE org_id IN (SELECT md5('bulk' || g)::uuid FROM generate_series(0, 2999) g);

-- book() for 200 tenants in one transaction: each call lets go of its
-- calendar's lock past the budget as it ends.
BEGIN;
SELECT count(*) FILTER (WHERE (booking.book(md5('loop' || g)::uuid, 'dr', '2031-02-04 10:00+00',
                                            '30 minutes') ->> 'success')::boolean) AS booked
FROM generate_series(0, 199) g;
SELECT count(*) AS calendar_locks_held FROM pg_locks
WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND objsubid = 16963;
-- The 200th tenant's slot, again in this transaction: taken (its own row).
SELECT booking.book(md5('loop199')::uuid, 'dr', '2031-02-04 10:15+00', '30 minutes') ->> 'error' AS again;
COMMIT;

-------------------------------------------------------------------------------
-- import_appointments: the seed design's appointments, with its double
-- bookings and soft-deleted rows.
-------------------------------------------------------------------------------
CREATE TABLE seed_appointments (
    id uuid PRIMARY KEY, org_id uuid NOT NULL, contact_id uuid, service_id uuid,
    scheduled_at timestamptz NOT NULL, duration_minutes integer NOT NULL DEFAULT 30,
    status text NOT NULL DEFAULT 'confirmed', notes text, metadata jsonb, deleted_at timestamptz);
INSERT INTO seed_appointments (id, org_id, scheduled_at, duration_minutes, status, notes, deleted_at) VALUES
    ('b0000000-0000-0000-0000-000000000001', :org, '2031-03-03 09:00+00', 30, 'confirmed', 'first', NULL),
    -- The seed's lock was on the exact start time: 09:15 went in over 09:00.
    ('b0000000-0000-0000-0000-000000000002', :org, '2031-03-03 09:15+00', 30, 'confirmed', 'double', NULL),
    ('b0000000-0000-0000-0000-000000000003', :org, '2031-03-03 09:30+00', 60, 'confirmed', NULL, NULL),
    ('b0000000-0000-0000-0000-000000000004', :org, '2031-03-03 09:30+00', 30, 'cancelled', NULL, NULL),
    ('b0000000-0000-0000-0000-000000000005', :org, '2031-03-03 11:00+00', 30, 'confirmed', 'deleted', '2031-01-01'),
    ('b0000000-0000-0000-0000-000000000006', :org, '2031-03-03 14:00+00', 30, 'completed', NULL, NULL),
    -- In the way of a booking made in booking already.
    ('b0000000-0000-0000-0000-000000000007', :org, '2031-03-03 15:00+00', 30, 'confirmed', NULL, NULL);
SELECT booking.book(:org, 'primary', '2031-03-03 15:10+00', '30 minutes') ->> 'success' AS booked_before;

SELECT jsonb_pretty(booking.import_appointments($$
  SELECT id, org_id, 'primary' AS calendar_id, scheduled_at AS starts_at,
         make_interval(mins => duration_minutes) AS duration, status, contact_id, service_id,
         notes, metadata
  FROM seed_appointments WHERE deleted_at IS NULL
$$) - 'conflicts') AS answer;
SELECT c->>'starts_at' AS starts_at, c->>'ends_at' AS ends_at,
       (c->>'overlaps_id') = 'b0000000-0000-0000-0000-000000000001' AS overlaps_first,
       c->>'overlaps_id' = (SELECT id::text FROM booking.reservations WHERE org_id = :org
                            AND calendar_id = 'primary' AND starts_at = '2031-03-03 15:10+00') AS overlaps_booked
FROM jsonb_array_elements(booking.import_appointments($$
  SELECT id, org_id, 'primary' AS calendar_id, scheduled_at AS starts_at,
         make_interval(mins => duration_minutes) AS duration, status
  FROM seed_appointments WHERE deleted_at IS NULL AND id IN ('b0000000-0000-0000-0000-000000000002', 'b0000000-0000-0000-0000-000000000007')
$$) -> 'conflicts') c;
SELECT CASE WHEN id::text LIKE 'b0000000-%' THEN id::text ELSE 'booked in booking' END AS id,
       calendar_id, starts_at, ends_at, status, notes FROM booking.reservations
WHERE org_id = :org AND calendar_id = 'primary' ORDER BY starts_at, status;
-- Audited: each imported row, and each import's counts.
SELECT action, entity_id, details FROM booking.audit_log
WHERE org_id = :org AND action IN ('imported', 'import') ORDER BY id;
-- An imported appointment is booked time like any other.
SELECT booking.book(:org, 'primary', '2031-03-03 09:40+00', '30 minutes') ->> 'error' AS over_imported;

-- A CSV through a staging table: ends given, a status, a phone.
CREATE TEMP TABLE staging (clinic uuid, room text, start_time timestamptz, end_time timestamptz,
                           state text, phone text, name text);
COPY staging FROM STDIN WITH (FORMAT csv, HEADER true);
clinic,room,start_time,end_time,state,phone,name
20000000-0000-0000-0000-000000000026,room-1,2031-03-04 09:00+00,2031-03-04 09:30+00,confirmed,+1 555 0100,Ann
20000000-0000-0000-0000-000000000026,room-1,2031-03-04 09:20+00,2031-03-04 09:50+00,confirmed,+1 555 0101,Ben
20000000-0000-0000-0000-000000000026,room-2,2031-03-04 09:20+00,2031-03-04 09:50+00,requires_manual_followup,,Cid
\.
SELECT booking.import_appointments($$
  SELECT clinic AS org_id, room AS calendar_id, start_time AS starts_at, end_time AS ends_at,
         state AS status, phone AS patient_phone, name AS patient_name FROM staging
$$) - 'conflicts' AS answer;
SELECT calendar_id, starts_at, status, patient_phone, patient_name FROM booking.reservations
WHERE org_id = :org AND calendar_id LIKE 'room-%' ORDER BY calendar_id, starts_at;

-- The first 1,000 conflicts are listed; skipped counts them all.
SELECT answer->'imported' AS imported, answer->'skipped' AS skipped,
       jsonb_array_length(answer->'conflicts') AS listed
FROM booking.import_appointments($$
  SELECT '20000000-0000-0000-0000-000000000026'::uuid AS org_id, 'many' AS calendar_id,
         '2031-03-05 09:00+00'::timestamptz + g * interval '1 minute' AS starts_at,
         interval '1 hour' AS duration
  FROM generate_series(0, 1100) g
$$) answer;

-- Refused, nothing changed: a source without the columns it needs, with
-- one booking does not import, both ends or neither, a name twice, more
-- than one statement, not a query, a held row, a bad status, null.
SELECT test_error($$SELECT booking.import_appointments('SELECT 1 AS org_id')$$);
SELECT test_error($$SELECT booking.import_appointments($q$SELECT org_id, 'c' AS calendar_id, scheduled_at AS starts_at, scheduled_at AS ends_at, 1 AS priority FROM seed_appointments$q$)$$);
SELECT test_error($$SELECT booking.import_appointments($q$SELECT org_id, 'c' AS calendar_id, scheduled_at AS starts_at, scheduled_at AS ends_at, interval '1h' AS duration FROM seed_appointments$q$)$$);
SELECT test_error($$SELECT booking.import_appointments($q$SELECT org_id, 'c' AS calendar_id, scheduled_at AS starts_at FROM seed_appointments$q$)$$);
SELECT test_error($$SELECT booking.import_appointments($q$SELECT org_id, 'c' AS calendar_id, scheduled_at AS starts_at, scheduled_at AS ends_at, notes, notes FROM seed_appointments$q$)$$);
SELECT test_sqlstate($$SELECT booking.import_appointments('SELECT 1; DROP TABLE seed_appointments')$$);
SELECT test_sqlstate($$SELECT booking.import_appointments('DELETE FROM seed_appointments RETURNING *')$$);
SELECT test_error($$SELECT booking.import_appointments($q$SELECT org_id, 'held-c' AS calendar_id, scheduled_at AS starts_at, interval '1h' AS duration, 'held' AS status FROM seed_appointments$q$)$$);
SELECT test_sqlstate($$SELECT booking.import_appointments($q$SELECT org_id, 'bad-c' AS calendar_id, scheduled_at AS starts_at, interval '1h' AS duration, 'booked' AS status FROM seed_appointments$q$)$$);
SELECT test_error($$SELECT booking.import_appointments(NULL)$$);
SELECT count(*) AS seed_rows_still_there FROM seed_appointments;
SELECT count(*) AS nothing_from_refused_imports FROM booking.reservations
WHERE org_id = :org AND calendar_id IN ('c', 'held-c', 'bad-c');

-- The owner's alone: a role with the staff profile may not import.
CREATE ROLE booking_test_importer NOLOGIN;
SELECT booking.grant_access('booking_test_importer', 'staff') IS NOT NULL AS granted;
SET ROLE booking_test_importer;
SELECT test_sqlstate($$SELECT booking.import_appointments('SELECT 1')$$);
RESET ROLE;
SELECT booking.revoke_access('booking_test_importer') IS NOT NULL AS revoked;
DROP ROLE booking_test_importer;

DROP TABLE seed_appointments;
DELETE FROM booking.reservations WHERE org_id = :org
   OR org_id IN (SELECT md5('bulk' || g)::uuid FROM generate_series(0, 2999) g)
   OR org_id IN (SELECT md5('loop' || g)::uuid FROM generate_series(0, 199) g);
DELETE FROM booking.audit_log WHERE org_id = :org
   OR org_id IN (SELECT md5('loop' || g)::uuid FROM generate_series(0, 199) g);
