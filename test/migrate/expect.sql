-- What test/migrate compares before and after a move, one line each: every
-- row of the tables pg_dump keeps (the codes, by design, are not dumped;
-- pg_upgrade keeps them), and the events the consumer has still to read.
-- :org is the organisation.
SET TimeZone = 'UTC';
SELECT md5(concat_ws('/',
    (SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY org_id, id)) FROM booking.reservations t),
    (SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY org_id, id)) FROM booking.audit_log t),
    (SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY org_id, calendar_id)) FROM booking.calendars t),
    (SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY role::text)) FROM booking.role_bindings t),
    (SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY org_id, consumer)) FROM booking.event_consumers t),
    (SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY org_id, id)) FROM booking.event_queue t)))
    AS rows;
SELECT string_agg(event, ',' ORDER BY event) AS events FROM booking.event_queue WHERE org_id = :org;
