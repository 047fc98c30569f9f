-------------------------------------------------------------------------------
-- The tenant a caller acts in (row-level security policies use it).
-------------------------------------------------------------------------------

CREATE FUNCTION booking.current_org_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'booking_current_org_id'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION booking.current_org_id() IS
    'The organisation the caller acts in: booking.org_id, or else request.jwt.claims ->> ''org_id'' (as PostgREST sets it); NULL when neither names one. The row-level security policies use it.';
