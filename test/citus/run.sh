#!/usr/bin/env bash
# Scale-out by tenant: booking on a Citus coordinator and two workers
# (loopback, throwaway), distributed with booking.distribute_by_tenant().
# Run as the unprivileged user that runs PostgreSQL, after Citus is installed
# (../shared/citus/install) and booking is installed. Prints TAP lines
# ("ok N - ...", "not ok N - ...") and "# pass N" / "# fail N"; the exit
# status is 0 only when every check passed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH=${BOOKING_PG_BIN:-/usr/lib/postgresql/15/bin}:$PATH
WORK=$(mktemp -d /tmp/booking-citus.XXXXXX)
NODES=(coordinator worker1 worker2)
declare -A PORT

passed=0 failed=0 n=0
check() { # check DESCRIPTION COMMAND...: passes when the command succeeds
    local what=$1; shift
    n=$((n + 1))
    if "$@"; then passed=$((passed + 1)); echo "ok $n - $what"
    else failed=$((failed + 1)); echo "not ok $n - $what"; fi
}
free_port() {
    local p=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
    echo "$p"
}
stop_all() {
    for node in "${NODES[@]}"; do
        [ -d "$WORK/$node" ] && pg_ctl -D "$WORK/$node" -m fast -w stop >/dev/null 2>&1
    done
    rm -rf "$WORK"
}
trap stop_all EXIT

q() { # q NODE SQL: one value, unaligned
    psql -X -A -t -q -v ON_ERROR_STOP=1 -h "$WORK" -p "${PORT[$1]}" -d app -c "$2"
}
run_file() { # run_file NODE FILE: the whole output, errors included
    psql -X -A -t -q -h "$WORK" -p "${PORT[$1]}" -d app -f "$2" 2>&1
}

# Ports from a base of this run's own (other suites start clusters at the
# same time); a port probed free can still be taken before the server binds
# it, so each node is started until it listens on a port of its own, and is
# then asked, over TCP as Citus will reach it, for its data directory.
next=$((57100 + $$ % 300 * 3))
for node in "${NODES[@]}"; do
    initdb -D "$WORK/$node" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$WORK/$node/postgresql.conf" <<CONF
shared_preload_libraries = 'citus,booking'
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
booking.database = 'app'
booking.expiry_interval = '200ms'
max_connections = 100
max_prepared_transactions = 100
timezone = 'UTC'
lc_messages = 'C'
wal_level = logical
CONF
    # Citus's non-blocking split decodes with its own output plugin; servers
    # that list the plugins they trust (output_plugin_libraries) must name it.
    if plugins=$(postgres -C output_plugin_libraries -D "$WORK/$node" 2>/dev/null); then
        echo "output_plugin_libraries = '${plugins:+$plugins, }citus'" >>"$WORK/$node/postgresql.conf"
    fi
    for attempt in 1 2 3 4 5 6; do
        PORT[$node]=$(free_port $next)
        next=$((PORT[$node] + 1))
        echo "port = ${PORT[$node]}" >>"$WORK/$node/postgresql.conf"
        pg_ctl -D "$WORK/$node" -l "$WORK/$node.log" -w start >/dev/null 2>&1 &&
            [ "$(psql -X -A -t -h 127.0.0.1 -p "${PORT[$node]}" -d postgres -c 'SHOW data_directory' 2>/dev/null)" = "$WORK/$node" ] &&
            break
        pg_ctl -D "$WORK/$node" -m fast -w stop >/dev/null 2>&1
        [ "$attempt" = 6 ] && { echo "# $node could not listen on a port of its own"; exit 1; }
    done
    psql -X -q -h "$WORK" -p "${PORT[$node]}" -d postgres -c "CREATE DATABASE app"
    psql -X -q -h "$WORK" -p "${PORT[$node]}" -d app -c "CREATE EXTENSION citus"
done
q coordinator "SELECT citus_set_coordinator_host('127.0.0.1', ${PORT[coordinator]})" >/dev/null
q coordinator "SELECT citus_add_node('127.0.0.1', ${PORT[worker1]})" >/dev/null
q coordinator "SELECT citus_add_node('127.0.0.1', ${PORT[worker2]})" >/dev/null
q coordinator "CREATE EXTENSION booking CASCADE" >/dev/null

first=$(q coordinator "SELECT booking.distribute_by_tenant()")
check "distribute_by_tenant distributes the tenant tables and delegates the functions" \
    test "$(q coordinator "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::text LIKE 'booking.%' AND partmethod = 'h'")" = 12
check "the global tables are reference tables" \
    test "$(q coordinator "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::text LIKE 'booking.%' AND partmethod = 'n'")" = 3
check "every function that takes an organisation is delegated by it" \
    test "$(q coordinator "SELECT count(*) FROM pg_dist_object WHERE classid = 'pg_proc'::regclass AND distribution_argument_index IS NOT NULL")" -ge 20
check "a second call changes nothing" \
    test "$(q coordinator "SELECT booking.distribute_by_tenant() - 'success'")" = '{"delegated": [], "replicated": [], "distributed": []}'
[ -n "$first" ] || echo "# distribute_by_tenant answered nothing"

# Every function through the coordinator, each a bare call: single
# statements (delegated), then inside a transaction block (on the
# coordinator, unless the function is force-delegated). The script stops at
# the first error and prints the answers it checks; Citus's DEBUG messages
# (stderr) say which calls it delegated.
calls_in() { grep -cE "^SELECT .*booking\.[a-z_]+\(.*:'org'" || true; }
all_calls=$(calls_in <"$HERE/functions.sql")
block_calls=$(sed -n '/^BEGIN;$/,/^COMMIT;$/p' "$HERE/functions.sql" | calls_in)
forced=$(q coordinator "SELECT string_agg(p.proname, '|') FROM pg_dist_object o JOIN pg_proc p ON p.oid = o.objid
                        WHERE o.classid = 'pg_proc'::regclass AND o.force_delegation")
forced_block_calls=0
[ -z "$forced" ] || forced_block_calls=$(sed -n '/^BEGIN;$/,/^COMMIT;$/p' "$HERE/functions.sql" |
    grep -E "^SELECT .*booking\.($forced)\(.*:'org'" | calls_in)
for mode in delegated block; do
    digit=$([ $mode = block ] && echo 2 || echo 1)
    out=$(sed "s/@MODE@/$digit/g" "$HERE/functions.sql" | PGOPTIONS='-c client_min_messages=debug1' \
          psql -X -A -t -q -v ON_ERROR_STOP=1 -v block=$([ $mode = block ] && echo 1 || echo 0) \
          -h "$WORK" -p "${PORT[coordinator]}" -d app 2>"$WORK/functions-$mode.err")
    expected=$(cat "$HERE/functions.expected")
    if [ "$out" = "$expected" ]; then
        check "every function through the coordinator, $mode" true
    else
        check "every function through the coordinator, $mode" false
        diff <(echo "$expected") <(echo "$out") | head -20 | sed 's/^/#   /'
        grep -v '^DEBUG:' "$WORK/functions-$mode.err" | head -5 | sed 's/^/#   /'
    fi
    pushed=$(grep -c 'DEBUG:  pushing down the function call$' "$WORK/functions-$mode.err")
    if [ $mode = delegated ]; then want=$all_calls; else want=$((all_calls - block_calls + forced_block_calls)); fi
    check "$mode: Citus delegated $pushed of the $all_calls calls, as it should ($want: $([ $mode = delegated ] &&
        echo every bare call || echo "those after the block, and of the $block_calls in it the ${forced_block_calls} force-delegated"))" \
        test "$pushed" = "$want" -a "$all_calls" -gt 30
done

# The shapes clients send, through each entry point, and the path each took.
source "$HERE/shapes.sh"

# Eight clients race on four calendars through the coordinator, a third of
# the calls bare claims, a third transaction blocks, a third PostgREST's
# query. booking.stats's counters on each node say
# where the calls ran: claims are counted where claim_slot ran, bookings and
# conflicts where book ran (and claim_slot's refusals).
stats_of() { # stats_of EXPR: EXPR over booking.stats on each node, "coordinator workers"
    local c w1 w2
    c=$(q coordinator "SELECT $1 FROM booking.stats"); w1=$(q worker1 "SELECT $1 FROM booking.stats")
    w2=$(q worker2 "SELECT $1 FROM booking.stats"); echo "$c $((w1 + w2))"
}
read -r claims_c0 claims_w0 <<<"$(stats_of claims)"
read -r books_c0 books_w0 <<<"$(stats_of 'bookings + conflicts + busy')"
pgbench -h "$WORK" -p "${PORT[coordinator]}" -n -c 8 -j 2 -T 10 --failures-detailed --verbose-errors -f "$HERE/race.pgbench" app \
    >"$WORK/race.log" 2>&1
failed_tx=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$WORK/race.log")
processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/race.log")
check "the race ran (${processed:-0} transactions) with no failed transaction" \
    test "${failed_tx:-x}" = 0 -a "${processed:-0}" -gt 100
[ "${failed_tx:-x}" = 0 ] || { grep -iE 'error|abort' "$WORK/race.log" | sort | uniq -c | head -5; tail -12 "$WORK/race.log"; } | sed 's/^/#   /'
read -r claims_c1 claims_w1 <<<"$(stats_of claims)"
read -r books_c1 books_w1 <<<"$(stats_of 'bookings + conflicts + busy')"
check "the race's bare claim_slot calls all ran on the workers (claims: coordinator +$((claims_c1 - claims_c0)), workers +$((claims_w1 - claims_w0)))" \
    test "$((claims_c1 - claims_c0))" = 0 -a "$((claims_w1 - claims_w0))" -gt 0
check "its $([ "$book_forced" = t ] || echo "transaction blocks and ")PostgREST queries ran on the coordinator (book's answers counted there: +$((books_c1 - books_c0)))" \
    test "$((books_c1 - books_c0))" -gt 0
overlaps=$(q coordinator "SELECT count(*) FROM booking.reservations a JOIN booking.reservations b
    ON a.org_id = b.org_id AND a.calendar_id = b.calendar_id AND a.id < b.id AND a.blocks && b.blocks
    WHERE a.org_id IN ('c1000000-0000-0000-0000-000000000001', 'c1000000-0000-0000-0000-000000000002')
      AND a.status IN ('held', 'confirmed', 'requires_manual_followup')
      AND b.status IN ('held', 'confirmed', 'requires_manual_followup')")
check "no two blocking reservations overlap after the race ($overlaps pairs)" test "$overlaps" = 0

# The last places of a day (max_per_day) raced through every entry point at
# once: the coordinator, the worker that holds the organisation, and the
# other worker; no day ever holds more than its limit, and every place is
# taken.
limit_org=c1000000-0000-0000-0000-0000000000d1
q coordinator "SELECT booking.set_calendar('$limit_org', 'gp', max_per_day => 4)" >/dev/null
limit_shard=$(q coordinator "SELECT get_shard_id_for_distribution_column('booking.reservations', '$limit_org'::uuid)")
limit_home=$(q coordinator "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE p.shardid = $limit_shard")
limit_other=$([ "$limit_home" = "${PORT[worker1]}" ] && echo "${PORT[worker2]}" || echo "${PORT[worker1]}")
# Before the calls on the shard's node took a distributed transaction id of
# their own (extension/pg/kernel/citus_deadlocks.hpp), Citus's detector
# merged them into one vertex and cancelled a few transaction blocks here
# with 40P01 in every run. That cycle is gone (none on 15 since), but on 17
# one 40P01 was still seen in one run, its cycle not yet known: a client
# retries 40P01 as it retries 40001, and so does pgbench (--max-tries). A
# transaction that failed even so fails the check; the retries are reported
# per entry point.
for port in "${PORT[coordinator]}" "$limit_home" "$limit_other"; do
    pgbench -h "$WORK" -p "$port" -n -c 3 -j 1 -T 6 --max-tries=10 --failures-detailed --verbose-errors \
        -f "$HERE/limit_race.pgbench" app >"$WORK/limit_race.$port.out" 2>&1 &
done
wait
limit_failed=0
limit_ran=""
for port in "${PORT[coordinator]}" "$limit_home" "$limit_other"; do
    f=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$WORK/limit_race.$port.out")
    p=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/limit_race.$port.out")
    r=$(sed -n 's/^number of transactions retried: \([0-9]*\).*/\1/p' "$WORK/limit_race.$port.out")
    limit_ran="$limit_ran $([ "$port" = "${PORT[coordinator]}" ] && echo coordinator || { [ "$port" = "$limit_home" ] && echo home || echo other; }):${p:-0}/${r:-0}"
    [ "${f:-x}" = 0 ] && [ "${p:-0}" -gt 10 ] || { limit_failed=1; grep -aiE 'error|abort|deadlock' "$WORK/limit_race.$port.out" | sort | uniq -c | head -5 | sed 's/^/#   /'; }
done
per_day=$(q coordinator "SELECT string_agg(n::text, ',' ORDER BY d) FROM (SELECT date_trunc('day', starts_at) d, count(*) n
    FROM booking.reservations WHERE org_id = '$limit_org' AND calendar_id = 'gp'
      AND status IN ('held', 'confirmed', 'requires_manual_followup') GROUP BY 1) t")
check "the race for a day's last places through the coordinator and both workers ran with no failed transaction (transactions/retried after 40P01, per entry point:$limit_ran)" \
    test "$limit_failed" = 0
check "no day holds more than its max_per_day, and every place was taken (per day: $per_day)" \
    test "$per_day" = "4,4,4"
# The race's bare calls through the coordinator, as the first race's bare
# claims, are delegated to the organisation's worker: book's every answer (a
# booking, a refusal by the limit or the slot, busy) is counted there, none
# on the coordinator. The race mixes them with transaction blocks, which run
# on the coordinator and are counted there, so they are run again alone, a
# fixed number, afterwards.
book_answers='bookings + conflicts + busy + rule_refusals'
read -r bare_c0 bare_w0 <<<"$(stats_of "$book_answers")"
pgbench -h "$WORK" -p "${PORT[coordinator]}" -n -c 3 -j 1 -t 20 --failures-detailed --verbose-errors \
    -f "$HERE/limit_bare.pgbench" app >"$WORK/limit_bare.out" 2>&1
bare_calls=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/limit_bare.out")
read -r bare_c1 bare_w1 <<<"$(stats_of "$book_answers")"
check "the day-limit race's bare book calls through the coordinator all ran on the workers (${bare_calls:-0} of 60 answered; book's answers: coordinator +$((bare_c1 - bare_c0)), workers +$((bare_w1 - bare_w0)))" \
    test "${bare_calls:-0}" = 60 -a "$((bare_c1 - bare_c0))" = 0 -a "$((bare_w1 - bare_w0))" = 60
[ "${bare_calls:-0}" = 60 ] || grep -aiE 'error|abort' "$WORK/limit_bare.out" | sort | uniq -c | head -5 | sed 's/^/#   /'

# A real distributed deadlock is still found and broken.
source "$HERE/genuine_deadlock.sh"

# The contact cap, through the coordinator and straight to the worker at once.
source "$HERE/contact_cap.sh"

# A pool's slot raced through the coordinator and straight to the worker.
source "$HERE/pool_race.sh"

# Bulk writes of many tenants in one statement, distributed.
source "$HERE/bulk.sh"

# A lapsed hold is expired on its shard by that node's worker.
hold=$(q coordinator "SELECT booking.claim_slot('c1000000-0000-0000-0000-000000000003', 'lapse',
        '2033-01-01 10:00Z', ttl => '1 second')->>'hold_id'")
# Seconds on an idle machine (the interval is 200 ms); the wait allows for a
# machine busy with other suites, and a miss shows what each node's worker did.
for _ in $(seq 1 150); do
    [ "$(q coordinator "SELECT status FROM booking.reservations WHERE id = '$hold'")" = expired ] && break
    sleep 0.2
done
lapsed=$(q coordinator "SELECT status FROM booking.reservations WHERE id = '$hold'")
check "a lapsed hold is expired on its shard within seconds" test "$lapsed" = expired
[ "$lapsed" = expired ] || for node in "${NODES[@]}"; do
    echo "#   $node: $(q "$node" "SELECT worker_state || ' pid ' || coalesce(worker_pid::text, '-') || ' passes ' || worker_passes || ' expired ' || worker_expired || ' errors ' || worker_errors FROM booking.stats()" 2>&1 | head -c 600)"
    grep -a -E "ERROR|DETAIL|HINT|booking expiry" "$WORK/$node.log" | tail -6 | sed 's/^/#     /'
done
check "with its audit row" \
    test "$(q coordinator "SELECT count(*) FROM booking.audit_log WHERE entity_id = '$hold' AND action = 'expired'")" = 1

# A tenant's shard moved, then split, to the other worker while clients
# book it, through the coordinator and through the worker.
source "$HERE/move_split.sh"

# Dump and restore of the coordinator: pg_dump reads every shard through the
# coordinator; a fresh Citus database (its workers added) is then loaded the
# way a distributed schema is: the schema (CREATE EXTENSION booking), the
# tables distributed (distribute_by_tenant), the data, the indexes.
counts="SELECT (SELECT count(*) FROM booking.reservations) || '/' || (SELECT count(*) FROM booking.audit_log)
        || '/' || (SELECT count(*) FROM booking.calendars) || '/' || (SELECT count(*) FROM booking.event_consumers)
        || '/' || (SELECT count(*) FROM booking.event_queue)"
before=$(q coordinator "$counts")
pg_dump -Fc -h "$WORK" -p "${PORT[coordinator]}" -d app -f "$WORK/app.dump" 2>"$WORK/dump.log"
dumped=$?
for node in "${NODES[@]}"; do
    psql -X -q -h "$WORK" -p "${PORT[$node]}" -d postgres -c "CREATE DATABASE restored" >>"$WORK/dump.log" 2>&1
    psql -X -q -h "$WORK" -p "${PORT[$node]}" -d restored -c "CREATE EXTENSION citus" >>"$WORK/dump.log" 2>&1
done
qr() { psql -X -A -t -q -v ON_ERROR_STOP=1 -h "$WORK" -p "${PORT[coordinator]}" -d restored -c "$1" 2>>"$WORK/dump.log"; }
qr "SELECT citus_set_coordinator_host('127.0.0.1', ${PORT[coordinator]})" >/dev/null
qr "SELECT citus_add_node('127.0.0.1', ${PORT[worker1]})" >/dev/null
qr "SELECT citus_add_node('127.0.0.1', ${PORT[worker2]})" >/dev/null
restored=0
pg_restore -h "$WORK" -p "${PORT[coordinator]}" -d restored --section=pre-data "$WORK/app.dump" 2>>"$WORK/dump.log" || restored=1
qr "SELECT booking.distribute_by_tenant()" >/dev/null || restored=1
pg_restore -h "$WORK" -p "${PORT[coordinator]}" -d restored --section=data "$WORK/app.dump" 2>>"$WORK/dump.log" || restored=1
pg_restore -h "$WORK" -p "${PORT[coordinator]}" -d restored --section=post-data "$WORK/app.dump" 2>>"$WORK/dump.log" || restored=1
after=$(qr "$counts")
check "the coordinator dumped and restored into a fresh Citus database, every row kept ($before)" \
    test "$dumped" = 0 -a "$restored" = 0 -a "$before" = "$after"
[ "$restored" = 0 ] || sed 's/^/#   /' "$WORK/dump.log" | head -5
check "the restored tables are distributed by tenant again" \
    test "$(qr "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::text LIKE 'booking.%' AND partmethod = 'h'")" = 12
taken=$(qr "SELECT format('%L, %L', calendar_id, starts_at) FROM booking.reservations
           WHERE org_id = '$tenant' AND status = 'confirmed' ORDER BY starts_at LIMIT 1")
check "a restored booking still refuses an overlapping one (slot_unavailable)" \
    test "$(qr "SELECT booking.book('$tenant', $taken)->>'error'")" = slot_unavailable

# The engine on the node a call runs on (plan cache, locks, copies, sweeper).
. "$HERE/engine.sh"

# Each node's statistics say which node they describe.
nodes=$(q coordinator "SELECT count(DISTINCT result) FROM run_command_on_all_nodes('SELECT node FROM booking.stats')")
check "each node's statistics name their own node" test "$nodes" = 3

# Idle, no node's worker errors.
sleep 2
for node in "${NODES[@]}"; do : >"$WORK/$node.log"; done
sleep 2
errors=$(cat "$WORK"/*.log | grep -c ERROR)
check "no node's worker errors while idle" test "$errors" = 0
[ "$errors" = 0 ] || grep -h ERROR "$WORK"/*.log | head -5 | sed 's/^/#   /'

echo "# pass $passed"
echo "# fail $failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
