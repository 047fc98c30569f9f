-------------------------------------------------------------------------------
-- Importing what clinics already have (README "Moving to booking").
-------------------------------------------------------------------------------

CREATE FUNCTION booking.new_audit_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'booking_new_audit_id'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.new_audit_id() IS
    'A new audit row id: a UUIDv7 of now, so that the audit log ordered by id is ordered by time. Used by import_appointments'' statement; owner-only.';

CREATE FUNCTION booking.import_appointments(source text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_import_appointments'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.import_appointments(text) IS
    'Imports existing appointments: source is one query, run as the caller with the caller''s search_path, whose columns are named like booking''s (org_id, calendar_id, starts_at, and ends_at or duration; optionally id, status (confirmed by default; held is refused, 22023), contact_id, service_id, notes, metadata, patient_name, patient_phone). Rows are written per calendar in start order, through the overlap guard; a row that would overlap one already in booking or one the import took before it is skipped, not refused. Answers {success, imported, skipped, conflicts: [{org_id, calendar_id, starts_at, ends_at, overlaps_id}]} (the first 1000 conflicts). Audited: one imported row per reservation, one import row per organisation with its counts. Owner-only; before distribute_by_tenant() (0A000 after).';
