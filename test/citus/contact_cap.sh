# Sourced by run.sh (its q, check, WORK and PORT): the contact cap raced
# through the coordinator (transaction blocks: the call runs there, and its
# calendar locks are the overlap guard's on the shard's node) and straight to
# the worker that holds the tenant (bare calls, run there) at once. The
# contact's row lock (booking.contact_locks) lives on the tenant's shard
# whichever way a call came, so exactly the cap's places are taken. On one
# node the cap takes an advisory lock instead (store/contact_locks.hpp),
# which would not exclude the coordinator's callers from the worker's: every
# path of a distributed tenant must lock the row, the worker's too.
cap_org=c1000000-0000-0000-0000-0000000000ca
cap_contact=c1000000-0000-0000-0000-0000000c0ca1
q coordinator "SELECT booking.set_org_policy('$cap_org', max_active_per_contact => 3)->>'success'" >/dev/null
cap_shard=$(q coordinator "SELECT get_shard_id_for_distribution_column('booking.reservations', '$cap_org'::uuid)")
cap_port=$(q coordinator "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE p.shardid = $cap_shard")
for i in 1 2 3 4 5 6 7 8; do
    call="SELECT coalesce(booking.book('$cap_org', 'cap-$((i % 2))', '2033-02-01 10:00Z'::timestamptz + interval '1 day' * $i, contact_id => '$cap_contact')->>'error', 'booked');"
    if [ $((i % 2)) = 0 ]; then
        psql -X -A -t -q -h "$WORK" -p "${PORT[coordinator]}" -d app \
            -c "BEGIN;" -c "$call" -c "SELECT pg_sleep(0.2);" -c "COMMIT;" >"$WORK/cap.$i.out" 2>&1 &
    else
        psql -X -A -t -q -h "$WORK" -p "$cap_port" -d app -c "$call" >"$WORK/cap.$i.out" 2>&1 &
    fi
done
wait
cap_won=$(cat "$WORK"/cap.*.out | grep -c '^booked$' || true)
cap_refused=$(cat "$WORK"/cap.*.out | grep -c '^contact_limit_reached$' || true)
cap_rows=$(q coordinator "SELECT count(*) FROM booking.reservations WHERE org_id = '$cap_org' AND contact_id = '$cap_contact' AND status = 'confirmed'")
check "the contact cap raced through the coordinator and the worker: 3 of 8 booked ($cap_won answered success, $cap_refused contact_limit_reached, $cap_rows rows)" \
    test "$cap_won" = 3 -a "$cap_refused" = 5 -a "$cap_rows" = 3
[ "$cap_won" = 3 ] && [ "$cap_refused" = 5 ] || grep -v '^$\|^booked$\|^contact_limit_reached$' "$WORK"/cap.*.out | head -5 | sed 's/^/#   /'
# A bare call straight to the shard's worker, for a contact of its own, locks
# the contact's row as a call through the coordinator does.
cap_alone=c1000000-0000-0000-0000-0000000c0ca2
psql -X -A -t -q -h "$WORK" -p "$cap_port" -d app \
    -c "SELECT booking.book('$cap_org', 'cap-1', '2033-03-01 10:00Z', contact_id => '$cap_alone')" >/dev/null
cap_alone_rows=$(q coordinator "SELECT count(*) FROM booking.contact_locks WHERE org_id = '$cap_org' AND contact_key = 'c:$cap_alone'")
check "distributed, a call straight to the shard's worker locks the contact's row of booking.contact_locks ($cap_alone_rows row)" \
    test "$cap_alone_rows" = 1
