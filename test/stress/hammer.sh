#!/usr/bin/env bash
# Hammers one calendar from 8 clients with random overlapping claims, moves,
# bookings, confirmations, cancellations and sweeps of different lengths
# (pgbench), then proves by query that no two blocking reservations overlap,
# that no client got an SQL error, and that the run really did contend.
# Connection: PGHOST/PGPORT/PGUSER. Duration: STRESS_SECONDS (default 15).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
db=booking_stress
seconds=${STRESS_SECONDS:-15}

dropdb --if-exists "$db" >/dev/null 2>&1 || true
createdb "$db"
psql -qX -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
CREATE EXTENSION booking CASCADE;
-- What each call answered, so the run can prove it contended.
CREATE TABLE stress_answers (op text NOT NULL, success boolean, error text);
SQL

log=$(mktemp)
set +e
pgbench -n -c 8 -j 2 -T "$seconds" --failures-detailed -f "$here/hammer.pgbench" "$db" >"$log" 2>&1
status=$?
set -e
cat "$log"
fail=0
failed_tx=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$log")
if [ $status -ne 0 ] || grep -qiE "aborted|error" "$log" || [ "${failed_tx:-0}" != 0 ]; then
    echo "FAIL: a client got an SQL error (pgbench exit $status)"
    fail=1
fi

psql -X -d "$db" -v ON_ERROR_STOP=1 -At <<'SQL' >"$log"
SELECT 'overlapping_pairs=' || count(*)
FROM booking.reservations a
JOIN booking.reservations b
  ON a.org_id = b.org_id AND a.calendar_id = b.calendar_id AND a.id < b.id AND a.blocks && b.blocks
WHERE a.status IN ('held', 'requires_manual_followup', 'confirmed')
  AND b.status IN ('held', 'requires_manual_followup', 'confirmed');
SELECT 'calls=' || count(*) FROM stress_answers;
SELECT 'successes=' || count(*) FILTER (WHERE success) FROM stress_answers;
SELECT 'conflicts=' || count(*) FILTER (WHERE error = 'slot_unavailable') FROM stress_answers;
SELECT 'busy=' || count(*) FILTER (WHERE error = 'busy') FROM stress_answers;
SELECT 'unexpected=' || count(*) FILTER (WHERE success IS NULL OR (NOT success AND error NOT IN
    ('slot_unavailable', 'slot_in_past', 'hold_expired', 'hold_not_active', 'hold_not_found',
     'appointment_not_found', 'appointment_not_active'))) FROM stress_answers;
SELECT 'reservations=' || count(*) FROM booking.reservations;
SELECT 'statuses=' || string_agg(status || ':' || n, ',' ORDER BY status)
FROM (SELECT status::text, count(*) n FROM booking.reservations GROUP BY 1) s;
SQL
cat "$log"
value() { grep "^$1=" "$log" | cut -d= -f2; }
[ "$(value overlapping_pairs)" = 0 ] || { echo "FAIL: blocking reservations overlap"; fail=1; }
[ "$(value unexpected)" = 0 ] || { echo "FAIL: unexpected answers"; fail=1; }
[ "$(value busy)" = 0 ] || { echo "FAIL: busy answers under the default lock wait"; fail=1; }
[ "$(value successes)" -gt 100 ] || { echo "FAIL: too few successful calls to mean anything"; fail=1; }
[ "$(value conflicts)" -gt 100 ] || { echo "FAIL: too few conflicts: the run did not contend"; fail=1; }
rm -f "$log"
dropdb "$db"
[ $fail -eq 0 ] && echo "stress: no overlap, no SQL error"
exit $fail
