-------------------------------------------------------------------------------
-- Tenancy and access.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.grant_access(role regrole, profile text)
RETURNS text[]
AS 'MODULE_PATHNAME', 'booking_grant_access'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.grant_access(regrole, text) IS
    'Grants a role one access profile: agent (holds, code verification, availability, booking), sms_sender (issue_otp, hold_status), staff (everything but issue_otp, and reading its organisation''s rows) or monitor (the server-wide live statistics). Returns the statements it ran. Run it as the extension''s owner.';

CREATE FUNCTION booking.revoke_access(role regrole)
RETURNS text[]
AS 'MODULE_PATHNAME', 'booking_revoke_access'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.revoke_access(regrole) IS
    'Revokes every right grant_access can give. Returns the statements it ran.';

-- Row-level security: a tenant role reads its own organisation's rows only,
-- and writes nothing directly (the functions write, as the tables' owner).
ALTER TABLE booking.reservations ENABLE ROW LEVEL SECURITY;
CREATE POLICY reservations_own_organisation ON booking.reservations
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY reservations_own_organisation ON booking.reservations IS
    'A tenant role sees only the rows of the organisation it acts in.';
ALTER TABLE booking.audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_own_organisation ON booking.audit_log
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY audit_log_own_organisation ON booking.audit_log IS
    'A tenant role sees only the rows of the organisation it acts in.';
-- No policy at all: nobody but the owner reads codes or the key.
ALTER TABLE booking.otp_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking.otp_secret ENABLE ROW LEVEL SECURITY;

-- Nothing is open to PUBLIC but the pure helpers; grant_access() gives the rest.
REVOKE ALL ON ALL TABLES IN SCHEMA booking FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA booking FROM PUBLIC;
GRANT EXECUTE ON FUNCTION booking.blocking_range(timestamptz, timestamptz, interval, interval),
                          booking.slot_lock_key(uuid, timestamptz),
                          booking.current_org_id()
    TO PUBLIC;
