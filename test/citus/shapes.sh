# Sourced by run.sh (its q, check, WORK and PORT): the shapes clients really
# send, each through the node a client would send it to, and which path each
# took, by two witnesses that can disagree with what we expect:
#   - Citus's own word, its DEBUG messages (client_min_messages = debug1):
#     "pushing down the function call" (delegated to the node that holds the
#     tenant), "not pushing down function to the same node" (sent to that
#     node: it runs there), or neither (it runs on the node it was sent to,
#     its statements routed to the shard);
#   - booking's own counter: booking.stats's bookings rises on the node whose
#     backend ran booking.book().

# The bookings counter of each node, "coordinator worker1 worker2".
stat_bookings() {
    local n out=()
    for n in coordinator worker1 worker2; do out+=("$(q $n "SELECT bookings FROM booking.stats")"); done
    echo "${out[*]}"
}
# The node whose counter rose by one between two snapshots, or "several"/"none".
risen() {
    local -a a=($1) b=($2) names=(coordinator worker1 worker2)
    local i found=none
    for i in 0 1 2; do
        [ "$((b[i] - a[i]))" -eq 0 ] && continue
        if [ "$((b[i] - a[i]))" -eq 1 ] && [ "$found" = none ]; then found=${names[$i]}; else found=several; fi
    done
    echo "$found"
}
# path_of NODE [ROLE] <<<SQL: runs the statements on NODE one by one with
# Citus's DEBUG messages, as ROLE (default: the test's superuser); sets ANSWER
# (what it printed), ERR (the first lines of anything else on stderr), SAID (Citus's word: delegated, same-node or none) and RAN
# (the node whose bookings counter rose).
path_of() {
    local node=$1 user=${2:-postgres} before after
    before=$(stat_bookings)
    ANSWER=$(PGOPTIONS='-c client_min_messages=debug1' psql -X -A -t -q -U "$user" \
             -h "$WORK" -p "${PORT[$node]}" -d app 2>"$WORK/path.err")
    after=$(stat_bookings)
    ERR=$(grep -v '^DEBUG:' "$WORK/path.err" | head -2 | cut -c1-240)
    if grep -q 'DEBUG:  pushing down the function call$' "$WORK/path.err"; then SAID=delegated
    elif grep -q 'DEBUG:  not pushing down function to the same node' "$WORK/path.err"; then SAID=same-node
    else SAID=none; fi
    RAN=$(risen "$before" "$after")
    shapes_booked=$((shapes_booked + $(grep -o -F '"success": true' <<<"$ANSWER" | wc -l)))
}
shapes_booked=0
said() { # said WHAT: the TAP line's detail, and the answer when it failed
    echo "Citus: $SAID; ran on: $RAN"
}
explain_path() {
    [ "$1" = ok ] && return
    if [ -n "$ERR" ]; then sed 's/^/#   /' <<<"$ERR"; else echo "#   answer: ${ANSWER:0:300}"; fi
}

# PostgREST 12's statements for POST /rpc/book with a JSON body (db-prepared-
# statements on, the pre-request settings of its transaction, the function
# called through json_to_record in a CTE); the body is the one value it binds.
postgrest_book() { # postgrest_book ROLE ORG CALENDAR STARTS_AT
    cat <<SQL
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
SELECT set_config('search_path', '"booking", "public"', true), set_config('role', '$1', true), set_config('request.jwt.claims', '{"role": "$1", "org_id": "$2"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/book', true), set_config('request.headers', '{"content-type": "application/json"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"org_id": "$2", "calendar_id": "$3", "starts_at": "$4"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "org_id", "calendar_id", "starts_at" FROM json_to_record(pgrst_payload.json_data) AS _("org_id" uuid, "calendar_id" text, "starts_at" timestamp with time zone) LIMIT 1) pgrst_body , LATERAL (SELECT "booking"."book"("org_id" := pgrst_body."org_id", "calendar_id" := pgrst_body."calendar_id", "starts_at" := pgrst_body."starts_at") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status FROM (SELECT "pgrst_call"."pgrst_scalar" FROM "pgrst_source" AS "pgrst_call") _postgrest_t;
COMMIT;
SQL
}

shapes_org=c1000000-0000-0000-0000-00000000005a
shapes_shard=$(q coordinator "SELECT get_shard_id_for_distribution_column('booking.reservations', '$shapes_org'::uuid)")
shapes_port=$(q coordinator "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE p.shardid = $shapes_shard")
holder=$([ "$shapes_port" = "${PORT[worker1]}" ] && echo worker1 || echo worker2)
other=$([ "$holder" = worker1 ] && echo worker2 || echo worker1)
# A web role as PostgREST switches to (JWT role claim), granted the agent
# profile, and a clinic's own login role bound to the tenant.
q coordinator "CREATE ROLE booking_web LOGIN" >/dev/null
q coordinator "SELECT booking.grant_access('booking_web', 'agent')" >/dev/null
q coordinator "CREATE ROLE booking_clinic LOGIN" >/dev/null
q coordinator "SELECT booking.grant_access('booking_clinic', 'agent')" >/dev/null
q coordinator "SELECT booking.bind_role('booking_clinic', '$shapes_org')" >/dev/null
book_forced=$(q coordinator "SELECT coalesce(bool_or(force_delegation), false) FROM pg_dist_object WHERE objid = 'booking.book'::regproc")
echo "# shapes: organisation $shapes_org on $holder; booking.book force_delegation: $book_forced"

ok_if() { if "$@"; then echo ok; else echo no; fi; }

path_of coordinator <<<"SELECT booking.book('$shapes_org', 'shape', '2036-02-02 09:00Z');"
r=$(ok_if test "$SAID" = delegated -a "$RAN" = "$holder" -a "${ANSWER:0:1}" = '{')
check "a bare SELECT booking.book(…) through the coordinator is delegated to $holder ($(said))" test "$r" = ok
explain_path "$r"

path_of coordinator <<<"SELECT booking.book('$shapes_org', 'shape', '2036-02-02 10:00Z') ->> 'success';"
[ "$ANSWER" = true ] && shapes_booked=$((shapes_booked + 1))
r=$(ok_if test "$SAID" = none -a "$RAN" = coordinator -a "$ANSWER" = true)
check "SELECT booking.book(…) ->> 'success' through the coordinator is not delegated: it runs on the coordinator ($(said))" test "$r" = ok
explain_path "$r"

path_of coordinator <<SQL
BEGIN;
SELECT set_config('booking.org_id', '$shapes_org', true);
SELECT booking.book('$shapes_org', 'shape', '2036-02-02 11:00Z');
COMMIT;
SQL
if [ "$book_forced" = t ]; then want_said=delegated want_ran=$holder; else want_said=none want_ran=coordinator; fi
r=$(ok_if test "$SAID" = "$want_said" -a "$RAN" = "$want_ran" -a -n "$(grep -F '"success": true' <<<"$ANSWER")")
check "a transaction block (BEGIN; set_config(…, true); SELECT booking.book(…); COMMIT) through the coordinator: $([ "$book_forced" = t ] && echo "force-delegated to $holder" || echo "runs on the coordinator (book is not force-delegated)") ($(said))" test "$r" = ok
explain_path "$r"

path_of coordinator booking_web <<SQL
BEGIN;
SELECT set_config('booking.org_id', '$shapes_org', true);
SELECT booking.book('$shapes_org', 'shape', '2036-02-02 12:00Z');
COMMIT;
SQL
r=$(ok_if test -n "$(grep -F '"success": true' <<<"$ANSWER")")
check "the same block as a web role (the tenant set for the transaction only) books through the coordinator ($(said))" test "$r" = ok
explain_path "$r"

path_of coordinator <<<"$(postgrest_book booking_web "$shapes_org" shape '2036-02-02T13:00:00Z')"
r=$(ok_if test "$SAID" = none -a "$RAN" = coordinator -a -n "$(grep -F '"success": true' <<<"$ANSWER")")
check "PostgREST's POST /rpc/book (json_to_record in a CTE, as a web role with JWT claims) through the coordinator books, not delegated: it runs on the coordinator ($(said))" test "$r" = ok
explain_path "$r"

# A clinic's own login role, bound to its tenant, calls bare (delegated) on
# one connection; Citus reuses its connection to the worker too.
path_of coordinator booking_clinic <<SQL
SELECT booking.book('$shapes_org', 'shape', '2036-02-04 09:00Z');
SELECT booking.book('$shapes_org', 'shape', '2036-02-04 10:00Z');
SQL
r=$(ok_if test "$(grep -o -F '"success": true' <<<"$ANSWER" | wc -l)" = 2 -a "$SAID" = delegated)
check "a login role bound to the tenant books twice on one connection, bare calls delegated ($(said))" test "$r" = ok
explain_path "$r"

# PostgREST (like any pool) sends its next request on the same connection.
path_of coordinator <<<"$(postgrest_book booking_web "$shapes_org" shape '2036-02-03T09:00:00Z')
$(postgrest_book booking_web "$shapes_org" shape '2036-02-03T10:00:00Z')"
r=$(ok_if test "$(grep -o -F '"success": true' <<<"$ANSWER" | wc -l)" = 2)
check "a second PostgREST request on the same connection (as the web role) books too" test "$r" = ok
explain_path "$r"

path_of "$holder" <<<"SELECT booking.book('$shapes_org', 'shape', '2036-02-02 14:00Z');"
r=$(ok_if test "$SAID" = same-node -a "$RAN" = "$holder" -a "${ANSWER:0:1}" = '{')
check "a bare call sent straight to $holder, which holds the tenant, runs there ($(said))" test "$r" = ok
explain_path "$r"

path_of "$other" <<<"SELECT booking.book('$shapes_org', 'shape', '2036-02-02 15:00Z');"
r=$(ok_if test "$SAID" = delegated -a "$RAN" = "$holder" -a "${ANSWER:0:1}" = '{')
check "a bare call sent to $other, which does not hold the tenant, is delegated to $holder ($(said))" test "$r" = ok
explain_path "$r"

path_of "$holder" <<<"$(postgrest_book booking_web "$shapes_org" shape '2036-02-02T16:00:00Z')"
r=$(ok_if test "$SAID" = none -a "$RAN" = "$holder" -a -n "$(grep -F '"success": true' <<<"$ANSWER")")
check "PostgREST's shape sent straight to $holder runs there ($(said))" test "$r" = ok
explain_path "$r"

shapes_rows=$(q coordinator "SELECT count(*) FROM booking.reservations r JOIN booking.audit_log a
    ON a.org_id = r.org_id AND a.entity_id = r.id AND a.action = 'booked'
    WHERE r.org_id = '$shapes_org' AND r.calendar_id = 'shape' AND r.status = 'confirmed'")
check "each of the $shapes_booked calls answered booked left its appointment and audit row ($shapes_rows)" \
    test "$shapes_rows" = "$shapes_booked" -a "$shapes_booked" -ge 8
