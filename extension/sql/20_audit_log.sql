-------------------------------------------------------------------------------
-- The audit log.
-------------------------------------------------------------------------------

CREATE TABLE booking.audit_log (
    org_id    uuid        NOT NULL,
    id        uuid        NOT NULL,
    at        timestamptz NOT NULL,
    action    text        NOT NULL,
    entity_id uuid,
    actor     text        NOT NULL,
    details   jsonb       NOT NULL DEFAULT '{}',
    CONSTRAINT audit_log_pkey PRIMARY KEY (org_id, id)
);
COMMENT ON TABLE booking.audit_log IS
    'One row per state change. id is a UUIDv7: ordering by id orders by time. Rows carry no free text from callers and never an OTP code or hash.';
COMMENT ON COLUMN booking.audit_log.action IS
    'claimed, released, expired, extended, confirmed, booked, cancelled, pii_erased, rescheduled, otp_sent, otp_withdrawn (a code taken back because its SMS could not be sent; details.sends: the hold''s sends after it), otp_attempt (details.result: match, mismatch, expired, key_rotated, not_issued, invalid_format), locked, role_bound, role_unbound (details.role), calendar_set (no entity_id; details: the calendar''s settings), refused (a call refused by a rule a clinic sets, nothing else changed; entity_id: the appointment when one was named; details: rule, error, calendar_id, starts_at), org_policy_set (no entity_id; details.policy: the values the organisation set), waitlist_offered (entity_id: the offered hold; details: calendar_id, waitlist_id, starts_at, ends_at, expires_at), imported (a reservation brought in by import_appointments; details: calendar_id, starts_at, ends_at, status), import (no entity_id; one per organisation and import: details.imported, details.skipped).';
COMMENT ON COLUMN booking.audit_log.actor IS
    'The role that made the call.';
