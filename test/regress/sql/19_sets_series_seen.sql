-- The views, audit rows and events say which set (a booking of several
-- calendars) and which series each reservation belongs to.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''19000000-0000-0000-0000-000000000001'''

SELECT booking.create_event_consumer(:org, 'webhook')->>'created' AS consumer;
SELECT booking.book(:org, 'dr-v', '2030-11-04 09:00Z', with_calendars => '{room-v}') AS b \gset
SELECT booking.book_series(:org, 'dr-v', '2030-11-04 10:00Z', '30 minutes', '1 week', 2, with_calendars => '{room-v}') AS s \gset
SELECT booking.claim_slot(:org, 'dr-v', '2030-11-04 12:00Z', ttl => '20 ms', with_calendars => '{room-v}') AS h \gset

-- The views.
SELECT calendar_id, starts_at, set_id = (:'b'::jsonb->>'set_id')::uuid AS in_the_set, series_id IS NULL AS no_series
FROM booking.appointments WHERE org_id = :org AND set_id = (:'b'::jsonb->>'set_id')::uuid ORDER BY calendar_id;
SELECT calendar_id, count(*) AS occurrences, count(DISTINCT set_id) AS sets,
       bool_and(series_id = (:'s'::jsonb->>'series_id')::uuid) AS in_the_series
FROM booking.appointments WHERE org_id = :org AND series_id IS NOT NULL GROUP BY calendar_id ORDER BY 1;
SELECT calendar_id, set_id = (:'h'::jsonb->>'set_id')::uuid AS in_the_set
FROM booking.holds WHERE org_id = :org ORDER BY calendar_id;

-- The events: set_id and series_id where a reservation has them.
SELECT e->>'event' AS event, e->>'calendar_id' AS calendar_id,
       e->>'set_id' = (:'b'::jsonb->>'set_id') AS of_the_set,
       e->>'series_id' = (:'s'::jsonb->>'series_id') AS of_the_series,
       e ? 'set_id' AS says_set, e ? 'series_id' AS says_series
FROM jsonb_array_elements(booking.read_events(:org, 'webhook')->'events') e
ORDER BY (e->>'position')::bigint;

-- The sweeper's audit rows too.
SELECT pg_sleep(0.05);
SELECT booking.expire_holds() >= 2 AS swept;
SELECT action, details->>'calendar_id' AS calendar_id, details->>'set_id' = (:'h'::jsonb->>'set_id') AS says_its_set
FROM booking.audit_log WHERE org_id = :org AND action = 'expired' ORDER BY details->>'calendar_id';
SELECT booking.drop_event_consumer(:org, 'webhook')->>'dropped' AS dropped;
