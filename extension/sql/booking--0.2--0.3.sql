-- booking 0.2 -> 0.3. Every statement may run again on a database already at
-- 0.3 (IF NOT EXISTS, ON CONFLICT DO NOTHING, COMMENT), since Citus workers
-- run upgrade scripts too; the upgrade suite runs it a second time, after
-- booking--0.1--0.2.sql, outside ALTER EXTENSION. What it brings:
--   - nothing held across a provider call (issue 21 §5): withdraw_otp, with
--     which an SMS sender that committed a code before calling its provider
--     takes it back when the SMS could not be sent, giving the send back;
--     each code records the hold's last send time before it
--     (otp_codes.previous_sent_at), which is what it gives back; every role
--     that may issue codes may withdraw them (the last section);
--   - booking.audit_log.action's comment names otp_withdrawn and
--     calendar_set.
\echo Use "ALTER EXTENSION booking UPDATE TO '0.3'" to load this file. \quit

-- What a withdrawal puts back: the hold's last send time before the code.
-- Codes issued before the update have none (a first send's NULL).
ALTER TABLE booking.otp_codes ADD COLUMN IF NOT EXISTS previous_sent_at timestamptz;
COMMENT ON COLUMN booking.otp_codes.previous_sent_at IS
    'The hold''s otp_sent_at before this code was issued (NULL: this was its first send, or the code was issued before release 0.3): withdraw_otp puts it back, with the send count, when the code''s SMS could not be sent.';

DO $do$
BEGIN
    IF to_regproc('booking.withdraw_otp') IS NULL THEN
        EXECUTE $sql$
CREATE FUNCTION booking.withdraw_otp(org_id uuid, hold_id uuid, code text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_withdraw_otp'
LANGUAGE C VOLATILE PARALLEL UNSAFE
$sql$;
        REVOKE EXECUTE ON FUNCTION booking.withdraw_otp FROM PUBLIC;
    END IF;
END
$do$;
COMMENT ON FUNCTION booking.withdraw_otp(uuid, uuid, text) IS
    'Takes back a code whose SMS could not be sent, naming it as issue_otp answered it (checked against its keyed hash in constant time): the code is gone and its send given back (the hold''s send count and last send time as before it was issued, so no resend wait), with an otp_withdrawn audit row: {success, hold_id, withdrawn, sends_left, otp_sent_at}. Only the hold''s current code of a live held hold is taken back; otherwise nothing changes: otp_replaced (a later send replaced it), otp_not_issued (no code, or withdrawn already), otp_expired (issued under an earlier key), hold_not_active (e.g. confirmed by a verification that came first; status), hold_expired, otp_locked, hold_not_found. A code not of 4 to 8 digits raises 22023. Not executable by PUBLIC: it comes with issue_otp in the sms_sender profile. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.issue_otp(uuid, uuid) IS
    'A fresh code for a live hold, for the caller''s SMS sender to deliver: {success, hold_id, code, digits, expires_at, sends_left, patient_phone}. A resend replaces the previous code. Errors hold_not_found, hold_expired, hold_not_active, otp_locked, otp_send_limit, otp_too_soon (retry_after_ms). Only its keyed hash is stored. Commit it before calling the SMS provider, and take it back with withdraw_otp when the SMS could not be sent. Not executable by PUBLIC: grant it to the SMS sender (grant_access(role, ''sms_sender'')). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
COMMENT ON FUNCTION booking.grant_access(regrole, text) IS
    'Grants a role one access profile: agent (holds, code verification, availability, booking, series), sms_sender (issue_otp, withdraw_otp, hold_status), staff (everything but issuing and withdrawing codes, and reading its organisation''s rows) or monitor (the server-wide live statistics), as booking.access_profiles lists them. Returns the statements it ran. Run it as the extension''s owner. Security: runs as the caller (not SECURITY DEFINER): the profiles are read from booking.access_profiles as the tables'' owner, and the statements run with the caller''s own rights.';
COMMENT ON COLUMN booking.audit_log.action IS
    'claimed, released, expired, extended, confirmed, booked, cancelled, pii_erased, rescheduled, otp_sent, otp_withdrawn (a code taken back because its SMS could not be sent; details.sends: the hold''s sends after it), otp_attempt (details.result: match, mismatch, expired, key_rotated, not_issued, invalid_format), locked, role_bound, role_unbound (details.role), calendar_set (no entity_id; details: the calendar''s settings).';
INSERT INTO booking.access_profiles (profile, ordinal, kind, object) VALUES
    ('sms_sender', 64, 'function', 'withdraw_otp')
ON CONFLICT (profile, kind, object) DO NOTHING;

-- Every role that may issue codes may take them back: an SMS sender granted
-- its profile before the update keeps its promise that a failed send costs
-- the caller nothing, without a new grant_access. The grants are made as the
-- database's own (booking.upgrade_grant_as_database, as booking--0.1--0.2.sql
-- gives back replaced functions' grants), not as the extension's initial
-- privileges, which pg_dump leaves out and which, from PostgreSQL 17, would
-- keep the role from being dropped. A helper for this script only, dropped at
-- its end.
CREATE OR REPLACE FUNCTION booking.upgrade_grant_as_database(statement text)
RETURNS void
AS 'MODULE_PATHNAME', 'booking_grant_as_database'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION booking.upgrade_grant_as_database(text) FROM PUBLIC;
DO $do$
DECLARE
    g text;
BEGIN
    FOR g IN
        SELECT format('GRANT EXECUTE ON FUNCTION booking.withdraw_otp TO %s',
                      CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END)
          FROM pg_proc p, aclexplode(p.proacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
         WHERE p.oid = 'booking.issue_otp(uuid, uuid)'::regprocedure
           AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner
         ORDER BY 1
    LOOP
        PERFORM booking.upgrade_grant_as_database(g);
    END LOOP;
END
$do$;
DROP FUNCTION booking.upgrade_grant_as_database(text);

-- The statistics are every tenant's together: who may read them (issue 21).
COMMENT ON FUNCTION booking.stats() IS
    'Live statistics of the whole server (all databases) since it started or since stats_reset(): counts of claims, bookings, confirms, releases, extensions, cancellations, reschedules, expiries, conflicts (slot_unavailable), busy answers, codes sent, matched and missed, lockouts; calendar lock requests and their waits (p50/p99 over all requests, 0 when granted at once); and the expiry worker''s state; node says which server they describe (cluster_name, else its port: on a Citus cluster each node has its own). Without preloading: preloaded is false, the rest NULL, and a NOTICE says why. The figures are every tenant''s together: a role that acts in one organisation (bound, or naming one in booking.org_id or its JWT claims) reads none of them, whatever it was granted (42501); the extension''s owner and members of pg_monitor always read them.';
COMMENT ON FUNCTION booking.lock_wait_histogram() IS
    'The calendar lock waits behind booking.stats(): requests that waited at least lower_us and less than upper_us microseconds, for each bucket that has any (bucket width at most 1/8 of its lower bound). Requests granted at once are in [0, 1). Read by the same roles as booking.stats().';
