-- Booking events: a listener on booking_events receives, on commit and in
-- order, the payloads of a claim, a confirm and an expiry (the worker's).
-- The listener is a second connection (dblink), as a dashboard would be.
SET TimeZone = 'UTC';
CREATE EXTENSION dblink;
\set org '''a0000000-0000-0000-0000-000000000005'''

SELECT dblink_connect('listener',
    format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
           split_part(current_setting('unix_socket_directories'), ',', 1)));
SELECT dblink_exec('listener', 'LISTEN booking_events');

CREATE TABLE received (n serial, channel text, payload text);
-- Collects what the listener has received until a payload with that event
-- arrives (or 30 s pass).
CREATE FUNCTION receive_until(wanted_event text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    deadline timestamptz := clock_timestamp() + interval '30 seconds';
BEGIN
    LOOP
        INSERT INTO received (channel, payload)
        SELECT notify_name, extra FROM dblink_get_notify('listener');
        IF EXISTS (SELECT FROM received WHERE payload::jsonb->>'event' = wanted_event) THEN
            RETURN true;
        END IF;
        IF clock_timestamp() > deadline THEN
            RETURN false;
        END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
END
$$;

-- A claim, confirmed; another claim, left to lapse.
SELECT booking.claim_slot(:org, 'dr-events', '2031-05-05 09:00Z', '30 minutes')->>'hold_id' AS first_hold \gset
SELECT booking.confirm_hold(:org, :'first_hold')->>'status' AS confirmed;
-- A change that rolls back is never announced.
BEGIN;
SELECT booking.claim_slot(:org, 'dr-events', '2031-05-05 11:00Z', '30 minutes')->>'status' AS rolled_back;
ROLLBACK;
SELECT booking.claim_slot(:org, 'dr-events', '2031-05-05 10:00Z', '30 minutes',
                          ttl => '300 milliseconds')->>'hold_id' AS second_hold \gset
SELECT receive_until('expired') AS expiry_received;

-- In order, each with its reservation's status after the change.
SELECT n, channel, p->>'event' AS event, p->>'status' AS status, p->>'calendar_id' AS calendar_id,
       (p->>'org_id')::uuid = :org AS org_id_ok,
       CASE p->>'id' WHEN :'first_hold' THEN 'first hold' WHEN :'second_hold' THEN 'second hold' END AS id
FROM received, LATERAL (SELECT payload::jsonb AS p) j ORDER BY n;
-- The payload as sent: five keys, in this order.
SELECT regexp_replace(payload, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>', 'g') AS payload
FROM received ORDER BY n;

-- What changes no state is not announced: an extension, a code sent.
TRUNCATE received;
SELECT booking.claim_slot(:org, 'dr-events', '2031-05-05 12:00Z', '30 minutes')->>'hold_id' AS third_hold \gset
SELECT booking.extend_hold(:org, :'third_hold', '20 minutes')->>'success' AS extended;
SELECT booking.issue_otp(:org, :'third_hold')->>'success' AS code_sent;
SELECT booking.release_hold(:org, :'third_hold')->>'status' AS released;
SELECT receive_until('released') AS release_received;
SELECT p->>'event' AS event, p->>'status' AS status
FROM received, LATERAL (SELECT payload::jsonb AS p) j ORDER BY n;

-- booking.events = off (superuser) silences them.
TRUNCATE received;
SET booking.events = off;
SELECT booking.book(:org, 'dr-events', '2031-05-05 13:00Z', '30 minutes')->>'status' AS booked_quietly;
RESET booking.events;
SELECT booking.book(:org, 'dr-events', '2031-05-05 14:00Z', '30 minutes')->>'status' AS booked_aloud;
SELECT receive_until('booked') AS booking_received;
SELECT p->>'event' AS event, p->>'calendar_id' AS calendar_id
FROM received, LATERAL (SELECT payload::jsonb AS p) j ORDER BY n;

SELECT dblink_disconnect('listener');
