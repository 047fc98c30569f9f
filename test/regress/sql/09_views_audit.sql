-- The read views and the audit log.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set org '''90000000-0000-0000-0000-000000000001'''

SELECT booking.claim_slot(:org, 'v', '2030-08-01 09:00Z', caller_ref => 'c1', patient_name => 'Vi')->>'hold_id' AS held \gset
SELECT booking.claim_slot(:org, 'v', '2030-08-01 10:00Z', caller_ref => 'c2', ttl => '20 ms')->>'hold_id' AS lapsing \gset
SELECT booking.claim_slot(:org, 'v', '2030-08-01 11:00Z', caller_ref => 'c3')->>'hold_id' AS confirmed \gset
SELECT booking.confirm_hold(:org, :'confirmed')->>'success';
SELECT booking.book(:org, 'v', '2030-08-01 12:00Z')->>'appointment_id' AS booked \gset
SELECT booking.cancel_appointment(:org, :'booked')->>'success';
SELECT pg_sleep(0.05);

-- holds: what never became an appointment; a lapsed hold shows expired at once.
SELECT starts_at, status, caller_ref, patient_name FROM booking.holds WHERE org_id = :org ORDER BY starts_at;
-- appointments: confirmed and later states.
SELECT starts_at, status FROM booking.appointments WHERE org_id = :org ORDER BY starts_at;
-- Both views have the columns the contract promises.
SELECT table_name, string_agg(column_name, ', ' ORDER BY column_name) FILTER (WHERE column_name IN ('id', 'org_id', 'calendar_id', 'starts_at', 'ends_at', 'status', 'created_at')) AS contract_columns
FROM information_schema.columns WHERE table_schema = 'booking' AND table_name IN ('holds', 'appointments', 'audit_log') GROUP BY table_name ORDER BY table_name;
SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) AS audit_columns
FROM information_schema.columns WHERE table_schema = 'booking' AND table_name = 'audit_log';

-- The audit log: one row per change, ids in time order, the acting role recorded.
SELECT action, actor = current_user AS by_caller, details ? 'calendar_id' AS has_calendar
FROM booking.audit_log WHERE org_id = :org ORDER BY id;
SELECT bool_and(a.at <= b.at) AS ids_sort_by_time
FROM (SELECT at, lead(at) OVER (ORDER BY id) AS next_at FROM booking.audit_log) a(at, next_at)
JOIN LATERAL (SELECT a.next_at AS at) b ON a.next_at IS NOT NULL;
SELECT count(DISTINCT id) = count(*) AS ids_unique, bool_and(substr(id::text, 15, 1) = '7') AS uuid_v7
FROM booking.audit_log;
SELECT bool_and(substr(id::text, 15, 1) = '7') AS reservation_ids_v7 FROM booking.reservations WHERE org_id = :org;

-- Every SQL object of the extension carries a comment.
SELECT 'function ' || p.oid::regprocedure AS uncommented FROM pg_proc p
WHERE p.pronamespace = 'booking'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL
UNION ALL
SELECT 'relation ' || c.oid::regclass FROM pg_class c
WHERE c.relnamespace = 'booking'::regnamespace AND c.relkind IN ('r', 'v', 'i') AND obj_description(c.oid, 'pg_class') IS NULL
  AND c.relname NOT LIKE '%pkey' AND c.relname NOT LIKE '%no_overlap'
UNION ALL
SELECT 'type ' || t.oid::regtype FROM pg_type t
WHERE t.typnamespace = 'booking'::regnamespace AND t.typtype = 'e' AND obj_description(t.oid, 'pg_type') IS NULL;
-- Each function name has exactly one signature (PostgREST resolves by name).
SELECT proname, count(*) FROM pg_proc WHERE pronamespace = 'booking'::regnamespace GROUP BY proname HAVING count(*) > 1;
-- No function is SECURITY DEFINER, and every one is declared as its contract says.
SELECT proname, prosecdef, provolatile, proisstrict FROM pg_proc WHERE pronamespace = 'booking'::regnamespace ORDER BY proname;
