-------------------------------------------------------------------------------
-- The waitlist: callers waiting for time on a calendar, each offered a hold
-- when time is freed there, in the order they joined.
-------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS booking.waitlist (
    org_id           uuid        NOT NULL,
    id               uuid        NOT NULL,
    calendar_id      text        NOT NULL,
    from_ts          timestamptz NOT NULL,
    until_ts         timestamptz NOT NULL,
    duration         interval    NOT NULL,
    patient_phone    text,
    patient_name     text,
    contact_id       uuid,
    caller_ref       text,
    status           text        NOT NULL DEFAULT 'waiting',
    hold_id          uuid,
    offer_starts_at  timestamptz,
    offer_ends_at    timestamptz,
    offer_expires_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    changed_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT waitlist_pkey PRIMARY KEY (org_id, id),
    CONSTRAINT waitlist_status CHECK (status IN ('waiting', 'offered', 'booked', 'left', 'lapsed', 'expired')),
    CONSTRAINT waitlist_window CHECK (until_ts > from_ts),
    CONSTRAINT waitlist_duration CHECK (duration > interval '0'),
    CONSTRAINT waitlist_offer CHECK ((status = 'waiting') = (hold_id IS NULL) OR status IN ('left', 'expired'))
);
COMMENT ON TABLE booking.waitlist IS
    'Callers waiting for time on a calendar (join_waitlist): when a write frees blocking time there, the earliest-joined waiting entry whose window holds a free slot of its duration is offered a hold on the earliest one, in the same transaction. Written only through join_waitlist, leave_waitlist and the writes that free or settle time. Owner-only: read it through waitlist_status.';
COMMENT ON COLUMN booking.waitlist.id IS
    'A UUIDv7: entries are served, and positions counted, in the order of their ids, which is the order they joined.';
COMMENT ON COLUMN booking.waitlist.status IS
    'waiting, offered (hold_id holds a slot for it), booked (the hold was confirmed), left (leave_waitlist), lapsed (the offer was released or its hold lapsed), expired (until_ts passed while waiting; waitlist_status says so before the row does).';
COMMENT ON COLUMN booking.waitlist.hold_id IS
    'The offered hold (caller_ref ''waitlist:'' || id), confirmed like any hold; the offer''s slot and the hold''s expiry are offer_starts_at, offer_ends_at and offer_expires_at.';
COMMENT ON CONSTRAINT waitlist_offer ON booking.waitlist IS
    'A waiting entry has no offer; an offered, booked or lapsed one has its hold.';
CREATE INDEX IF NOT EXISTS waitlist_waiting ON booking.waitlist (org_id, calendar_id, id)
    INCLUDE (from_ts, until_ts) WHERE status = 'waiting';
COMMENT ON INDEX booking.waitlist_waiting IS
    'The waiting entries of a calendar in join order, with their windows: a write that frees time finds the first whose window meets it, and with nobody waiting pays one probe of an empty range.';
CREATE INDEX IF NOT EXISTS waitlist_live ON booking.waitlist (org_id, calendar_id, id)
    WHERE status IN ('waiting', 'offered');
COMMENT ON INDEX booking.waitlist_live IS
    'The live entries of a calendar in join order: what a position counts.';
CREATE UNIQUE INDEX IF NOT EXISTS waitlist_caller_ref ON booking.waitlist (org_id, caller_ref)
    WHERE caller_ref IS NOT NULL AND status IN ('waiting', 'offered');
COMMENT ON INDEX booking.waitlist_caller_ref IS
    'One live entry per caller_ref and organisation: a repeated join_waitlist answers the entry it made.';
CREATE INDEX IF NOT EXISTS waitlist_offers ON booking.waitlist (org_id, hold_id)
    WHERE status = 'offered';
COMMENT ON INDEX booking.waitlist_offers IS
    'The entry an offered hold was made for: a confirm, release or expiry settles it with one probe.';
SELECT pg_catalog.pg_extension_config_dump('booking.waitlist', '');
ALTER TABLE booking.waitlist ENABLE ROW LEVEL SECURITY;

CREATE OR REPLACE FUNCTION booking.join_waitlist(org_id uuid, calendar_id text, from_ts timestamptz,
                                                 until_ts timestamptz, duration interval DEFAULT '30 minutes',
                                                 patient_phone text DEFAULT NULL, patient_name text DEFAULT NULL,
                                                 contact_id uuid DEFAULT NULL, caller_ref text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_join_waitlist'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.join_waitlist(uuid, text, timestamptz, timestamptz, interval, text, text, uuid, text) IS
    'Puts a caller on the waitlist of a calendar, or of a pool (any member), for a slot of duration starting and ending within [from_ts, until_ts): {success, waitlist_id, position, status: "waiting"}; position counts the live entries of the calendar (or pool) that joined earlier, plus one. When a write frees time on a calendar (cancel, release, reschedule, a lapsed hold swept), the earliest-joined waiting entry of the calendar or of a pool it belongs to whose window holds a free slot there gets a hold on the earliest one (caller_ref ''waitlist:'' || waitlist_id, TTL booking.waitlist_offer_ttl) in the same transaction, and the event waitlist_offered. A caller_ref has one live entry: joining again answers it (existing: true). A window that ends before it starts, is shorter than the duration or has passed raises 22023. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE OR REPLACE FUNCTION booking.leave_waitlist(org_id uuid, waitlist_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_leave_waitlist'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.leave_waitlist(uuid, uuid) IS
    'Takes an entry off the waitlist: {success, waitlist_id, status: "left"}; leaving twice answers the same. An entry holding an offer gives its hold back, and the time goes to the next in line. Errors waitlist_not_found, waitlist_not_active (booked, lapsed or expired; status). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE OR REPLACE FUNCTION booking.waitlist_status(org_id uuid, waitlist_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_waitlist_status'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.waitlist_status(uuid, uuid) IS
    'An entry as the caller''s agent needs it: {success, waitlist_id, calendar_id, status (waiting, offered, booked, left, lapsed, expired), position (null unless waiting or offered), hold_id, starts_at, ends_at, offer_expires_at (null until an offer), from_ts, until_ts}. Error waitlist_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';
