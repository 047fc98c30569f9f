-- The database itself keeps blocking reservations apart, for any writer.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''80000000-0000-0000-0000-000000000001'''

INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
VALUES (:org, gen_random_uuid(), 'x', '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'confirmed');
-- A direct INSERT that overlaps (different start, different length) is refused.
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'x', '2030-07-01 10:30Z', '2030-07-01 10:45Z', 'confirmed')$$);
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, expires_at)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'x', '2030-07-01 09:30Z', '2030-07-01 10:01Z', 'held', now() + interval '1 hour')$$);
-- Back to back, another calendar, another tenant, or a non-blocking state: fine.
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status) VALUES
    (:org, gen_random_uuid(), 'x', '2030-07-01 11:00Z', '2030-07-01 12:00Z', 'confirmed'),
    (:org, gen_random_uuid(), 'y', '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'confirmed'),
    ('80000000-0000-0000-0000-000000000002', gen_random_uuid(), 'x', '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'confirmed'),
    (:org, gen_random_uuid(), 'x', '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'cancelled'),
    (:org, gen_random_uuid(), 'x', '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'released');
-- Turning a cancelled row back into a blocking one is refused too.
SELECT test_error($$UPDATE booking.reservations SET status = 'confirmed'
                    WHERE org_id = '80000000-0000-0000-0000-000000000001' AND calendar_id = 'x' AND status = 'cancelled'$$);
-- So is moving a row onto another, or widening it with a buffer.
SELECT test_error($$UPDATE booking.reservations SET starts_at = '2030-07-01 10:30Z'
                    WHERE org_id = '80000000-0000-0000-0000-000000000001' AND calendar_id = 'x' AND starts_at = '2030-07-01 11:00Z'$$);
SELECT test_error($$UPDATE booking.reservations SET buffer_before = '5 minutes'
                    WHERE org_id = '80000000-0000-0000-0000-000000000001' AND calendar_id = 'x' AND starts_at = '2030-07-01 11:00Z' AND status = 'confirmed'$$);
-- COPY goes through the same constraint.
SELECT test_error($$COPY booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status) FROM PROGRAM 'echo 80000000-0000-0000-0000-000000000001,11111111-0000-0000-0000-000000000000,x,2030-07-01 10:59+00,2030-07-01 11:30+00,confirmed' WITH (FORMAT csv)$$);
-- Empty and inverted ranges are impossible (they would never conflict).
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'z', '2030-07-01 10:00Z', '2030-07-01 10:00Z', 'confirmed')$$);
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'z', '2030-07-01 10:00Z', '2030-07-01 09:00Z', 'confirmed')$$);
-- A hold must say when it ends.
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'z', '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'held')$$);
-- ... also when a later update takes it away (a cancelled row need not have one).
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, expires_at)
VALUES (:org, gen_random_uuid(), 'h', '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'held', now() + interval '1 hour');
SELECT test_error($$UPDATE booking.reservations SET expires_at = NULL
                    WHERE org_id = '80000000-0000-0000-0000-000000000001' AND status = 'held'$$);
-- A calendar_id is 1 to 200 characters (counted as characters, not bytes).
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), '', '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'cancelled')$$);
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), repeat('x', 201), '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'cancelled')$$);
SELECT test_error($$UPDATE booking.reservations SET calendar_id = repeat('é', 201)
                    WHERE org_id = '80000000-0000-0000-0000-000000000001'$$);
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), repeat('é', 200), '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'cancelled');
SELECT length(calendar_id), octet_length(calendar_id) FROM booking.reservations
WHERE org_id = '80000000-0000-0000-0000-000000000001' AND calendar_id LIKE 'é%';
-- Buffers are 0 to 1 day, for any row.
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, buffer_before)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'z', '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'cancelled', '-5 minutes')$$);
-- A reservation lasts at most 31 days (the ceiling of booking.max_duration);
-- the longest allowed still keeps others off all of its range.
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'long', '2030-08-01 00:00Z', '2030-09-01 00:01Z', 'cancelled')$$);
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, buffer_before, buffer_after)
VALUES (:org, gen_random_uuid(), 'long', '2030-08-01 00:00Z', '2030-09-01 00:00Z', 'confirmed', '1 day', '1 day');
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'long', '2030-07-31 00:00Z', '2030-07-31 00:05Z', 'confirmed')$$);
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'long', '2030-09-01 23:55Z', '2030-09-02 00:00Z', 'confirmed')$$);
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
VALUES (:org, gen_random_uuid(), 'long', '2030-07-30 23:00Z', '2030-07-31 00:00Z', 'confirmed'),
       (:org, gen_random_uuid(), 'long', '2030-09-02 00:00Z', '2030-09-02 01:00Z', 'confirmed');
-- blocks is the guard's to write: a value written by hand is replaced, on
-- insert and on update, so a row cannot hide behind a made-up range.
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status, buffer_after, blocks)
VALUES (:org, 'b1000000-0000-0000-0000-000000000001', 'z', '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'confirmed',
        '10 minutes', '[2030-01-01,2030-01-02)');
SELECT blocks FROM booking.reservations WHERE id = 'b1000000-0000-0000-0000-000000000001';
UPDATE booking.reservations SET blocks = '[2031-01-01,2031-01-02)' WHERE id = 'b1000000-0000-0000-0000-000000000001';
SELECT blocks FROM booking.reservations WHERE id = 'b1000000-0000-0000-0000-000000000001';
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'z', '2030-07-01 11:05Z', '2030-07-01 11:30Z', 'confirmed')$$);
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'z', 'infinity', 'infinity', 'cancelled')$$);
DELETE FROM booking.reservations WHERE id = 'b1000000-0000-0000-0000-000000000001';
-- Rows of one statement are checked against each other, whatever their order.
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status) VALUES
                    ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'w', '2030-07-02 12:00Z', '2030-07-02 13:00Z', 'confirmed'),
                    ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'w', '2030-07-02 12:30Z', '2030-07-02 12:45Z', 'confirmed')$$);
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status) VALUES
                    ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'w', '2030-07-02 12:30Z', '2030-07-02 12:45Z', 'confirmed'),
                    ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'w', '2030-07-02 09:00Z', '2030-07-02 10:00Z', 'confirmed'),
                    ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'w', '2030-07-02 08:00Z', '2030-07-02 18:00Z', 'confirmed')$$);
SELECT count(*) AS nothing_on_w FROM booking.reservations WHERE org_id = :org AND calendar_id = 'w';
-- Moving several rows at once is checked row by row against the moved ones.
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status) VALUES
    (:org, gen_random_uuid(), 'v', '2030-07-03 09:00Z', '2030-07-03 10:00Z', 'confirmed'),
    (:org, gen_random_uuid(), 'v', '2030-07-03 11:00Z', '2030-07-03 12:00Z', 'confirmed');
SELECT test_error($$UPDATE booking.reservations SET starts_at = '2030-07-03 08:00Z', ends_at = '2030-07-03 09:30Z'
                    WHERE org_id = '80000000-0000-0000-0000-000000000001' AND calendar_id = 'v'$$);
-- Shifting both by the same hour keeps them apart and is fine.
UPDATE booking.reservations SET starts_at = starts_at + interval '1 hour', ends_at = ends_at + interval '1 hour'
WHERE org_id = :org AND calendar_id = 'v';
SELECT starts_at FROM booking.reservations WHERE org_id = :org AND calendar_id = 'v' ORDER BY starts_at;
-- Replica mode, as logical replication applies changes, does not switch the guard off.
SET session_replication_role = replica;
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'x', '2030-07-01 10:10Z', '2030-07-01 10:20Z', 'confirmed')$$);
RESET session_replication_role;
SELECT count(*) AS rows_on_x FROM booking.reservations WHERE org_id = :org AND calendar_id = 'x';
-- The guarantee holds in every isolation level.
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT test_error($$INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
                    VALUES ('80000000-0000-0000-0000-000000000001', gen_random_uuid(), 'x', '2030-07-01 10:15Z', '2030-07-01 10:20Z', 'confirmed')$$);
COMMIT;
-- The functions see direct writes: a claim over a directly inserted row is refused.
SELECT booking.claim_slot(:org, 'x', '2030-07-01 10:30Z')->>'error' AS error;
-- A function's write asks the guard to skip its own row on a conflict, for
-- that one write only: when the write fails after asking (here a trigger of
-- the deployment's raises), a later direct INSERT of a row with the same id
-- in the same transaction is refused like any other, not silently skipped.
CREATE FUNCTION pg_temp.refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.notes = 'refuse me' THEN
        RAISE EXCEPTION 'refused %', NEW.id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER zz_refuse_marked AFTER INSERT ON booking.reservations
    FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_marked();
INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
VALUES (:org, gen_random_uuid(), 'armed', '2030-07-04 09:00Z', '2030-07-04 10:00Z', 'confirmed');
DO $$
DECLARE
    failed uuid;
BEGIN
    BEGIN
        PERFORM booking.book('80000000-0000-0000-0000-000000000001', 'armed', '2030-07-04 12:00Z',
                             notes => 'refuse me');
    EXCEPTION WHEN raise_exception THEN
        failed := substring(SQLERRM FROM 'refused (.*)')::uuid;
    END;
    INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
    VALUES ('80000000-0000-0000-0000-000000000001', failed, 'armed', '2030-07-04 09:30Z',
            '2030-07-04 10:30Z', 'confirmed');
    RAISE NOTICE 'the overlapping row went in, or was skipped without a word';
EXCEPTION WHEN exclusion_violation THEN
    RAISE NOTICE 'refused: %', SQLSTATE;
END $$;
DROP TRIGGER zz_refuse_marked ON booking.reservations;
SELECT count(*) AS rows_on_armed FROM booking.reservations WHERE org_id = :org AND calendar_id = 'armed';
