-- Run by engine.sh on the worker that holds :org's shard: the code key (a
-- reference table's one row) is read once and kept across calls, and read
-- again after a change through the coordinator (\! runs it from another
-- connection). booking's DEBUG2 message says each read.
SET client_min_messages = debug2;
\warn ==warm-up (the first code may create the key)
SELECT booking.claim_slot(:'org', 'keys', '2036-05-01 09:00Z', patient_phone => '+15550100')->>'hold_id' AS hold \gset
SELECT booking.issue_otp(:'org', :'hold')->>'success' AS ok \gset
SELECT booking.claim_slot(:'org', 'keys', '2036-05-01 10:00Z', patient_phone => '+15550100')->>'hold_id' AS hold \gset
SELECT booking.issue_otp(:'org', :'hold')->>'success' AS ok \gset
\warn answer :ok
\warn ==second code
SELECT booking.claim_slot(:'org', 'keys', '2036-05-01 11:00Z', patient_phone => '+15550100')->>'hold_id' AS hold \gset
SELECT booking.issue_otp(:'org', :'hold')->>'success' AS ok \gset
\warn answer :ok
\! psql -X -q -A -t -h "$PGHOST" -p "$COORDINATOR_PORT" -d app -c "UPDATE booking.otp_secret SET key = decode(md5('engine-a') || md5('engine-b'), 'hex')" >/dev/null
\warn ==rotated through the coordinator
SELECT booking.claim_slot(:'org', 'keys', '2036-05-01 12:00Z', patient_phone => '+15550100')->>'hold_id' AS hold \gset
SELECT booking.issue_otp(:'org', :'hold')->>'success' AS ok \gset
\warn answer :ok
\warn ==unchanged
SELECT booking.claim_slot(:'org', 'keys', '2036-05-01 13:00Z', patient_phone => '+15550100')->>'hold_id' AS hold \gset
SELECT booking.issue_otp(:'org', :'hold')->>'success' AS ok \gset
\warn answer :ok
\warn ==end
