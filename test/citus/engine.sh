# Sourced by run.sh (its nodes, q and check): how booking's engine behaves
# on the node where a call runs. Each check says what it reads.

engine_org=e2000000-0000-0000-0000-000000000001
engine_other_org=e2000000-0000-0000-0000-000000000002
engine_shard=$(q coordinator "SELECT get_shard_id_for_distribution_column('booking.reservations', '$engine_org'::uuid)")
engine_holder_port=$(q coordinator "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE p.shardid = $engine_shard")
if [ "$engine_holder_port" = "${PORT[worker1]}" ]; then
    engine_holder=worker1 engine_other=worker2
else
    engine_holder=worker2 engine_other=worker1
fi

# Messages of one section of a psql run (after the marker "==NAME", up to
# the next marker) that match a pattern: count_in FILE NAME PATTERN.
count_in() {
    awk -v section="==$2" -v pattern="$3" '
        /^==/ { inside = ($0 == section); next }
        inside && index($0, pattern) { n++ }
        END { print n + 0 }' "$1"
}

# Statements Citus routes on its fast path run as generic plans with the
# organisation as a parameter: Citus plans them once (the first call) and
# from the second call on takes each shard's plan through its local plan
# cache, on the node that holds the shard, where delegated calls run.
psql -X -q -h "$WORK" -p "${PORT[$engine_holder]}" -d app -v org="$engine_org" \
    -f "$HERE/plan_cache.sql" 2>"$WORK/plan_cache.log" >/dev/null
sed -i 's/^psql:[^ ]* //; s/^[A-Z0-9]*:  //' "$WORK/plan_cache.log"
planned_later=0
for call in 2 3 4; do
    for message in "Deferred pruning" "Creating router plan" "Distributed planning for a fast-path"; do
        planned_later=$((planned_later + $(count_in "$WORK/plan_cache.log" "call $call" "$message")))
    done
done
metadata_reads=0
for call in 2 3 4; do
    metadata_reads=$((metadata_reads + $(count_in "$WORK/plan_cache.log" "call $call" "booking: read Citus's metadata")))
done
metadata_first=$(count_in "$WORK/plan_cache.log" "call 1" "booking: read Citus's metadata")
check "Citus's metadata is read by a session's first call only ($metadata_first, then $metadata_reads times)" \
    test "$metadata_first" = 1 -a "$metadata_reads" = 0
cached_first=$(count_in "$WORK/plan_cache.log" "call 1" "Local shard query that is going to be cached")
cached_second=$(count_in "$WORK/plan_cache.log" "call 2" "Local shard query that is going to be cached")
check "with booking.citus_generic_plans, Citus plans a call's statements once, on the first call ($planned_later planning messages after it)" \
    test "$planned_later" = 0 -a "$(grep -c '^answer true' "$WORK/plan_cache.log")" = 4
check "and from the second call on takes each local shard's plan from its plan cache ($cached_first, then $cached_second statements)" \
    test "$cached_first" = 0 -a "$cached_second" -ge 2
recached=$(count_in "$WORK/plan_cache.log" "call 4" "Local shard query that is going to be cached")
[ "$recached" = 0 ] ||
    echo "# this Citus makes the shard's plan again at every call ($recached statements at the fourth): citusdata/citus#8824"
[ "$planned_later" = 0 ] || grep -E '^==|Deferred pruning|Creating router plan|Distributed planning' "$WORK/plan_cache.log" | head -12 | sed 's/^/#   /'

# Every function again, with booking.citus_generic_plans on every node (set
# server-wide, where delegated calls run): the statements off Citus's fast
# path must stay planned with their values, or Citus refuses to run them.
for node in "${NODES[@]}"; do
    q "$node" "ALTER SYSTEM SET booking.citus_generic_plans = on" >/dev/null
    q "$node" "SELECT pg_reload_conf()" >/dev/null
done
for mode in delegated block; do
    digit=$([ $mode = block ] && echo 4 || echo 3)
    out=$(sed "s/@MODE@/$digit/g" "$HERE/functions.sql" | psql -X -A -t -q -v ON_ERROR_STOP=1 \
          -v block=$([ $mode = block ] && echo 1 || echo 0) -h "$WORK" -p "${PORT[coordinator]}" -d app 2>&1)
    if [ "$out" = "$(cat "$HERE/functions.expected")" ]; then
        check "every function through the coordinator with generic fast-path plans, $mode" true
    else
        check "every function through the coordinator with generic fast-path plans, $mode" false
        diff <(cat "$HERE/functions.expected") <(echo "$out") | head -10 | sed 's/^/#   /'
    fi
done
for node in "${NODES[@]}"; do
    q "$node" "ALTER SYSTEM RESET booking.citus_generic_plans" >/dev/null
    q "$node" "SELECT pg_reload_conf()" >/dev/null
done

# "Here" is where the tenant's shard is: a call in a transaction block (not
# delegated) takes the calendar lock itself only on the node that holds the
# shard; on the coordinator and on the other worker it leaves the lock to the
# overlap guard on the shard's node.
calendar_locks() { # calendar_locks NODE: calendar locks this backend holds after a claim
    psql -X -A -t -q -h "$WORK" -p "${PORT[$1]}" -d app -c "BEGIN" \
        -c "SELECT booking.claim_slot('$engine_org', 'lock-probe', '2036-02-02 10:00Z')->>'success'" \
        -c "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND objsubid = 16963" \
        -c "ROLLBACK" 2>&1 | tr '\n' ' '
}
on_coordinator=$(calendar_locks coordinator)
on_other=$(calendar_locks "$engine_other")
on_holder=$(calendar_locks "$engine_holder")
check "a call in a block takes the calendar lock only where the shard is (coordinator: $on_coordinator, other worker: $on_other, holder: $on_holder)" \
    test "$on_coordinator" = "true 0 " -a "$on_other" = "true 0 " -a "$on_holder" = "true 1 "

# The copies of the reference tables role_bindings and event_consumers follow
# the changes made on their shards, through the coordinator or a worker, and
# are not read again otherwise.
q coordinator "CREATE ROLE engine_agent LOGIN" >/dev/null
q coordinator "SELECT booking.grant_access('engine_agent', 'agent')" >/dev/null
q coordinator "SELECT booking.bind_role('engine_agent', '$engine_org')" >/dev/null
PGHOST=$WORK COORDINATOR_PORT=${PORT[coordinator]} OTHER_WORKER_PORT=${PORT[$engine_other]} \
    ORG=$engine_org OTHER_ORG=$engine_other_org \
    psql -X -q -h "$WORK" -p "${PORT[$engine_holder]}" -U engine_agent -d app -v org="$engine_org" \
    -f "$HERE/copies.sql" 2>"$WORK/copies.log" >/dev/null
sed -i 's/^psql:[^ ]* //; s/^[A-Z0-9]*:  //' "$WORK/copies.log"
reads() { # reads SECTION TABLE
    count_in "$WORK/copies.log" "$1" "booking: read booking.$2 "
}
bindings="$(reads 'first call' role_bindings) $(reads 'second call' role_bindings) $(reads 'rebound through the coordinator' role_bindings) $(reads 'bound again on the other worker' role_bindings) $(reads unchanged role_bindings)"
consumers="$(reads 'unchanged' event_consumers) $(reads 'consumer created through the coordinator' event_consumers) $(reads 'consumer dropped on the other worker' event_consumers) $(reads 'unchanged again' event_consumers)"
refused=$(count_in "$WORK/copies.log" "rebound through the coordinator" "permission denied for organisation")
check "role bindings are read again after a change through the coordinator and on a worker, not otherwise (reads per call: $bindings)" \
    test "$bindings" = "1 0 1 1 0" -a "$refused" = 1
check "event consumers likewise (reads per call: $consumers)" test "$consumers" = "0 1 1 0"
check "every call the binding allowed booked" test "$(grep -c '^answer true' "$WORK/copies.log")" = 7
[ "$bindings $consumers" = "1 0 1 1 0 0 1 1 0" ] || grep -E '^==|booking: read|ERROR|answer' "$WORK/copies.log" | head -30 | sed 's/^/#   /'

# A calendar's rules are kept across calls on the node that holds the
# organisation's shard, and read again after a change through the
# coordinator.
PGHOST=$WORK COORDINATOR_PORT=${PORT[coordinator]} ORG=$engine_org \
    psql -X -q -h "$WORK" -p "${PORT[$engine_holder]}" -d app -v org="$engine_org" \
    -f "$HERE/rules.sql" 2>"$WORK/rules.log" >/dev/null
sed -i 's/^psql:[^ ]* //; s/^[A-Z0-9]*:  //' "$WORK/rules.log"
rule_reads=""
for section in 'first call' 'second call' 'changed through the coordinator' 'unchanged'; do
    rule_reads="$rule_reads$(count_in "$WORK/rules.log" "$section" "booking: read the rules of calendar") "
done
rule_answers=$(grep '^answer' "$WORK/rules.log" | tr '\n' ' ')
check "a calendar's rules are read again only after a change ($rule_reads; $rule_answers)" \
    test "$rule_reads" = "1 0 1 0 " -a "$rule_answers" = "answer true answer true answer slot_unavailable answer true "
[ "$rule_reads" = "1 0 1 0 " ] || grep -E '^==|booking: read|ERROR|answer' "$WORK/rules.log" | head -20 | sed 's/^/#   /'

# The code key likewise (otp_secret, a reference table).
PGHOST=$WORK COORDINATOR_PORT=${PORT[coordinator]} \
    psql -X -q -h "$WORK" -p "${PORT[$engine_holder]}" -d app -v org="$engine_org" \
    -f "$HERE/keys.sql" 2>"$WORK/keys.log" >/dev/null
sed -i 's/^psql:[^ ]* //; s/^[A-Z0-9]*:  //' "$WORK/keys.log"
key_reads=""
for section in 'second code' 'rotated through the coordinator' 'unchanged'; do
    key_reads="$key_reads$(count_in "$WORK/keys.log" "$section" "booking: read the code key") "
done
check "the code key is read again only after a change ($key_reads; $(grep -c '^answer true' "$WORK/keys.log") codes sent)" \
    test "$key_reads" = "0 1 0 " -a "$(grep -c '^answer true' "$WORK/keys.log")" = 4
[ "$key_reads" = "0 1 0 " ] || grep -E '^==|booking: read|ERROR|answer' "$WORK/keys.log" | head -20 | sed 's/^/#   /'

# The sweeper reads a shard of this node under Citus's shard metadata lock:
# while a move holds it (exclusively, until it has switched the placement),
# the sweeper waits.
psql -X -A -t -q -h "$WORK" -p "${PORT[$engine_holder]}" -d app -c "BEGIN" \
    -c "SELECT pg_catalog.lock_shard_metadata(7, ARRAY[$engine_shard])" \
    -c "SELECT pg_sleep(1)" \
    -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
        WHERE a.application_name = 'booking expiry worker' AND NOT l.granted AND l.locktype = 'advisory'" \
    -c "COMMIT" >"$WORK/sweeper_fence.log" 2>&1
waiting=$(grep -E '^[0-9]+$' "$WORK/sweeper_fence.log")
check "the sweeper waits for a move's shard metadata lock (sweepers waiting: ${waiting:-none})" \
    test "$waiting" = 1
[ "$waiting" = 1 ] || sed 's/^/#   /' "$WORK/sweeper_fence.log" | head -5
