-------------------------------------------------------------------------------
-- One-time codes: only a keyed hash, in a table no tenant role can read.
-------------------------------------------------------------------------------

CREATE TABLE booking.otp_codes (
    org_id     uuid        NOT NULL,
    hold_id    uuid        NOT NULL,
    code_mac   bytea       NOT NULL,
    key_id     bytea       NOT NULL,
    issued_at  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    CONSTRAINT otp_codes_pkey PRIMARY KEY (org_id, hold_id)
);
COMMENT ON TABLE booking.otp_codes IS
    'The current code of each hold as HMAC-SHA-256 over (org_id, hold_id, code), never the code, with a fingerprint of the key it was made under (key_id). Owner-only: row-level security with no policy. Not dumped: after a restore, callers ask for a new code.';
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

-- Backends keep the key once read; any change to the table makes them read
-- it again (a relcache invalidation on commit, and at once in this backend).
CREATE FUNCTION booking.otp_secret_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'booking_cached_table_changed'
LANGUAGE C;
COMMENT ON FUNCTION booking.otp_secret_changed() IS
    'Trigger: every backend drops its copy of the code key when a change to booking.otp_secret commits.';
CREATE TRIGGER otp_secret_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.otp_secret
    FOR EACH STATEMENT EXECUTE FUNCTION booking.otp_secret_changed();
ALTER TABLE booking.otp_secret ENABLE ALWAYS TRIGGER otp_secret_changed;
COMMENT ON TRIGGER otp_secret_changed ON booking.otp_secret IS
    'Keeps the per-backend copy of the code key in step with the table (a rotation takes effect in every backend).';
