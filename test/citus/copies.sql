-- Run by engine.sh as a tenant role bound to :org, on the worker that holds
-- :org's shard: the backend's copies of booking.role_bindings and
-- booking.event_consumers (reference tables) are read once, then again only
-- after a change, made through the coordinator or on the other worker
-- (\! runs it from another connection). booking's DEBUG2 message says each
-- read; markers and answers go to stderr with it.
SET client_min_messages = debug2;
\warn ==first call
SELECT booking.book(:'org', 'copies', '2036-03-02 10:00Z')->>'success' AS ok \gset
\warn answer :ok
\warn ==second call
SELECT booking.book(:'org', 'copies', '2036-03-02 11:00Z')->>'success' AS ok \gset
\warn answer :ok
\! psql -X -q -A -t -h "$PGHOST" -p "$COORDINATOR_PORT" -d app -c "SELECT booking.bind_role('engine_agent', '$OTHER_ORG')" >/dev/null
\warn ==rebound through the coordinator
SELECT booking.book(:'org', 'copies', '2036-03-02 12:00Z')->>'success' AS ok \gset
\! psql -X -q -A -t -h "$PGHOST" -p "$OTHER_WORKER_PORT" -d app -c "SELECT booking.unbind_role('engine_agent')" -c "SELECT booking.bind_role('engine_agent', '$ORG')" >/dev/null
\warn ==bound again on the other worker
SELECT booking.book(:'org', 'copies', '2036-03-02 13:00Z')->>'success' AS ok \gset
\warn answer :ok
\warn ==unchanged
SELECT booking.book(:'org', 'copies', '2036-03-02 14:00Z')->>'success' AS ok \gset
\warn answer :ok
\! psql -X -q -A -t -h "$PGHOST" -p "$COORDINATOR_PORT" -d app -c "SELECT booking.create_event_consumer('$ORG', 'engine')" >/dev/null
\warn ==consumer created through the coordinator
SELECT booking.book(:'org', 'copies', '2036-03-02 15:00Z')->>'success' AS ok \gset
\warn answer :ok
\! psql -X -q -A -t -h "$PGHOST" -p "$OTHER_WORKER_PORT" -d app -c "SELECT booking.drop_event_consumer('$ORG', 'engine')" >/dev/null
\warn ==consumer dropped on the other worker
SELECT booking.book(:'org', 'copies', '2036-03-02 16:00Z')->>'success' AS ok \gset
\warn answer :ok
\warn ==unchanged again
SELECT booking.book(:'org', 'copies', '2036-03-02 17:00Z')->>'success' AS ok \gset
\warn answer :ok
\warn ==end
