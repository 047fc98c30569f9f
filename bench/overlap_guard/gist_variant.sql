-- The earlier mechanism, for comparison: the same extension with its guard
-- switched off and an exclusion constraint over a GiST index in its place.
-- (The functions' writes then pass ON CONFLICT DO NOTHING against the
-- constraint, as they did before the guard: a GiST pre-check, a GiST insert
-- and a recheck.)
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking.reservations DISABLE TRIGGER reservations_no_overlap;
DROP INDEX booking.reservations_blocking;
ALTER TABLE booking.reservations ADD CONSTRAINT reservations_no_overlap_gist
    EXCLUDE USING gist (org_id WITH =, calendar_id WITH =, blocks WITH &&)
    WHERE (status IN ('held', 'requires_manual_followup', 'confirmed'));
