-------------------------------------------------------------------------------
-- The tenant a caller acts in (row-level security policies use it).
-------------------------------------------------------------------------------

CREATE FUNCTION booking.current_org_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'booking_current_org_id'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION booking.current_org_id() IS
    'The organisation the caller acts in: its role''s binding (bind_role), booking.org_id set for the transaction, or request.jwt.claims ->> ''org_id'' set for the transaction (as PostgREST does); NULL when none names one; 42501 when they disagree. The row-level security policies use it. Security: runs as the caller; the role bindings are read as the tables'' owner. STABLE: within a statement the binding does not change.';
