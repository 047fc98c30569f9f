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

-- A change rolled back to a savepoint is not announced; the rest of its
-- transaction is, in order, at commit.
TRUNCATE received;
BEGIN;
SELECT booking.book(:org, 'dr-events', '2031-05-06 09:00Z', '30 minutes')->>'status' AS kept;
SAVEPOINT second_thoughts;
SELECT booking.book(:org, 'dr-events', '2031-05-06 10:00Z', '30 minutes')->>'status' AS undone;
ROLLBACK TO second_thoughts;
SELECT booking.book(:org, 'dr-events', '2031-05-06 11:00Z', '30 minutes')->>'status' AS kept_too;
COMMIT;
SELECT booking.claim_slot(:org, 'dr-events', '2031-05-06 12:00Z', '30 minutes')->>'status' AS marker;
SELECT receive_until('claimed') AS received;
SELECT p->>'event' AS event, (SELECT starts_at FROM booking.reservations WHERE id = (p->>'id')::uuid) AS starts_at
FROM received, LATERAL (SELECT payload::jsonb AS p) j ORDER BY n;

-- Announcing costs a cluster-wide lock at every commit, so nothing is sent
-- while nobody listens: the listener leaves, and the next changes are counted
-- as unheard instead of sent.
SELECT dblink_exec('listener', 'UNLISTEN booking_events');
SELECT events_sent AS sent_0, events_unheard AS unheard_0 FROM booking.stats() \gset
SELECT booking.book(:org, 'dr-events', '2031-05-07 09:00Z', '30 minutes')->>'status' AS booked_unheard;
SELECT events_sent = :sent_0 AS none_sent, events_unheard > :unheard_0 AS counted_unheard FROM booking.stats();
-- Listening again brings the announcements back.
SELECT dblink_exec('listener', 'LISTEN booking_events');
TRUNCATE received;
SELECT events_sent AS sent_1 FROM booking.stats() \gset
SELECT booking.book(:org, 'dr-events', '2031-05-07 10:00Z', '30 minutes')->>'status' AS booked_heard;
SELECT receive_until('booked') AS heard_again;
SELECT events_sent > :sent_1 AS sent_again FROM booking.stats();
-- A listener that goes away without UNLISTEN stops counting as one.
SELECT dblink_disconnect('listener');
SELECT pg_sleep(0.2);
SELECT events_sent AS sent_2, events_unheard AS unheard_2 FROM booking.stats() \gset
SELECT booking.book(:org, 'dr-events', '2031-05-07 11:00Z', '30 minutes')->>'status' AS booked_after_disconnect;
SELECT events_sent = :sent_2 AS none_sent, events_unheard > :unheard_2 AS counted_unheard FROM booking.stats();
