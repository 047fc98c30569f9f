-------------------------------------------------------------------------------
-- Housekeeping and compatibility.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.expire_holds(batch_size integer DEFAULT 1000)
RETURNS integer
AS 'MODULE_PATHNAME', 'booking_expire_holds'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.expire_holds(integer) IS
    'Moves up to batch_size lapsed holds to expired (one audit row each) and returns how many. Schedule it (pg_cron or any scheduler) when the worker is not preloaded; correctness never depends on it. Security: runs as the caller (not SECURITY DEFINER); a caller bound to one organisation sweeps only its own. It works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.slot_lock_key(org_id uuid, starts_at timestamptz)
RETURNS bigint
AS 'MODULE_PATHNAME', 'booking_slot_lock_key'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION booking.slot_lock_key(uuid, timestamptz) IS
    'The seed''s hashSlotToInt64, bit for bit: SHA-256 of org_id || ''_'' || ISO-8601 UTC with milliseconds and Z, first 8 bytes as a signed big-endian bigint.';

CREATE FUNCTION booking.claim_slot_atomic(org_id uuid, calendar_id text, slot_time timestamptz,
                                          call_id text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_claim_slot_atomic'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.claim_slot_atomic(uuid, text, timestamptz, text) IS
    'Seed-compatible claim_slot: a 30-minute hold with call_id as caller_ref. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.confirm_held_slot(hold_id uuid, org_id uuid, contact_id uuid DEFAULT NULL,
                                          service_type text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_confirm_held_slot'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.confirm_held_slot(uuid, uuid, uuid, text) IS
    'Seed-compatible confirm_hold (note the seed''s argument order: hold_id first). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.book_appointment_with_lock(p_org_id uuid, p_contact_id uuid,
                                                   p_scheduled_at timestamptz,
                                                   p_lock_key bigint DEFAULT NULL,
                                                   p_duration_minutes integer DEFAULT 30,
                                                   p_service_id uuid DEFAULT NULL,
                                                   p_notes text DEFAULT NULL,
                                                   p_metadata jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_book_appointment_with_lock'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.book_appointment_with_lock(uuid, uuid, timestamptz, bigint, integer, uuid, text, jsonb) IS
    'Seed-compatible book on the calendar ''primary''; p_lock_key is accepted and not needed (the calendar lock covers overlapping ranges, not one start time). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.cleanup_expired_holds()
RETURNS integer
AS 'MODULE_PATHNAME', 'booking_cleanup_expired_holds'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.cleanup_expired_holds() IS
    'Seed-compatible expire_holds: expires every lapsed hold (up to 100000) and returns how many. Security: runs as the caller (not SECURITY DEFINER); a caller bound to one organisation sweeps only its own. It works as the tables'' owner with search_path pinned to pg_catalog.';
