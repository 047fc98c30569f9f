-- Booking events: an outbox a registered consumer reads past its
-- acknowledged position, in commit order, catching up on what happened
-- while it was away; NOTIFY booking_events (empty payload) only wakes it.
-- The listener is a second connection (dblink), as a webhook sender's is.
SET TimeZone = 'UTC';
CREATE EXTENSION dblink;
\set org '''a0000000-0000-0000-0000-000000000005'''
\set other '''a0000000-0000-0000-0000-000000000006'''

CREATE FUNCTION test_error(statement text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Positions and ids differ from run to run; events are shown without them.
CREATE FUNCTION shown(answer jsonb) RETURNS TABLE (event text, status text, calendar_id text, org text)
LANGUAGE sql AS $$
    SELECT e->>'event', e->>'status', e->>'calendar_id',
           CASE e->>'org_id' WHEN 'a0000000-0000-0000-0000-000000000005' THEN 'org'
                             WHEN 'a0000000-0000-0000-0000-000000000006' THEN 'other' END
    FROM jsonb_array_elements(answer->'events') e
$$;

-- While no consumer is registered, changes record nothing.
SELECT events_sent AS sent_0, events_unheard AS unheard_0 FROM booking.stats() \gset
SELECT booking.book(:org, 'dr-events', '2031-05-04 09:00Z', '30 minutes')->>'status' AS booked_unheard;
SELECT (SELECT count(*) FROM booking.event_queue) + (SELECT count(*) FROM booking.event_log) AS recorded;
SELECT events_sent = :sent_0 AS none_recorded, events_unheard > :unheard_0 AS counted_unheard FROM booking.stats();

-- A consumer registers once; creating it again changes nothing.
SELECT booking.create_event_consumer(:org, 'webhook') - 'position' AS created;
SELECT booking.create_event_consumer(:org, 'webhook')->>'created' AS created_again;
SELECT test_error($$SELECT booking.create_event_consumer('a0000000-0000-0000-0000-000000000005', '')$$);
SELECT test_error($$SELECT booking.read_events('a0000000-0000-0000-0000-000000000005', 'webhook', 0)$$);
SELECT booking.read_events(:org, 'nobody') AS unknown_consumer;

-- The consumer is away (nobody reads, nobody listens) while things happen:
-- a claim, confirmed; a change that rolls back; a claim left to lapse, which
-- the worker expires; a booking of another organisation.
SELECT booking.claim_slot(:org, 'dr-events', '2031-05-05 09:00Z', '30 minutes')->>'hold_id' AS first_hold \gset
SELECT booking.confirm_hold(:org, :'first_hold')->>'status' AS confirmed;
BEGIN;
SELECT booking.claim_slot(:org, 'dr-events', '2031-05-05 11:00Z', '30 minutes')->>'status' AS rolled_back;
ROLLBACK;
SELECT booking.claim_slot(:org, 'dr-events', '2031-05-05 10:00Z', '30 minutes',
                          ttl => '300 milliseconds')->>'hold_id' AS second_hold \gset
SELECT booking.book(:other, 'dr-events', '2031-05-05 09:00Z', '30 minutes')->>'status' AS other_booked;
-- Wait for the worker's expiry of the second hold.
CREATE FUNCTION expired_by_worker(hold uuid) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..300 LOOP
        IF EXISTS (SELECT FROM booking.audit_log WHERE action = 'expired' AND entity_id = hold) THEN
            RETURN true;
        END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
    RETURN false;
END $$;
SELECT expired_by_worker(:'second_hold') AS expired;

-- A change rolled back to a savepoint is not recorded; the rest of its
-- transaction is, in order.
BEGIN;
SELECT booking.book(:org, 'dr-events', '2031-05-06 09:00Z', '30 minutes')->>'status' AS kept;
SAVEPOINT second_thoughts;
SELECT booking.book(:org, 'dr-events', '2031-05-06 10:00Z', '30 minutes')->>'status' AS undone;
ROLLBACK TO second_thoughts;
SELECT booking.book(:org, 'dr-events', '2031-05-06 11:00Z', '30 minutes')->>'status' AS kept_too;
COMMIT;
-- Changes that change no state are no events: an extension, a code sent.
SELECT booking.claim_slot(:org, 'dr-events', '2031-05-06 12:00Z', '30 minutes')->>'hold_id' AS third_hold \gset
SELECT booking.extend_hold(:org, :'third_hold', '20 minutes')->>'success' AS extended;
SELECT booking.issue_otp(:org, :'third_hold')->>'success' AS code_sent;
SELECT booking.release_hold(:org, :'third_hold')->>'status' AS released;
-- booking.events = off (superuser) records nothing, even for consumers.
SET booking.events = off;
SELECT booking.book(:org, 'dr-events', '2031-05-06 13:00Z', '30 minutes')->>'status' AS booked_quietly;
RESET booking.events;
-- Back, the consumer reads everything it missed, in commit order, each with
-- its reservation's status after the change: only its own organisation's.
SELECT booking.read_events(:org, 'webhook', 100) AS batch \gset
SELECT * FROM shown(:'batch');
SELECT (:'batch'::jsonb)->>'more' AS more,
       (SELECT bool_and(p > lag) FROM (SELECT (e->>'position')::bigint AS p,
               lag((e->>'position')::bigint, 1, 0::bigint) OVER () AS lag
               FROM jsonb_array_elements((:'batch'::jsonb)->'events') e) s) AS positions_increase,
       (:'batch'::jsonb)->>'last_position' = ((:'batch'::jsonb)->'events'->-1->>'position') AS last_is_last;
SELECT (SELECT e->>'id' FROM jsonb_array_elements((:'batch'::jsonb)->'events') e LIMIT 1) = :'first_hold' AS first_is_the_first_hold;
-- Reading acknowledges nothing: a consumer that stopped before acking reads them again.
SELECT jsonb_array_length(booking.read_events(:org, 'webhook')->'events') AS read_again;
-- In pages.
SELECT booking.read_events(:org, 'webhook', 2)->>'more' AS more_after_two;
-- Acknowledged, they are not read again; a position never given out is refused.
SELECT booking.ack_events(:org, 'webhook', (:'batch'::jsonb->>'last_position')::bigint)->>'acked' = (:'batch'::jsonb->>'last_position') AS acked;
SELECT jsonb_array_length(booking.read_events(:org, 'webhook')->'events') AS after_ack;
SELECT test_error($$SELECT booking.ack_events('a0000000-0000-0000-0000-000000000005', 'webhook', 1000000000)$$);
-- Acknowledging an earlier position never moves the cursor back.
SELECT booking.ack_events(:org, 'webhook', 1)->>'acked' = (:'batch'::jsonb->>'last_position') AS never_back;
SELECT booking.ack_events(:org, 'nobody', 1)->>'error' AS ack_unknown;

-- The wake-up: a listener hears NOTIFY booking_events with an empty
-- payload when an event is recorded, and reads the event itself.
SELECT dblink_connect('listener',
    format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
           split_part(current_setting('unix_socket_directories'), ',', 1)));
SELECT dblink_exec('listener', 'LISTEN booking_events');
CREATE TABLE received (n serial, channel text, payload text);
CREATE FUNCTION receive_one() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    deadline timestamptz := clock_timestamp() + interval '10 seconds';
BEGIN
    LOOP
        INSERT INTO received (channel, payload)
        SELECT notify_name, extra FROM dblink_get_notify('listener');
        IF EXISTS (SELECT FROM received) THEN
            RETURN true;
        END IF;
        IF clock_timestamp() > deadline THEN
            RETURN false;
        END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
END
$$;
SELECT booking.book(:org, 'dr-events', '2031-05-07 09:00Z', '30 minutes')->>'status' AS booked_heard;
SELECT receive_one() AS woken;
SELECT channel, payload = '' AS empty_payload FROM received;
SELECT booking.read_events(:org, 'webhook') AS batch \gset
SELECT * FROM shown(:'batch');
SELECT booking.ack_events(:org, 'webhook', (:'batch'::jsonb->>'last_position')::bigint)->>'success' AS acked;
-- An organisation without consumers wakes nobody (and records nothing).
TRUNCATE received;
SELECT booking.book('a0000000-0000-0000-0000-000000000009', 'dr-events', '2031-05-07 09:00Z', '30 minutes')->>'status' AS unconsumed_org;
SELECT pg_sleep(0.3);
INSERT INTO received (channel, payload) SELECT notify_name, extra FROM dblink_get_notify('listener');
SELECT count(*) AS woken_for_nothing FROM received;
-- An UNLISTEN rolled back to a savepoint leaves the session listening, and
-- the wake-ups keep coming.
SELECT dblink_exec('listener', 'BEGIN');
SELECT dblink_exec('listener', 'SAVEPOINT s');
SELECT dblink_exec('listener', 'UNLISTEN booking_events');
SELECT dblink_exec('listener', 'ROLLBACK TO s');
SELECT dblink_exec('listener', 'COMMIT');
SELECT * FROM dblink('listener', 'SELECT pg_listening_channels()') AS t(channel text);
TRUNCATE received;
SELECT booking.book(:org, 'dr-events', '2031-05-07 10:00Z', '30 minutes')->>'status' AS booked_after_savepoint;
SELECT receive_one() AS still_woken;
-- A committed UNLISTEN ends the wake-ups; events are recorded all the same.
SELECT dblink_exec('listener', 'UNLISTEN booking_events');
SELECT count(*) >= 0 AS drained FROM dblink_get_notify('listener');
TRUNCATE received;
SELECT booking.book(:org, 'dr-events', '2031-05-07 11:00Z', '30 minutes')->>'status' AS booked_unlistened;
SELECT pg_sleep(0.3);
SELECT dblink_exec('listener', 'LISTEN booking_events');
INSERT INTO received (channel, payload) SELECT notify_name, extra FROM dblink_get_notify('listener');
SELECT count(*) AS woken_after_unlisten FROM received;
SELECT booking.read_events(:org, 'webhook') AS batch \gset
SELECT * FROM shown(:'batch');
SELECT booking.ack_events(:org, 'webhook', (:'batch'::jsonb->>'last_position')::bigint)->>'success' AS acked;
SELECT dblink_disconnect('listener');

-- Tenant-safe: a role bound to the other organisation reads only its own
-- consumers, and a consumer of every organisation is the owner's.
CREATE ROLE events_staff NOLOGIN;
SELECT count(*) > 0 AS granted FROM unnest(booking.grant_access('events_staff', 'staff'));
SELECT booking.bind_role('events_staff', :other)->>'success' AS bound;
SET ROLE events_staff;
SELECT test_error($$SELECT booking.read_events('a0000000-0000-0000-0000-000000000005', 'webhook')$$);
SELECT test_error($$SELECT booking.create_event_consumer(NULL, 'everything')$$);
SELECT test_error($$SELECT * FROM booking.event_log$$);
SELECT booking.create_event_consumer(:other, 'webhook')->>'created' AS own_consumer;
SELECT booking.book(:other, 'dr-events', '2031-05-08 09:00Z', '30 minutes')->>'status' AS other_booked_again;
SELECT * FROM shown(booking.read_events(:other, 'webhook'));
RESET ROLE;
-- The owner's consumer of every organisation sees both, from its creation on.
SELECT booking.create_event_consumer(NULL, 'audit-feed')->>'created' AS global_consumer;
SELECT booking.book(:org, 'dr-events', '2031-05-08 10:00Z', '30 minutes')->>'status' AS org_booked;
SELECT booking.book(:other, 'dr-events', '2031-05-08 10:00Z', '30 minutes')->>'status' AS other_booked;
SELECT * FROM shown(booking.read_events(NULL, 'audit-feed'));

-- Housekeeping: what every consumer of an organisation acknowledged goes.
SELECT booking.ack_events(:org, 'webhook', (booking.read_events(:org, 'webhook')->>'last_position')::bigint)->>'success' AS org_acked;
SELECT booking.ack_events(NULL, 'audit-feed', (booking.read_events(NULL, 'audit-feed')->>'last_position')::bigint)->>'success' AS global_acked;
SELECT booking.expire_holds() >= 0 AS swept;
SELECT CASE org_id WHEN :org THEN 'org' WHEN :other THEN 'other' END AS org, count(*) AS kept
FROM booking.event_log GROUP BY 1 ORDER BY 1;
-- Dropping the last consumers lets the rest go.
SELECT booking.drop_event_consumer(:org, 'webhook')->>'dropped' AS dropped;
SELECT booking.drop_event_consumer(:other, 'webhook')->>'dropped' AS dropped;
SELECT booking.drop_event_consumer(NULL, 'audit-feed')->>'dropped' AS dropped;
SELECT booking.expire_holds() >= 0 AS swept;
SELECT count(*) AS left_in_log, (SELECT count(*) FROM booking.event_queue) AS left_in_queue FROM booking.event_log;
SELECT booking.book(:org, 'dr-events', '2031-05-09 09:00Z', '30 minutes')->>'status' AS booked_after_drop;
SELECT count(*) AS recorded_after_drop FROM booking.event_queue;
SELECT count(*) > 0 AS revoked FROM unnest(booking.revoke_access('events_staff'));
SELECT booking.unbind_role('events_staff')->>'was_bound' AS unbound;
DROP ROLE events_staff;
