-------------------------------------------------------------------------------
-- Booking events: an outbox that registered consumers read with a cursor and
-- acknowledge (see extension/pg/events/events.hpp). Nothing is recorded for an
-- organisation no consumer asked for.
-------------------------------------------------------------------------------

CREATE TABLE booking.event_consumers (
    org_id     uuid,
    consumer   text        NOT NULL,
    acked      bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL DEFAULT current_user,
    acked_at   timestamptz,
    CONSTRAINT event_consumers_key UNIQUE NULLS NOT DISTINCT (org_id, consumer),
    CONSTRAINT event_consumers_name CHECK (length(consumer) BETWEEN 1 AND 200)
);
COMMENT ON TABLE booking.event_consumers IS
    'Registered event consumers: of one organisation (org_id), or of every organisation (org_id NULL, the owner''s). acked is the last position the consumer acknowledged; read_events() answers what lies past it. Written through create_event_consumer, ack_events, drop_event_consumer. Owner-only.';
COMMENT ON COLUMN booking.event_consumers.acked IS
    'The last event position the consumer acknowledged (ack_events); it starts at the log''s position when the consumer was created.';
COMMENT ON INDEX booking.event_consumers_key IS
    'One consumer of each name per organisation, and one of each name for every organisation.';
SELECT pg_catalog.pg_extension_config_dump('booking.event_consumers', '');
-- Backends keep which organisations have consumers; only creating or
-- dropping one changes that (acknowledging does not).
CREATE TRIGGER event_consumers_changed
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF org_id ON booking.event_consumers
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.event_consumers ENABLE ALWAYS TRIGGER event_consumers_changed;
COMMENT ON TRIGGER event_consumers_changed ON booking.event_consumers IS
    'Every backend reads again which organisations have consumers after one is created or dropped.';

CREATE TABLE booking.event_queue (
    org_id         uuid        NOT NULL,
    id             uuid        NOT NULL,
    event          text        NOT NULL,
    reservation_id uuid        NOT NULL,
    calendar_id    text,
    status         text        NOT NULL,
    at             timestamptz NOT NULL,
    CONSTRAINT event_queue_pkey PRIMARY KEY (org_id, id)
);
COMMENT ON TABLE booking.event_queue IS
    'State changes committed for consumers and not yet given a position: each is written by the transaction that makes the change, so it exists exactly when the change commits. Readers move them to booking.event_log in the order they became visible. Owner-only.';
COMMENT ON COLUMN booking.event_queue.id IS
    'A UUIDv7 taken under the lock the change held (its calendar''s or its reservation''s), so ids order the changes of one calendar or one reservation as their commits did.';
SELECT pg_catalog.pg_extension_config_dump('booking.event_queue', '');

CREATE SEQUENCE booking.event_position AS bigint;
COMMENT ON SEQUENCE booking.event_position IS
    'Positions of booking.event_log, given out by one reader at a time (a transaction-scoped lock), so a position is visible only after every smaller one is.';
SELECT pg_catalog.pg_extension_config_dump('booking.event_position', '');

CREATE TABLE booking.event_log (
    org_id         uuid        NOT NULL,
    position       bigint      NOT NULL,
    id             uuid        NOT NULL,
    event          text        NOT NULL,
    reservation_id uuid        NOT NULL,
    calendar_id    text,
    status         text        NOT NULL,
    at             timestamptz NOT NULL,
    CONSTRAINT event_log_pkey PRIMARY KEY (org_id, position)
);
CREATE INDEX event_log_position ON booking.event_log (position);
COMMENT ON TABLE booking.event_log IS
    'State changes in commit order: position grows in the order changes became visible (within a transaction, in the order they were made). Rows every consumer of their organisation has acknowledged are deleted by expire_holds() and the expiry worker. Owner-only: consumers read through read_events().';
COMMENT ON COLUMN booking.event_log.event IS
    'The audit action: claimed, booked, confirmed, released, cancelled, rescheduled, expired, locked.';
COMMENT ON COLUMN booking.event_log.status IS
    'The reservation''s status after the change.';
COMMENT ON INDEX booking.event_log_position IS 'What a consumer of every organisation reads.';
SELECT pg_catalog.pg_extension_config_dump('booking.event_log', '');

ALTER TABLE booking.event_consumers ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking.event_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking.event_log ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION booking.create_event_consumer(org_id uuid, consumer text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_create_event_consumer'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.create_event_consumer(uuid, text) IS
    'Registers a consumer of the organisation''s events (org_id NULL: of every organisation, the owner''s call). From its commit on, every state change of the organisation is recorded until the consumer has acknowledged it. Creating it again answers success (created: false). {success, consumer, org_id, position, created}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.drop_event_consumer(org_id uuid, consumer text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_drop_event_consumer'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.drop_event_consumer(uuid, text) IS
    'Removes a consumer; what only it still needed is deleted at the next sweep. {success, consumer, dropped}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.read_events(org_id uuid, consumer text, max_events integer DEFAULT 100)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_read_events'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.read_events(uuid, text, integer) IS
    'The consumer''s next events past its acknowledged position, in commit order, at most max_events (1..1000): {success, consumer, events: [{position, event, org_id, calendar_id, id, status, at, set_id?, series_id?}], last_position, more}. Reading acknowledges nothing: call ack_events(last_position) once they are handled, so a consumer that stops in between reads them again. Error consumer_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.ack_events(org_id uuid, consumer text, up_to bigint)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_ack_events'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.ack_events(uuid, text, bigint) IS
    'Acknowledges every event up to position up_to (never moving back): {success, consumer, acked}. A position not yet given out is refused (22023). Error consumer_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (NULL, every organisation: the owner only; 42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
