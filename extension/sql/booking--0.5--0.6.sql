-- booking 0.5 -> 0.6. Every statement may run again on a database already at
-- 0.6 (IF NOT EXISTS, ON CONFLICT DO NOTHING, COMMENT), since Citus workers
-- run upgrade scripts too; the upgrade suite runs it a second time, after
-- the upgrade scripts before it, outside ALTER EXTENSION.
-- What it brings: any number of calendars in one transaction (the overlap
-- guard's statement trigger, which lets go of the lock of a statement's last
-- row past a transaction's budget of calendar locks), and
-- import_appointments with the audit ids its statement gives.
\echo Use "ALTER EXTENSION booking UPDATE TO '0.6'" to load this file. \quit

CREATE OR REPLACE FUNCTION booking.guard_overlap_end()
RETURNS trigger
AS 'MODULE_PATHNAME', 'booking_guard_overlap_end'
LANGUAGE C;
COMMENT ON FUNCTION booking.guard_overlap_end() IS
    'Statement trigger: a transaction that has written more calendars than it keeps locked to its end (half of max_locks_per_transaction) holds a further calendar''s lock only while its row goes in; this lets go of the last one when the statement ends.';
-- Citus copies a distributed table's triggers to its shards only when told
-- that they are safe (as distribute_by_tenant() says).
DO $$ BEGIN PERFORM set_config('citus.enable_unsafe_triggers', 'on', true); END $$;
DROP TRIGGER IF EXISTS reservations_no_overlap_end ON booking.reservations;
CREATE TRIGGER reservations_no_overlap_end
    AFTER INSERT OR UPDATE ON booking.reservations
    FOR EACH STATEMENT EXECUTE FUNCTION booking.guard_overlap_end();
ALTER TABLE booking.reservations ENABLE ALWAYS TRIGGER reservations_no_overlap_end;
COMMENT ON TRIGGER reservations_no_overlap_end ON booking.reservations IS
    'The end of a write of reservations: the calendar lock reservations_no_overlap held for the statement''s last row alone (past the transaction''s budget of calendar locks) is let go.';

CREATE OR REPLACE FUNCTION booking.new_audit_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'booking_new_audit_id'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.new_audit_id() IS
    'A new audit row id: a UUIDv7 of now, so that the audit log ordered by id is ordered by time. Used by import_appointments'' statement; owner-only.';

CREATE OR REPLACE FUNCTION booking.import_appointments(source text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_import_appointments'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.import_appointments(text) IS
    'Imports existing appointments: source is one query, run as the caller with the caller''s search_path, whose columns are named like booking''s (org_id, calendar_id, starts_at, and ends_at or duration; optionally id, status (confirmed by default; held is refused, 22023), contact_id, service_id, notes, metadata, patient_name, patient_phone). Rows are written per calendar in start order, through the overlap guard; a row that would overlap one already in booking or one the import took before it is skipped, not refused. Answers {success, imported, skipped, conflicts: [{org_id, calendar_id, starts_at, ends_at, overlaps_id}]} (the first 1000 conflicts). Audited: one imported row per reservation, one import row per organisation with its counts. Owner-only; before distribute_by_tenant() (0A000 after).';

INSERT INTO booking.access_profiles (profile, ordinal, kind, object) VALUES
    ('owner', 84, 'function', 'import_appointments'),
    ('owner', 85, 'function', 'new_audit_id'),
    ('owner', 86, 'function', 'guard_overlap_end')
ON CONFLICT (profile, kind, object) DO NOTHING;
REVOKE EXECUTE ON FUNCTION booking.import_appointments(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION booking.new_audit_id() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION booking.guard_overlap_end() FROM PUBLIC;

COMMENT ON COLUMN booking.audit_log.action IS
    'claimed, released, expired, extended, confirmed, booked, cancelled, pii_erased, rescheduled, otp_sent, otp_withdrawn (a code taken back because its SMS could not be sent; details.sends: the hold''s sends after it), otp_attempt (details.result: match, mismatch, expired, key_rotated, not_issued, invalid_format), locked, role_bound, role_unbound (details.role), calendar_set (no entity_id; details: the calendar''s settings), refused (a call refused by a rule a clinic sets, nothing else changed; entity_id: the appointment when one was named; details: rule, error, calendar_id, starts_at), org_policy_set (no entity_id; details.policy: the values the organisation set), waitlist_offered (entity_id: the offered hold; details: calendar_id, waitlist_id, starts_at, ends_at, expires_at), imported (a reservation brought in by import_appointments; details: calendar_id, starts_at, ends_at, status), import (no entity_id; one per organisation and import: details.imported, details.skipped).';
