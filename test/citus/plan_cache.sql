-- Run by engine.sh on the worker that holds :org's shard, where Citus
-- delegates its calls: four bare calls of booking.book, with Citus's DEBUG
-- messages on. Markers and answers go to stderr (\warn) with the messages,
-- so they stay in order.
SET booking.citus_generic_plans = on;
SET client_min_messages = debug5;
\warn ==call 1
SELECT booking.book(:'org', 'plan-cache', '2036-01-07 10:00Z')->>'success' AS ok \gset
\warn answer :ok
\warn ==call 2
SELECT booking.book(:'org', 'plan-cache', '2036-01-07 11:00Z')->>'success' AS ok \gset
\warn answer :ok
\warn ==call 3
SELECT booking.book(:'org', 'plan-cache', '2036-01-07 12:00Z')->>'success' AS ok \gset
\warn answer :ok
\warn ==call 4
SELECT booking.book(:'org', 'plan-cache', '2036-01-07 13:00Z')->>'success' AS ok \gset
\warn answer :ok
