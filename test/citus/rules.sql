-- Run by engine.sh on the worker that holds :org's shard: a calendar's rules
-- are read once and kept across calls, and read again after set_calendar
-- changes them through the coordinator (\! runs it from another
-- connection). booking's DEBUG2 message says each read; markers and answers
-- go to stderr with it.
SET client_min_messages = debug2;
\warn ==first call
SELECT booking.book(:'org', 'rules', '2036-04-01 10:00Z')->>'success' AS ok \gset
\warn answer :ok
\warn ==second call
SELECT booking.book(:'org', 'rules', '2036-04-01 11:00Z')->>'success' AS ok \gset
\warn answer :ok
\! psql -X -q -A -t -h "$PGHOST" -p "$COORDINATOR_PORT" -d app -c "SELECT booking.set_calendar('$ORG', 'rules', buffer_before => '3 hours')" >/dev/null
\warn ==changed through the coordinator
SELECT booking.book(:'org', 'rules', '2036-04-01 12:00Z')->>'error' AS ok \gset
\warn answer :ok
\warn ==unchanged
SELECT booking.book(:'org', 'rules', '2036-04-01 18:00Z')->>'success' AS ok \gset
\warn answer :ok
\warn ==end
