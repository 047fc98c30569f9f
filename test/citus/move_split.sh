# Sourced by run.sh (its q, check, WORK and PORT): a tenant's shard moved,
# then split, to the other worker while clients book it, through each entry
# point (the coordinator, and the worker that holds the tenant). Citus's own
# test hook pauses the transfer just before it blocks writes: with
# citus.running_under_citus_test_suite on (superuser, the mover's session
# only), a non-blocking move or split takes advisory lock (44000, 55152) in
# share mode after its catch-up (ConflictWithIsolationTestingAfterCopy), so a
# session holding that lock holds the transfer there, the way Citus's
# isolation specs do. Then, in this order and each observed, not timed:
#   - a call open on the source (BEGIN; SELECT booking.book(...); no COMMIT)
#     makes the transfer wait when it blocks writes;
#   - a call sent then queues behind the transfer;
# (both seen in citus_lock_waits, which names the waiting and the blocking
# distributed transaction by global pid, on whichever node they wait);
#   - the open call commits, the transfer completes, the queued call runs;
# and afterwards every booking a client was answered with is in the target's
# shard with its audit row, and none overlaps another.

# Background psql sessions, each fed through a fifo; s_sync waits until a
# session has run everything sent to it.
declare -A SFD
s_open() { # s_open NAME NODE
    rm -f "$WORK/s.$1.in"; mkfifo "$WORK/s.$1.in"
    psql -X -A -t -q -h "$WORK" -p "${PORT[$2]}" -d app <"$WORK/s.$1.in" >"$WORK/s.$1.out" 2>&1 &
    local fd; exec {fd}>"$WORK/s.$1.in"; SFD[$1]=$fd
}
s_send() { printf '%s\n' "$2" >&"${SFD[$1]}"; }
s_sync() { # at most 120 s: a session that hangs fails the check that waits for it
    local tag="@@sync$RANDOM$RANDOM" i
    s_send "$1" "\\echo $tag"
    for i in $(seq 1 1200); do grep -q "^$tag\$" "$WORK/s.$1.out" && return 0; sleep 0.1; done
    return 1
}
s_close() { exec {SFD[$1]}>&-; }
wait_for() { # wait_for NODE SQL: until SQL answers t (at most 120 s)
    local i
    for i in $(seq 1 600); do [ "$(q "$1" "$2" 2>/dev/null)" = t ] && return 0; sleep 0.2; done
    return 1
}
appointments() { # the appointment ids of the successful answers in FILE...
    grep -h '^{' "$@" | grep -F '"success": true' | grep -o '"appointment_id": "[0-9a-f-]*"' | cut -d'"' -f4
}
node_of_port() { local n; for n in coordinator worker1 worker2; do [ "${PORT[$n]}" = "$1" ] && echo "$n"; done; }

transfer() { # transfer KIND ENTRY ORG: KIND move|split, ENTRY coordinator|worker
    local kind=$1 entry_kind=$2 org=$3 what shard from to entry cmd i ok_paused ok_waits ok_queued mgpid ogpid qgpid
    what="$kind through the $entry_kind"
    shard=$(q coordinator "SELECT get_shard_id_for_distribution_column('booking.reservations', '$org'::uuid)")
    from=$(node_of_port "$(q coordinator "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE p.shardid = $shard")")
    to=$([ "$from" = worker1 ] && echo worker2 || echo worker1)
    entry=$([ "$entry_kind" = coordinator ] && echo coordinator || echo "$from")
    if [ "$kind" = move ]; then
        cmd="SELECT citus_move_shard_placement($shard, '127.0.0.1', ${PORT[$from]}, '127.0.0.1', ${PORT[$to]}, shard_transfer_mode => 'force_logical');"
    else
        # Split the tenant's shard where the tenant's hash begins (or ends), the
        # tenant's part placed on the other worker.
        local h lo from_id to_id
        read -r h lo <<<"$(q coordinator "SELECT worker_hash('$org'::uuid) || ' ' || shardminvalue FROM pg_dist_shard WHERE shardid = $shard")"
        from_id=$(q coordinator "SELECT nodeid FROM pg_dist_node WHERE nodeport = ${PORT[$from]}")
        to_id=$(q coordinator "SELECT nodeid FROM pg_dist_node WHERE nodeport = ${PORT[$to]}")
        if [ "$h" -gt "$lo" ]; then
            cmd="SELECT citus_split_shard_by_split_points($shard, ARRAY['$((h - 1))'], ARRAY[$from_id, $to_id], 'force_logical');"
        else
            cmd="SELECT citus_split_shard_by_split_points($shard, ARRAY['$h'], ARRAY[$to_id, $from_id], 'force_logical');"
        fi
    fi
    echo "# $what: organisation $org, shard $shard on $from, to $to; entry $entry"
    q coordinator "SELECT booking.book('$org', 'before', '2037-03-01 09:00Z'::timestamptz + d * interval '1 day')
               FROM generate_series(0, 2) d" >/dev/null

    s_open hook coordinator
    s_send hook "SELECT pg_advisory_lock(44000, 55152);"; s_sync hook
    s_open mover coordinator
    s_send mover "SELECT citus_backend_gpid();"; s_sync mover
    mgpid=$(grep -m1 -E '^[0-9]+$' "$WORK/s.mover.out")
    s_send mover "SET citus.running_under_citus_test_suite = on;"
    s_send mover "$cmd"
    wait_for coordinator "SELECT count(*) = 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 44000
                          AND objid = 55152 AND objsubid = 2 AND NOT granted" && ok_paused=1 || ok_paused=0
    # Load: two clients booking the tenant with bare calls through the entry
    # point until told to stop, each answer written where the client saw it.
    rm -f "$WORK/stop.$kind.$entry_kind"
    for i in 1 2; do
        s_open "load$i" "$entry"
        (slot=0
         while [ ! -e "$WORK/stop.$kind.$entry_kind" ]; do
             slot=$((slot + 1))
             s_send "load$i" "SELECT booking.book('$org', 'load-$i', '2037-04-01 00:00Z'::timestamptz + $slot * interval '30 minutes');"
             sleep 0.05
         done) &
        eval "load_pid_$i=$!"
    done
    # During the catch-up, before writes are blocked: a call through the entry point.
    s_open during "$entry"
    s_send during "SELECT booking.book('$org', 'during', '2037-03-10 09:00Z');"; s_sync during
    # A call open on the source.
    s_open open "$entry"
    s_send open "BEGIN;"
    s_send open "SELECT citus_backend_gpid();"
    s_send open "SELECT booking.book('$org', 'open', '2037-03-11 09:00Z');"
    s_sync open
    ogpid=$(grep -m1 -E '^[0-9]+$' "$WORK/s.open.out")
    # Let the transfer go on: it must now wait for the open call.
    s_send hook "SELECT pg_advisory_unlock(44000, 55152);"; s_sync hook
    wait_for coordinator "SELECT EXISTS (SELECT FROM citus_lock_waits
                          WHERE waiting_gpid = ${mgpid:-0} AND blocking_gpid = ${ogpid:-0})" && ok_waits=1 || ok_waits=0
    # A call sent now queues behind the transfer: on the coordinator one that
    # runs there (a transaction block; a delegated call takes no lock there
    # and goes to the source, like the one during the catch-up); on the worker
    # a bare call.
    s_open queued "$entry"
    s_send queued "SELECT citus_backend_gpid();"; s_sync queued
    qgpid=$(grep -m1 -E '^[0-9]+$' "$WORK/s.queued.out")
    if [ "$entry_kind" = coordinator ]; then
        s_send queued "BEGIN;"
        s_send queued "SELECT set_config('booking.org_id', '$org', true) IS NULL;"
        s_send queued "SELECT booking.book('$org', 'queued', '2037-03-12 09:00Z');"
        s_send queued "COMMIT;"
    else
        s_send queued "SELECT booking.book('$org', 'queued', '2037-03-12 09:00Z');"
    fi
    wait_for coordinator "SELECT EXISTS (SELECT FROM citus_lock_waits
                          WHERE waiting_gpid = ${qgpid:-0} AND blocking_gpid = ${mgpid:-0})" && ok_queued=1 || ok_queued=0
    s_send open "COMMIT;"; s_sync open
    s_sync mover; s_sync queued
    touch "$WORK/stop.$kind.$entry_kind"
    for i in 1 2; do eval "wait \$load_pid_$i"; s_sync "load$i"; done
    for s in hook mover during open queued load1 load2; do s_close "$s"; done

    check "$what: Citus's test hook held the $kind just before it blocks writes" test "$ok_paused" = 1
    check "$what: a call open on the source (BEGIN; SELECT booking.book(…)) made it wait" test "$ok_waits" = 1
    check "$what: a call sent then queued behind it" test "$ok_queued" = 1
    local now mover_err
    now=$(q coordinator "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
                         WHERE p.shardid = get_shard_id_for_distribution_column('booking.reservations', '$org'::uuid)")
    mover_err=$(grep -m1 ERROR "$WORK/s.mover.out")
    check "$what: it completed, the tenant now on $to" test -z "$mover_err" -a "$now" = "${PORT[$to]}"
    [ -z "$mover_err" ] || echo "#   $mover_err"

    # Every answer that said booked, found in the target's shards themselves
    # (not through the metadata: a write left on the source would be lost).
    local ids n_ids n_open n_queued n_during errors rs as found audited overlaps list
    n_open=$(appointments "$WORK/s.open.out" | wc -l)
    n_queued=$(appointments "$WORK/s.queued.out" | wc -l)
    n_during=$(appointments "$WORK/s.during.out" | wc -l)
    ids=$(appointments "$WORK"/s.{open,queued,during,load1,load2}.out)
    n_ids=$(grep -c . <<<"$ids")
    errors=$(cat "$WORK"/s.{open,queued,during,load1,load2}.out | grep -c '^ERROR')
    list=$(sed "s/.*/'&'/" <<<"$ids" | paste -sd,)
    rs=$(q coordinator "SELECT get_shard_id_for_distribution_column('booking.reservations', '$org'::uuid)")
    as=$(q coordinator "SELECT get_shard_id_for_distribution_column('booking.audit_log', '$org'::uuid)")
    found=$(q "$to" "SELECT count(*) FROM booking.reservations_$rs WHERE org_id = '$org' AND status = 'confirmed'
                     AND id IN (${list:-NULL})")
    audited=$(q "$to" "SELECT count(DISTINCT entity_id) FROM booking.audit_log_$as WHERE org_id = '$org'
                       AND action = 'booked' AND entity_id IN (${list:-NULL})")
    check "$what: the open, the queued and the catch-up's calls were answered booked ($n_open, $n_queued, $n_during), and no call failed ($errors errors)" \
        test "$n_open" = 1 -a "$n_queued" = 1 -a "$n_during" = 1 -a "$errors" = 0
    [ "$errors" = 0 ] || grep -h '^ERROR' "$WORK"/s.{open,queued,during,load1,load2}.out | sort | uniq -c | head -3 | sed 's/^/#   /'
    check "$what: all $n_ids bookings answered (with the load's) are in $to's shard ($found), each with its audit row ($audited)" \
        test "$found" = "$n_ids" -a "$audited" = "$n_ids" -a "$n_ids" -gt 3
    overlaps=$(q coordinator "SELECT count(*) FROM booking.reservations a JOIN booking.reservations b
        ON a.org_id = b.org_id AND a.calendar_id = b.calendar_id AND a.id < b.id AND a.blocks && b.blocks
        WHERE a.org_id = '$org' AND a.status = 'confirmed' AND b.status = 'confirmed'")
    check "$what: the tenant books on $to afterwards, and no two of its bookings overlap ($overlaps pairs)" \
        test "$overlaps" = 0 -a "$(q coordinator "SELECT booking.book('$org', 'after', '2037-05-01 10:00Z') ->> 'success'")" = true
}

transfer move coordinator c1000000-0000-0000-0000-0000000000e1
transfer move worker c1000000-0000-0000-0000-0000000000e2
transfer split coordinator c1000000-0000-0000-0000-0000000000e3
transfer split worker c1000000-0000-0000-0000-0000000000e4
# The dump below checks that a restored booking still refuses an overlap.
tenant=c1000000-0000-0000-0000-0000000000e1
