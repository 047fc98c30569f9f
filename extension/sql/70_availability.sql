-------------------------------------------------------------------------------
-- Availability.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.check_availability(org_id uuid, calendar_id text, starts_at timestamptz,
                                           duration interval)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_check_availability'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.check_availability(uuid, text, timestamptz, interval) IS
    'Whether a slot is free now: available, the conflicts in its way (for a calendar of capacity above 1, the reservations sharing it and places_left), and alternatives when it is not. Nothing is reserved: claim_slot or book does that. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';

CREATE FUNCTION booking.free_slots(org_id uuid, calendar_id text, from_ts timestamptz,
                                   until_ts timestamptz, duration interval,
                                   max_results integer DEFAULT 10)
RETURNS TABLE (starts_at timestamptz, ends_at timestamptz, places_left integer)
AS 'MODULE_PATHNAME', 'booking_free_slots'
LANGUAGE C STABLE PARALLEL UNSAFE ROWS 10;
COMMENT ON FUNCTION booking.free_slots(uuid, text, timestamptz, timestamptz, interval, integer) IS
    'Free slots of the given duration on the calendar''s grid within [from_ts, until_ts), earliest first, at most max_results (1..1000), each with places_left, how many more reservations of that slot its calendar would take (always 1 at capacity 1); the window is cut at booking.search_horizon, and at the calendar''s max_advance (nothing starting later than now plus it); no slot starts on a local day or ISO week that the calendar''s max_per_day or max_per_week has filled. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';
