-------------------------------------------------------------------------------
-- One-time codes: only a keyed hash, in a table no tenant role can read.
-------------------------------------------------------------------------------

CREATE TABLE booking.otp_codes (
    org_id     uuid        NOT NULL,
    hold_id    uuid        NOT NULL,
    code_mac   bytea       NOT NULL,
    key_id     bytea       NOT NULL,
    digits     smallint    NOT NULL,
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    previous_sent_at timestamptz,
    CONSTRAINT otp_codes_pkey PRIMARY KEY (org_id, hold_id)
);
COMMENT ON TABLE booking.otp_codes IS
    'The current code of each hold as HMAC-SHA-256 over (org_id, hold_id, code), never the code, with a fingerprint of the key it was made under (key_id) and its length (digits): a code is checked in the form it was issued, whatever booking.otp_digits says at the time. Owner-only: row-level security with no policy. Not dumped: after a restore, callers ask for a new code.';
COMMENT ON COLUMN booking.otp_codes.digits IS
    'How many digits the code was issued with; what a caller types is judged against it.';
COMMENT ON COLUMN booking.otp_codes.previous_sent_at IS
    'The hold''s otp_sent_at before this code was issued (NULL: this was its first send, or the code was issued before release 0.3): withdraw_otp puts it back, with the send count, when the code''s SMS could not be sent.';
CREATE INDEX otp_codes_expiry ON booking.otp_codes (expires_at);
COMMENT ON INDEX booking.otp_codes_expiry IS 'Lapsed codes, for expire_holds().';

CREATE TABLE booking.otp_secret (
    id         integer     NOT NULL DEFAULT 1,
    key        bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT otp_secret_pkey PRIMARY KEY (id),
    CONSTRAINT otp_secret_single_row CHECK (id = 1)
);
COMMENT ON TABLE booking.otp_secret IS
    'The random per-database key of the codes'' keyed hash, made on first use when booking.otp_key is unset. Owner-only; not dumped. Deleting the row rotates the key.';

-- Backends keep copies of two tables' rows (the code key below, calendar
-- rules in 75_calendars.sql); any change to either makes them read it again
-- (a relcache invalidation on commit, and at once in this backend). The
-- triggers fire ALWAYS, so changes applied by logical replication count too.
CREATE FUNCTION booking.cached_table_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'booking_cached_table_changed'
LANGUAGE C;
COMMENT ON FUNCTION booking.cached_table_changed() IS
    'Trigger (statement level): every backend drops its copy of the table''s rows (the code key of booking.otp_secret, the calendar rules of booking.calendars) when a change to it commits.';
CREATE TRIGGER otp_secret_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.otp_secret
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.otp_secret ENABLE ALWAYS TRIGGER otp_secret_changed;
COMMENT ON TRIGGER otp_secret_changed ON booking.otp_secret IS
    'Keeps the per-backend copy of the code key in step with the table (a rotation takes effect in every backend).';
