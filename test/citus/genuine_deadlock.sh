# Sourced by run.sh (its q, check, WORK, PORT, limit_org, limit_home and
# limit_other): a real distributed deadlock is still found once the calls on
# a shard's node take distributed transaction ids of their own
# (extension/pg/kernel/citus_deadlocks.hpp). A transaction block on one
# worker books its own tenant (a local call) and then one on the other
# worker; another, through the coordinator, books the two in the opposite
# order. Each then waits for the calendar lock the other holds on the other
# node: Citus's detector must cancel exactly one (40P01), and the other
# books both, rather than both waiting forever.
dl_near=$limit_org   # its shard is on limit_home
q coordinator "SELECT booking.set_calendar('$dl_near', 'dl')" >/dev/null
# First, what makes it so: a transaction block on the tenant's worker has no
# distributed transaction id until its booking call, then one of its own.
dl_ids=$(psql -X -A -t -q -h "$WORK" -p "$limit_home" -d app -c "BEGIN" \
    -c "SELECT transaction_number <> 0 FROM get_current_transaction_id()" \
    -c "SELECT booking.book('$dl_near', 'dl', '2033-04-02 09:00Z', '30 minutes')->>'status'" \
    -c "SELECT transaction_number <> 0 FROM get_current_transaction_id()" -c "ROLLBACK" 2>&1 | tr '\n' ' ')
check "a call on its tenant's worker runs as a distributed transaction of its own (id before the call, answer, id after: $dl_ids)" \
    test "$dl_ids" = "f confirmed t "
dl_far=""
for dl_i in 2 3 4 5 6 7 8 9; do   # (n is run.sh's count of checks)
    dl_o=c1000000-0000-0000-0000-00000000d1e$dl_i
    dl_s=$(q coordinator "SELECT get_shard_id_for_distribution_column('booking.reservations', '$dl_o'::uuid)")
    dl_p=$(q coordinator "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE p.shardid = $dl_s")
    [ "$dl_p" = "$limit_other" ] && { dl_far=$dl_o; break; }
done
q coordinator "SELECT booking.set_calendar('$dl_far', 'dl')" >/dev/null
dl_tx() { # dl_tx PORT FIRST_ORG SECOND_ORG: books both, one second apart (a minute at most)
    timeout 60 psql -X -A -t -q -h "$WORK" -p "$1" -d app -v ON_ERROR_STOP=1 2>&1 <<SQL
BEGIN;
SELECT booking.book('$2', 'dl', '2033-04-01 09:00Z', '30 minutes')->>'status';
SELECT pg_sleep(1);
SELECT booking.book('$3', 'dl', '2033-04-01 09:00Z', '30 minutes')->>'status';
COMMIT;
SQL
}
dl_tx "$limit_home" "$dl_near" "$dl_far" >"$WORK/dl.worker.out" &
sleep 0.3
dl_tx "${PORT[coordinator]}" "$dl_far" "$dl_near" >"$WORK/dl.coordinator.out"
wait
dl_cancelled=$(cat "$WORK"/dl.*.out | grep -c 'involved in a distributed deadlock' || true)
dl_booked=$(cat "$WORK"/dl.*.out | grep -c '^confirmed$' || true)
dl_rows=$(q coordinator "SELECT count(*) FROM booking.reservations WHERE org_id IN ('$dl_near', '$dl_far') AND calendar_id = 'dl' AND status = 'confirmed'")
check "a real distributed deadlock (a block on the tenant's worker, one through the coordinator, opposite orders) ends with one cancelled as a deadlock and the other booking both ($dl_cancelled cancelled, $dl_rows rows)" \
    test -n "$dl_far" -a "$dl_cancelled" = 1 -a "$dl_rows" = 2 -a "$dl_booked" -ge 2
[ "$dl_cancelled" = 1 ] && [ "$dl_rows" = 2 ] || cat "$WORK"/dl.*.out | head -6 | sed 's/^/#   /'
