-- The 15 side of test/migrate: a database as a clinic's would be, holding
-- booking's objects only (what the new major must find again is read by
-- expect.sql and kept outside it). :org is the organisation. Its output is
-- the code sent, on the last line.
SET TimeZone = 'UTC';
CREATE EXTENSION booking;
SELECT booking.set_calendar(:org, 'room', 'Europe/Berlin', slot_step => '30 minutes',
    working_hours => '{"mon": [["08:00", "18:00"]], "tue": [["08:00", "18:00"]]}');
SELECT booking.create_event_consumer(:org, 'front-desk');
-- Four appointments, one cancelled with erasure, and another organisation's;
-- a hold with a code sent (caller_ref call-1); a hold that lapsed and was not
-- swept (call-2: this server's worker idles elsewhere).
SELECT booking.book(:org, 'room', '2031-03-03 08:00Z'::timestamptz + n * interval '1 hour',
                    notes => 'note ' || n, metadata => jsonb_build_object('n', n))
FROM generate_series(1, 5) n;
SELECT booking.book('f0000000-0000-0000-0000-000000000002', 'room', '2031-03-03 08:00Z');
SELECT booking.cancel_appointment(:org, id, 'moved away', erase_pii => true)
FROM booking.reservations WHERE org_id = :org AND starts_at = '2031-03-03 13:00Z';
SELECT booking.claim_slot(:org, 'room', '2031-03-03 16:00Z', caller_ref => 'call-2', ttl => '1 second');
SELECT pg_sleep(1.2);
-- A clinic's role: bound to the organisation, with the staff profile.
CREATE ROLE migrate_clinic NOLOGIN;
SELECT booking.bind_role('migrate_clinic', :org);
SELECT booking.grant_access('migrate_clinic', 'staff');
-- The hold and its code last the hour the move may take here.
SET booking.otp_ttl = '1h';
SELECT booking.issue_otp(:org, (booking.claim_slot(:org, 'room', '2031-03-03 15:00Z', caller_ref => 'call-1',
                                                   patient_phone => '+15550100', ttl => '1 hour')->>'hold_id')::uuid)
       ->> 'code' AS code;
