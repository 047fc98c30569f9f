// The string formats the validator adds to ajv's (app.ts), kept here so the
// platforms that take a caller's number from the call check it the same way.
// ajv-formats' uuid also takes "urn:uuid:…", which PostgreSQL does not; a
// phone is what a caller may read out, up to the extension's 32 characters.
export const STRICT_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const PHONE = /^\+?[0-9][0-9 ().-]{4,30}[0-9]$/;
