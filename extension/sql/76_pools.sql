-------------------------------------------------------------------------------
-- Pools (issue 24): "any clinician is fine". A pool's id goes wherever a
-- calendar id does; the call picks a free member inside its transaction.
-------------------------------------------------------------------------------

CREATE TABLE booking.pools (
    org_id     uuid        NOT NULL,
    pool_id    text        NOT NULL,
    calendars  text[]      NOT NULL,
    strategy   text        NOT NULL DEFAULT 'round_robin',
    weights    jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pools_pkey PRIMARY KEY (org_id, pool_id),
    CONSTRAINT pools_strategy CHECK (strategy IN ('round_robin', 'first_free')),
    CONSTRAINT pools_members CHECK (cardinality(calendars) BETWEEN 2 AND 50)
);
COMMENT ON TABLE booking.pools IS
    'Pools of calendars, written by set_pool: a pool''s id names it wherever a calendar id goes (claim_slot, book, check_availability, free_slots, join_waitlist), and each call books one member free for the whole request. Pools and calendars share one namespace.';
COMMENT ON COLUMN booking.pools.calendars IS
    'The members, 2 to 50 calendar ids of the organisation, in the pool''s order (first_free asks them in it; round_robin breaks ties by it).';
COMMENT ON COLUMN booking.pools.strategy IS
    'round_robin: the free member whose last assignment from this pool is oldest, or with weights smooth weighted round robin; first_free: the first free member in the pool''s order.';
COMMENT ON COLUMN booking.pools.weights IS
    'round_robin''s weights per member, {"dr-a": 2, "dr-b": 1} (1 to 1000; a member left out weighs 1); NULL: none.';
SELECT pg_catalog.pg_extension_config_dump('booking.pools', '');

CREATE TRIGGER pools_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.pools
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.pools ENABLE ALWAYS TRIGGER pools_changed;
COMMENT ON TRIGGER pools_changed ON booking.pools IS
    'Keeps the per-backend cache of which ids are pools in step with the table.';

ALTER TABLE booking.pools ENABLE ROW LEVEL SECURITY;
CREATE POLICY pools_own_organisation ON booking.pools
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY pools_own_organisation ON booking.pools IS
    'A tenant role sees only the pools of the organisation it acts in.';

-- The fairness counters live in their own rows, one per member, so a
-- booking moves its member's counter in its own transaction, under the
-- members' calendar locks, and the pool's definition (cached) stays
-- unchanged by bookings.
CREATE TABLE booking.pool_members (
    org_id           uuid        NOT NULL,
    pool_id          text        NOT NULL,
    calendar_id      text        NOT NULL,
    position         integer     NOT NULL,
    weight           integer     NOT NULL DEFAULT 1,
    assigned         bigint      NOT NULL DEFAULT 0,
    last_turn        bigint      NOT NULL DEFAULT 0,
    last_assigned_at timestamptz,
    CONSTRAINT pool_members_pkey PRIMARY KEY (org_id, pool_id, calendar_id),
    CONSTRAINT pool_members_weight CHECK (weight BETWEEN 1 AND 1000)
);
COMMENT ON TABLE booking.pool_members IS
    'Each pool''s members and their fairness counters: assigned counts the bookings the pool gave the member since set_pool last wrote the pool, last_turn orders the last assignments (0: never). Moved by the booking''s own transaction.';
SELECT pg_catalog.pg_extension_config_dump('booking.pool_members', '');
ALTER TABLE booking.pool_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY pool_members_own_organisation ON booking.pool_members
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY pool_members_own_organisation ON booking.pool_members IS
    'A tenant role sees only the pools of the organisation it acts in.';

CREATE FUNCTION booking.set_pool(org_id uuid, pool_id text, calendars text[],
                                 strategy text DEFAULT 'round_robin', weights jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_set_pool'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.set_pool(uuid, text, text[], text, jsonb) IS
    'Creates or replaces a pool: 2 to 50 member calendars (each a calendar set up with set_calendar, none a pool, none twice), strategy round_robin or first_free, and round_robin''s weights {"calendar_id": 1..1000}. Anything else raises 22023 and changes nothing. Its id then goes wherever a calendar id does: join_waitlist waits for any member; claim_slot and book book one member free for the whole request (its rules included) and answer calendar_id (the member) and pool_id; check_availability answers available when some member is free; free_slots answers the union, places_left counting the free members; book_series and with_calendars refuse a pool (0A000). Writing a pool starts its counters afresh. Answers {success, pool_id, calendars, strategy}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.drop_pool(org_id uuid, pool_id text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_drop_pool'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.drop_pool(uuid, text) IS
    'Removes a pool and its counters; its members'' reservations stay. Answers {success, pool_id, dropped} (dropped false when there was none). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
