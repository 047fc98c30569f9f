-- Recurring series: count occurrences stepped in the calendar's local time,
-- booked whole or not at all; cancel_series cancels the rest of one.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''18000000-0000-0000-0000-000000000001'''

-- Bad input raises and changes nothing.
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', '1 week', 0)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', '1 week', 53)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', '1 week', NULL)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', NULL, 4)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', '0', 4)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', '-1 week', 4)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', '1 month -1 day', 4)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', '30 minutes', 4)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', '1 week 30 seconds', 4)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', NULL, '1 week', 4)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', 'infinity', '45 minutes', '1 week', 4)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2199-12-01 08:00Z', '45 minutes', '1 week', 8)$$);
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', '1 week', 4, with_calendars => '{physio}')$$);
SELECT count(*) AS nothing_written FROM booking.reservations WHERE org_id = :org;

-- The bound is a setting: a session may lower it (a tenant role may not
-- raise it past the server's; 14_limits has the rule).
SET booking.max_series_count = 3;
SELECT test_error($$SELECT booking.book_series('18000000-0000-0000-0000-000000000001', 'physio', '2030-03-11 08:00Z', '45 minutes', '1 week', 4)$$);
RESET booking.max_series_count;
SELECT current_setting('booking.max_series_count') AS max_series_count;

-- Twelve weekly sessions at 09:00 in Berlin, across the spring-forward of
-- 2030-03-31: 09:00 local each time, 08:00Z before and 07:00Z after.
SELECT booking.set_calendar(:org, 'physio', 'Europe/Berlin', slot_step => '15 minutes')->>'success' AS physio;
SELECT booking.book_series(:org, 'physio', '2030-03-11 08:00Z', '45 minutes', '1 week', 12,
                           contact_id => '18000000-0000-0000-0000-0000000000c1', notes => 'knee') AS s1 \gset
SELECT (:'s1'::jsonb->>'success') AS success, jsonb_array_length(:'s1'::jsonb->'appointments') AS appointments,
       :'s1'::jsonb ? 'series_id' AS has_series_id;
SELECT (a->>'starts_at')::timestamptz AS starts_at,
       to_char((a->>'starts_at')::timestamptz AT TIME ZONE 'Europe/Berlin', 'Dy HH24:MI') AS berlin
FROM jsonb_array_elements(:'s1'::jsonb->'appointments') a ORDER BY 1;
SELECT count(*) AS rows, count(DISTINCT series_id) AS series, bool_and(series_id = (:'s1'::jsonb->>'series_id')::uuid) AS all_of_it,
       count(*) FILTER (WHERE notes = 'knee') AS with_notes, count(contact_id) AS with_contact
FROM booking.reservations WHERE org_id = :org AND calendar_id = 'physio';
SELECT count(*) AS booked_rows, bool_and(details->>'series_id' = (:'s1'::jsonb->>'series_id')) AS say_their_series
FROM booking.audit_log WHERE org_id = :org AND action = 'booked';

-- A retry with the same key answers as the first did; another request with
-- it is refused.
SELECT booking.book_series(:org, 'physio', '2030-06-03 07:00Z', '45 minutes', '1 week', 3, idempotency_key => 'course-7') AS k1 \gset
SELECT booking.book_series(:org, 'physio', '2030-06-03 07:00Z', '45 minutes', '1 week', 3, idempotency_key => 'course-7') AS k2 \gset
SELECT (:'k2'::jsonb->>'replayed')::boolean AS replayed, (:'k2'::jsonb->>'series_id') = (:'k1'::jsonb->>'series_id') AS same_series,
       (:'k2'::jsonb->'appointments') = (:'k1'::jsonb->'appointments') AS same_appointments;
SELECT booking.book_series(:org, 'physio', '2030-06-03 07:00Z', '45 minutes', '1 week', 4, idempotency_key => 'course-7')->>'error' AS other_request;
SELECT booking.book(:org, 'physio', '2030-06-03 07:00Z', '45 minutes', idempotency_key => 'course-7')->>'error' AS a_single_booking;

-- Any occurrence refused: nothing is booked, and every refusal is listed.
SELECT count(*) AS rows_before FROM booking.reservations WHERE org_id = :org \gset
SELECT booking.book(:org, 'physio', '2030-09-16 07:15Z', '30 minutes')->>'status' AS week_3_taken,
       booking.book(:org, 'physio', '2030-10-14 07:00Z', '30 minutes')->>'status' AS week_7_taken;
SELECT r->>'error' AS error, r->'conflicts' AS conflicts, r ? 'series_id' AS has_series
FROM booking.book_series(:org, 'physio', '2030-09-02 07:00Z', '45 minutes', '1 week', 8) r;
SELECT count(*) = :rows_before + 2 AS nothing_more_booked FROM booking.reservations WHERE org_id = :org;
-- The past and the hours refuse occurrences too, each with its own error.
SELECT booking.set_calendar(:org, 'lab', working_hours => '{"mon": [["08:00", "12:00"]]}')->>'success' AS lab;
SELECT r->'conflicts' AS conflicts
FROM booking.book_series(:org, 'lab', '2030-09-02 11:30Z', '1 hour', '1 week', 2) r;
SELECT jsonb_array_length(r->'conflicts') AS refused, r->'conflicts'->0->>'error' AS first_error
FROM booking.book_series(:org, 'lab', date_trunc('week', now()) - interval '14 days' + interval '9 hours', '1 hour', '1 week', 2) r;

-- Occurrences that meet one another (the calendar's buffer) are refused as
-- the overlap guard would refuse them.
SELECT booking.set_calendar(:org, 'gym', buffer_after => '15 minutes')->>'success' AS gym;
SELECT r->>'error' AS error, jsonb_array_length(r->'conflicts') AS refused, r->'conflicts'->0->>'starts_at' AS first_refused
FROM booking.book_series(:org, 'gym', '2030-09-02 07:00Z', '1 hour', '1 hour', 3) r;
SELECT booking.book_series(:org, 'gym', '2030-09-02 07:00Z', '1 hour', '75 minutes', 3)->>'success' AS with_room_for_the_buffer;

-- Several calendars in each occurrence: the room taken in one week names it.
SELECT booking.book(:org, 'room-2', '2030-11-12 08:00Z', '1 hour')->>'status' AS room_taken_in_week_2;
SELECT r->>'error' AS error, r->'conflicts' AS conflicts
FROM booking.book_series(:org, 'dr-s', '2030-11-05 08:00Z', '45 minutes', '1 week', 3, with_calendars => '{room-2}') r;
SELECT booking.book_series(:org, 'dr-s', '2030-11-05 10:00Z', '45 minutes', '1 week', 3, with_calendars => '{room-2}') AS s2 \gset
SELECT jsonb_array_length(:'s2'::jsonb->'appointments') AS appointments, :'s2'::jsonb->'calendars' AS calendars;
SELECT calendar_id, count(*) AS rows, count(DISTINCT set_id) AS sets FROM booking.reservations
WHERE org_id = :org AND series_id = (:'s2'::jsonb->>'series_id')::uuid GROUP BY calendar_id ORDER BY 1;

-- A month steps the calendar date: the 31st, then the last of February, then the 31st.
SELECT booking.book_series(:org, 'monthly', '2031-01-31 09:00Z', '30 minutes', '1 month', 3) AS s3 \gset
SELECT a->>'starts_at' AS starts_at FROM jsonb_array_elements(:'s3'::jsonb->'appointments') a;

-- A class with places: a series takes one place each week.
SELECT booking.set_calendar(:org, 'yoga', capacity => 2)->>'success' AS yoga;
SELECT booking.book_series(:org, 'yoga', '2030-09-03 17:00Z', '1 hour', '1 week', 4)->>'success' AS first,
       booking.book_series(:org, 'yoga', '2030-09-03 17:00Z', '1 hour', '1 week', 4)->>'success' AS second;
SELECT jsonb_array_length(r->'conflicts') AS full_weeks
FROM booking.book_series(:org, 'yoga', '2030-09-03 17:00Z', '1 hour', '1 week', 4) r;

-- cancel_series: the rest of it, from a date (or from now).
SELECT test_error($$SELECT booking.cancel_series('18000000-0000-0000-0000-000000000001', NULL)$$);
SELECT booking.cancel_series(:org, '18000000-0000-0000-0000-00000000dead')->>'error' AS unknown_series;
SELECT r->>'status' AS status, jsonb_array_length(r->'cancelled') AS cancelled, r->'cancelled'->0->>'starts_at' AS first_cancelled
FROM booking.cancel_series(:org, (:'s1'::jsonb->>'series_id')::uuid, '2030-04-22 00:00Z', 'moved away') r;
SELECT status, count(*) FROM booking.reservations
WHERE org_id = :org AND series_id = (:'s1'::jsonb->>'series_id')::uuid GROUP BY status ORDER BY status;
SELECT jsonb_array_length(booking.cancel_series(:org, (:'s1'::jsonb->>'series_id')::uuid, '2030-04-22 00:00Z')->'cancelled') AS again_nothing;
-- A series of several calendars cancels every calendar of each occurrence.
SELECT jsonb_array_length(booking.cancel_series(:org, (:'s2'::jsonb->>'series_id')::uuid)->'cancelled') AS occurrences;
SELECT calendar_id, status, count(*) FROM booking.reservations
WHERE org_id = :org AND series_id = (:'s2'::jsonb->>'series_id')::uuid GROUP BY 1, 2 ORDER BY 1;
SELECT count(*) AS cancelled_rows FROM booking.audit_log
WHERE org_id = :org AND action = 'cancelled' AND details->>'series_id' = (:'s2'::jsonb->>'series_id');
-- Its time is free again.
SELECT booking.book(:org, 'room-2', '2030-11-05 10:00Z', '45 minutes')->>'status' AS room_free_again;
