-------------------------------------------------------------------------------
-- Tenancy and access.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.grant_access(role regrole, profile text)
RETURNS text[]
AS 'MODULE_PATHNAME', 'booking_grant_access'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.grant_access(regrole, text) IS
    'Grants a role one access profile: agent (holds, code verification, availability, booking, series), sms_sender (issue_otp, withdraw_otp, hold_status), staff (everything but issuing and withdrawing codes, and reading its organisation''s rows) or monitor (the server-wide live statistics), as booking.access_profiles lists them. Returns the statements it ran. Run it as the extension''s owner. Security: runs as the caller (not SECURITY DEFINER): the profiles are read from booking.access_profiles as the tables'' owner, and the statements run with the caller''s own rights.';

CREATE FUNCTION booking.revoke_access(role regrole)
RETURNS text[]
AS 'MODULE_PATHNAME', 'booking_revoke_access'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.revoke_access(regrole) IS
    'Revokes every right grant_access can give. Returns the statements it ran. Security: runs as the caller (not SECURITY DEFINER): the profiles are read from booking.access_profiles as the tables'' owner, and the statements run with the caller''s own rights.';

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
    'Binds a role to one organisation (the owner''s call): the role, and every session whose login role it is, then acts in that organisation only, whatever booking.org_id or request.jwt.claims say. Rebinding moves it. Answers {success, role, org_id, previous_org_id}; writes role_bound (and role_unbound) audit rows. Security: runs as the caller (not SECURITY DEFINER); refused (42501) unless the caller has the rights of the tables'' owner, as whom it then writes, search_path pinned to pg_catalog.';

CREATE FUNCTION booking.unbind_role(role regrole)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_unbind_role'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.unbind_role(regrole) IS
    'Removes a role''s binding (the owner''s call): {success, role, org_id, was_bound}. Security: runs as the caller (not SECURITY DEFINER); refused (42501) unless the caller has the rights of the tables'' owner, as whom it then writes, search_path pinned to pg_catalog.';

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
-- No policy at all: nobody but the owner reads codes or the key, nor the
-- links of sets and series (the views show set_id and series_id).
ALTER TABLE booking.otp_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking.reservation_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking.otp_secret ENABLE ROW LEVEL SECURITY;

-- Who may call and read what: the one list of it. grant_access and
-- revoke_access read it (the library holds no copy), the grants to PUBLIC and
-- to pg_monitor below are made from it, and a pgTAP test fails when a
-- function or relation of the schema is in no row. Rows are given out in
-- ordinal order, as grant_access answers them.
CREATE TABLE booking.access_profiles (
    profile text    NOT NULL,
    object  text    NOT NULL,
    kind    text    NOT NULL,
    ordinal integer NOT NULL,
    CONSTRAINT access_profiles_pkey PRIMARY KEY (profile, kind, object),
    CONSTRAINT access_profiles_ordinal UNIQUE (ordinal),
    CONSTRAINT access_profiles_profile
        CHECK (profile IN ('agent', 'sms_sender', 'staff', 'monitor', 'public', 'owner')),
    CONSTRAINT access_profiles_kind CHECK (kind IN ('function', 'relation'))
);
COMMENT ON TABLE booking.access_profiles IS
    'Which access profile may call which function (kind function: EXECUTE) and read which table or view (kind relation: SELECT): agent, sms_sender, staff and monitor are what grant_access(role, profile) grants; public names the pure helpers every role may call; owner names what only the tables'' owner uses (role bindings, profile grants, the statistics reset, the trigger functions, the owner-only tables). Every function and relation of the schema is in some row. Part of the extension''s definition: not dumped, and changed only by upgrade scripts. Owner-only.';
COMMENT ON COLUMN booking.access_profiles.ordinal IS
    'The order grant_access and revoke_access give the statements in.';
COMMENT ON INDEX booking.access_profiles_ordinal IS 'One place in the order per row.';
INSERT INTO booking.access_profiles (profile, ordinal, kind, object) VALUES
    -- agent: a voice agent or booking widget acting for callers.
    ('agent', 1, 'function', 'claim_slot'),
    ('agent', 2, 'function', 'extend_hold'),
    ('agent', 3, 'function', 'release_hold'),
    ('agent', 4, 'function', 'hold_status'),
    ('agent', 5, 'function', 'verify_otp'),
    ('agent', 6, 'function', 'book'),
    ('agent', 7, 'function', 'check_availability'),
    ('agent', 8, 'function', 'free_slots'),
    ('agent', 9, 'function', 'claim_slot_atomic'),
    -- sms_sender: the service that delivers codes.
    ('sms_sender', 10, 'function', 'issue_otp'),
    ('sms_sender', 11, 'function', 'hold_status'),
    -- staff: the back office; everything but issuing codes, and its rows.
    ('staff', 12, 'function', 'claim_slot'),
    ('staff', 13, 'function', 'extend_hold'),
    ('staff', 14, 'function', 'release_hold'),
    ('staff', 15, 'function', 'hold_status'),
    ('staff', 16, 'function', 'confirm_hold'),
    ('staff', 17, 'function', 'book'),
    ('staff', 18, 'function', 'cancel_appointment'),
    ('staff', 19, 'function', 'reschedule_appointment'),
    ('staff', 20, 'function', 'check_availability'),
    ('staff', 21, 'function', 'free_slots'),
    ('staff', 22, 'function', 'expire_holds'),
    ('staff', 23, 'function', 'claim_slot_atomic'),
    ('staff', 24, 'function', 'confirm_held_slot'),
    ('staff', 25, 'function', 'book_appointment_with_lock'),
    ('staff', 26, 'function', 'cleanup_expired_holds'),
    ('staff', 27, 'function', 'set_calendar'),
    ('staff', 28, 'function', 'appointments_outside_hours'),
    ('staff', 29, 'function', 'create_event_consumer'),
    ('staff', 30, 'function', 'drop_event_consumer'),
    ('staff', 31, 'function', 'read_events'),
    ('staff', 32, 'function', 'ack_events'),
    ('staff', 33, 'relation', 'reservations'),
    ('staff', 34, 'relation', 'audit_log'),
    ('staff', 35, 'relation', 'holds'),
    ('staff', 36, 'relation', 'appointments'),
    ('staff', 37, 'relation', 'calendars'),
    -- monitor: the server-wide statistics, never a tenant's.
    ('monitor', 38, 'function', 'stats'),
    ('monitor', 39, 'function', 'lock_wait_histogram'),
    ('monitor', 40, 'relation', 'stats'),
    -- public: pure helpers, executable by every role.
    ('public', 41, 'function', 'blocking_range'),
    ('public', 42, 'function', 'slot_lock_key'),
    ('public', 43, 'function', 'current_org_id'),
    -- owner: the tables' owner's alone.
    ('owner', 44, 'function', 'bind_role'),
    ('owner', 45, 'function', 'unbind_role'),
    ('owner', 46, 'function', 'grant_access'),
    ('owner', 47, 'function', 'revoke_access'),
    ('owner', 48, 'function', 'stats_reset'),
    ('owner', 49, 'function', 'guard_overlap'),
    ('owner', 50, 'function', 'cached_table_changed'),
    ('owner', 51, 'function', 'refuse_view_write'),
    ('owner', 52, 'relation', 'otp_codes'),
    ('owner', 53, 'relation', 'otp_secret'),
    ('owner', 54, 'relation', 'role_bindings'),
    ('owner', 55, 'relation', 'event_consumers'),
    ('owner', 56, 'relation', 'event_queue'),
    ('owner', 57, 'relation', 'event_log'),
    ('owner', 58, 'relation', 'access_profiles'),
    ('owner', 59, 'function', 'distribute_by_tenant'),
    -- A series books like book (the agent's and staff's); cancelling the rest
    -- of one cancels like cancel_appointment (staff's).
    ('agent', 60, 'function', 'book_series'),
    ('staff', 61, 'function', 'book_series'),
    ('staff', 62, 'function', 'cancel_series'),
    ('owner', 63, 'relation', 'reservation_links'),
    -- Whoever sends codes takes back those its provider could not deliver.
    ('sms_sender', 64, 'function', 'withdraw_otp'),
    -- An organisation's own policy: staff set it; agents may read it, to tell
    -- a caller why a limit applies.
    ('staff', 65, 'function', 'set_org_policy'),
    ('agent', 66, 'function', 'org_policy'),
    ('staff', 67, 'function', 'org_policy'),
    ('owner', 68, 'relation', 'org_policies'),
    ('owner', 69, 'relation', 'contact_locks'),
    -- The waitlist: whoever may claim a hold may put a caller on the list.
    ('agent', 70, 'function', 'join_waitlist'),
    ('agent', 71, 'function', 'leave_waitlist'),
    ('agent', 72, 'function', 'waitlist_status'),
    ('staff', 73, 'function', 'join_waitlist'),
    ('staff', 74, 'function', 'leave_waitlist'),
    ('staff', 75, 'function', 'waitlist_status'),
    ('owner', 76, 'relation', 'waitlist'),
    -- Pools (issue 24) are managed by whoever sets calendars.
    ('staff', 80, 'function', 'set_pool'),
    ('staff', 81, 'function', 'drop_pool'),
    ('staff', 82, 'relation', 'pools'),
    ('staff', 83, 'relation', 'pool_members'),
    -- Importing (issue 26), and the statement trigger of the overlap guard.
    ('owner', 84, 'function', 'import_appointments'),
    ('owner', 85, 'function', 'new_audit_id'),
    ('owner', 86, 'function', 'guard_overlap_end');
ALTER TABLE booking.access_profiles ENABLE ROW LEVEL SECURITY;

-- Nothing is open to PUBLIC but the pure helpers (the profile public);
-- grant_access() gives the rest, and pg_monitor gets the monitor profile.
REVOKE ALL ON ALL TABLES IN SCHEMA booking FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA booking FROM PUBLIC;
DO $$
DECLARE
    f text;
BEGIN
    FOR f IN SELECT object FROM booking.access_profiles
             WHERE profile = 'public' AND kind = 'function' ORDER BY ordinal LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION booking.%I TO PUBLIC', f);
    END LOOP;
END
$$;
SELECT booking.grant_access('pg_monitor', 'monitor');
