-------------------------------------------------------------------------------
-- An organisation's own policy (set_org_policy): limits it may only tighten,
-- and the per-contact and per-phone rows that serialise its contact cap and
-- its SMS cost guard.
-------------------------------------------------------------------------------

CREATE TABLE booking.org_policies (
    org_id                   uuid        NOT NULL,
    hold_ttl                 interval,
    max_hold_ttl             interval,
    otp_digits               integer,
    otp_ttl                  interval,
    otp_max_attempts         integer,
    otp_max_sends            integer,
    otp_resend_interval      interval,
    max_active_per_contact   integer,
    otp_sends_per_phone_hour integer,
    updated_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT org_policies_pkey PRIMARY KEY (org_id)
);
COMMENT ON TABLE booking.org_policies IS
    'Each organisation''s own limits, written by set_org_policy: a column NULL means the server''s setting of that name (booking.hold_ttl, booking.max_hold_ttl, ...). A value may only be stricter than the server''s; a call uses the strictest of the server''s, the organisation''s and (for a tenant role tightening in its own transaction) the session''s. No row: the server''s values. Distributed by tenant with the other tables on Citus.';
COMMENT ON COLUMN booking.org_policies.max_active_per_contact IS
    'The most blocking reservations starting in the future one contact (its contact_id, else its patient_phone reduced to digits) may hold in the organisation across its calendars; NULL means booking.max_active_per_contact (0 there: no cap).';
COMMENT ON COLUMN booking.org_policies.otp_sends_per_phone_hour IS
    'The most codes issue_otp sends to one phone number (reduced to digits) in a rolling hour, across the organisation''s holds; NULL means booking.otp_sends_per_phone_hour.';
SELECT pg_catalog.pg_extension_config_dump('booking.org_policies', '');
CREATE TRIGGER org_policies_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.org_policies
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.org_policies ENABLE ALWAYS TRIGGER org_policies_changed;
COMMENT ON TRIGGER org_policies_changed ON booking.org_policies IS
    'Keeps the per-backend copy of the organisations'' policies in step with the table: every session sees a change at its next transaction.';
ALTER TABLE booking.org_policies ENABLE ROW LEVEL SECURITY;

CREATE TABLE booking.contact_locks (
    org_id      uuid          NOT NULL,
    contact_key text          NOT NULL,
    touched_at  timestamptz   NOT NULL,
    sends       timestamptz[] NOT NULL DEFAULT '{}',
    CONSTRAINT contact_locks_pkey PRIMARY KEY (org_id, contact_key)
);
COMMENT ON TABLE booking.contact_locks IS
    'One row per phone the SMS cost guard counts sends to (contact_key sms:<digits>) and, with the tables distributed by Citus, per contact the contact cap counts for (c:<contact_id> or p:<digits>), locked by the call that counts: its row lock, on the tenant''s shard, serialises the callers of one phone or contact across calendars and across Citus nodes, which an advisory lock on a node without the shard could not (on one node the cap takes an advisory lock and writes no row). sends: the SMS guard''s sends to the phone in the last hour. Rows untouched for a day are deleted by expire_holds. Owner-only; not dumped (a restore starts the windows afresh).';
CREATE INDEX contact_locks_touched ON booking.contact_locks (touched_at);
COMMENT ON INDEX booking.contact_locks_touched IS 'Idle rows, for expire_holds().';
ALTER TABLE booking.contact_locks ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION booking.set_org_policy(org_id uuid, hold_ttl interval DEFAULT NULL,
                                       max_hold_ttl interval DEFAULT NULL,
                                       otp_digits integer DEFAULT NULL,
                                       otp_ttl interval DEFAULT NULL,
                                       otp_max_attempts integer DEFAULT NULL,
                                       otp_max_sends integer DEFAULT NULL,
                                       otp_resend_interval interval DEFAULT NULL,
                                       max_active_per_contact integer DEFAULT NULL,
                                       otp_sends_per_phone_hour integer DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_set_org_policy'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.set_org_policy(uuid, interval, interval, integer, interval, integer, integer, interval, integer, integer) IS
    'Sets the organisation''s own limits, each only stricter than the server''s setting of the same name (shorter TTLs, fewer attempts and sends, a longer resend interval, more digits, a lower cap; anything looser raises 22023 naming the setting and the server''s value); NULL restores the server''s value. max_active_per_contact caps the blocking reservations one contact holds in the future (contact_limit_reached); otp_sends_per_phone_hour the codes sent to one phone per rolling hour (otp_phone_limit). Every session uses them from its next transaction. Answers {success, policy: {one key per argument, the effective value: integers as numbers, intervals as interval text}}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.org_policy(org_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_org_policy'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.org_policy(uuid) IS
    'The organisation''s limits in effect for a call in this session, as set_org_policy answers them: {success, policy: {hold_ttl, max_hold_ttl, otp_digits, otp_ttl, otp_max_attempts, otp_max_sends, otp_resend_interval, max_active_per_contact (0: no cap), otp_sends_per_phone_hour}}. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';
