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

-- Roles the owner bound to one organisation: such a role acts there whatever
-- any setting or claim says (see extension/pg/tenancy/tenant_binding.hpp).
CREATE TABLE booking.role_bindings (
    role     regrole     NOT NULL,
    org_id   uuid        NOT NULL,
    bound_at timestamptz NOT NULL DEFAULT now(),
    bound_by text        NOT NULL DEFAULT current_user,
    CONSTRAINT role_bindings_pkey PRIMARY KEY (role)
);
COMMENT ON TABLE booking.role_bindings IS
    'Roles bound to one organisation by the owner (bind_role / unbind_role). A bound role, or a session whose login role is bound, acts only in that organisation: booking.org_id or request.jwt.claims naming another raise 42501. Owner-only; kept by pg_dump.';
COMMENT ON COLUMN booking.role_bindings.role IS
    'The bound role (a login role, or a role reached with SET ROLE). Stored by OID, so a rename keeps the binding.';
SELECT pg_catalog.pg_extension_config_dump('booking.role_bindings', '');
CREATE TRIGGER role_bindings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.role_bindings
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.role_bindings ENABLE ALWAYS TRIGGER role_bindings_changed;
COMMENT ON TRIGGER role_bindings_changed ON booking.role_bindings IS
    'Every backend reads the bindings again after a change commits.';
ALTER TABLE booking.role_bindings ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION booking.bind_role(role regrole, org_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_bind_role'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.bind_role(regrole, uuid) IS
    'Binds a role to one organisation (the owner''s call): the role, and every session whose login role it is, then acts in that organisation only, whatever booking.org_id or request.jwt.claims say. Rebinding moves it. Answers {success, role, org_id, previous_org_id}; writes role_bound (and role_unbound) audit rows.';

CREATE FUNCTION booking.unbind_role(role regrole)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_unbind_role'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.unbind_role(regrole) IS
    'Removes a role''s binding (the owner''s call): {success, role, org_id, was_bound}.';

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
