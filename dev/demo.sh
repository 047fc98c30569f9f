#!/usr/bin/env bash
# The demo dev/run shows: two callers race for one slot, a hold is confirmed,
# the loser hears alternatives. Connection: PGHOST/PGPORT/PGUSER/PGDATABASE.
set -euo pipefail

q() { psql -X -At -v ON_ERROR_STOP=1 -c "$1"; }
pretty() { psql -X -At -v ON_ERROR_STOP=1 -c "SELECT jsonb_pretty(($1)::jsonb)"; }

ORG=11111111-2222-3333-4444-555555555555
SLOT=$(q "SELECT to_char(date_trunc('day', now()) + interval '1 day 14 hours', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")

echo "1. Two callers ask for the same slot, $SLOT, at the same moment."
echo "   Caller A's transaction holds it for a second before committing;"
echo "   caller B waits for A (no false \"taken\"), then hears the truth."
a_out=$(mktemp); b_out=$(mktemp)
psql -X -At -v ON_ERROR_STOP=1 >"$a_out" <<SQL &
BEGIN;
SELECT booking.claim_slot('$ORG', 'dr-lee', '$SLOT', '30 minutes', caller_ref => 'call-A', patient_phone => '+15550100');
SELECT pg_sleep(1);
COMMIT;
SQL
sleep 0.3
psql -X -At -v ON_ERROR_STOP=1 >"$b_out" -c "SELECT booking.claim_slot('$ORG', 'dr-lee', '$SLOT', '30 minutes', caller_ref => 'call-B')"
wait
A=$(grep '^{' "$a_out")
B=$(grep '^{' "$b_out")
rm -f "$a_out" "$b_out"
echo
echo "   caller A:"; pretty "\$json\$$A\$json\$" | sed 's/^/     /'
echo "   caller B:"; pretty "\$json\$$B\$json\$" | sed 's/^/     /'

HOLD=$(q "SELECT (\$json\$$A\$json\$::jsonb)->>'hold_id'")
echo
echo "2. Caller A's hold, as the agent sees it:"
pretty "booking.hold_status('$ORG', '$HOLD')" | sed 's/^/     /'

echo
echo "3. Staff confirm it: the same reservation becomes the appointment."
pretty "booking.confirm_hold('$ORG', '$HOLD', service_type => 'checkup')" | sed 's/^/     /'

echo
echo "4. Caller B takes the first alternative offered."
FIRST=$(q "SELECT (\$json\$$B\$json\$::jsonb)->'alternatives'->0->>'starts_at'")
pretty "booking.book('$ORG', 'dr-lee', '$FIRST', '30 minutes', idempotency_key => 'call-B-booking')" | sed 's/^/     /'

echo
echo "5. What the audit log recorded:"
psql -X -v ON_ERROR_STOP=1 -c "SELECT at::time(0) AS at, action, entity_id, details->>'starts_at' AS starts_at FROM booking.audit_log WHERE org_id = '$ORG' ORDER BY id" | sed 's/^/     /'
