# Sourced by run.sh (its q, check, WORK and PORT): three racers for one slot
# of a pool of three, two through the coordinator in transaction blocks (the
# call runs there, without the members' locks, and chooses from what is
# committed) and one straight to the shard's worker (a bare call, which locks
# the members there). Both block racers choose the same member when neither
# sees the other's booking; the later finds it taken as it writes and chooses
# again, so every racer is booked, each round on all three members. (Chosen
# once, the later would be refused with two members free.)
pool_org=c1000000-0000-0000-0000-0000000000b0
for c in pr-a pr-b pr-c; do q coordinator "SELECT booking.set_calendar('$pool_org', '$c')->>'success'" >/dev/null; done
q coordinator "SELECT booking.set_pool('$pool_org', 'pr-any', ARRAY['pr-a', 'pr-b', 'pr-c'])->>'success'" >/dev/null
pool_shard=$(q coordinator "SELECT get_shard_id_for_distribution_column('booking.reservations', '$pool_org'::uuid)")
pool_port=$(q coordinator "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE p.shardid = $pool_shard")
pool_slots=("2033-04-01 10:00Z" "2033-04-02 10:00Z" "2033-04-03 10:00Z" "2033-04-04 10:00Z"
    "2033-04-05 10:00Z" "2033-04-06 10:00Z")
pool_rounds=${#pool_slots[@]}
for round in $(seq 1 $pool_rounds); do
    at=${pool_slots[$((round - 1))]}
    for i in 1 2 3; do
        # Even racers claim (a caller_ref each), odd ones book.
        if [ $((i % 2)) = 0 ]; then
            call="SELECT coalesce(r->>'calendar_id', r->>'error') FROM booking.claim_slot('$pool_org', 'pr-any', '$at', caller_ref => 'pr-$round-$i') r;"
        else
            call="SELECT coalesce(r->>'calendar_id', r->>'error') FROM booking.book('$pool_org', 'pr-any', '$at') r;"
        fi
        if [ $i -le 2 ]; then
            psql -X -A -t -q -h "$WORK" -p "${PORT[coordinator]}" -d app \
                -c "BEGIN;" -c "$call" -c "SELECT pg_sleep(0.3);" -c "COMMIT;" >"$WORK/pool.$round.$i.out" 2>&1 &
        else
            psql -X -A -t -q -h "$WORK" -p "$pool_port" -d app -c "$call" >"$WORK/pool.$round.$i.out" 2>&1 &
        fi
    done
    wait
done
pool_booked=$(cat "$WORK"/pool.*.out | grep -c '^pr-[abc]$' || true)
pool_rows=$(q coordinator "SELECT count(*) FROM booking.reservations WHERE org_id = '$pool_org' AND status IN ('held', 'confirmed')")
pool_distinct=$(q coordinator "SELECT count(DISTINCT (calendar_id, starts_at)) FROM booking.reservations WHERE org_id = '$pool_org' AND status IN ('held', 'confirmed')")
pool_assigned=$(q coordinator "SELECT sum(assigned) FROM booking.pool_members WHERE org_id = '$pool_org'")
check "a pool of three raced by three per slot, two in the coordinator's blocks and one on the worker: every racer booked, on a member of its own ($pool_booked of $((3 * pool_rounds)) booked, $pool_rows rows on $pool_distinct member-slots, counters $pool_assigned, in $pool_rounds rounds)" \
    test "$pool_booked" = $((3 * pool_rounds)) -a "$pool_rows" = $((3 * pool_rounds)) \
    -a "$pool_distinct" = $((3 * pool_rounds)) -a "$pool_assigned" = $((3 * pool_rounds))
[ "$pool_booked" = $((3 * pool_rounds)) ] || grep -H -v '^$\|^pr-[abc]$' "$WORK"/pool.*.out | head -5 | sed 's/^/#   /'
