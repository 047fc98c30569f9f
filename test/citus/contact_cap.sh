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
# Waitlist offers obey the cap on a distributed tenant too: the offer only
# tries the contact's row lock (SKIP LOCKED on the tenant's shard), and Ann,
# at her cap with a hold of her own, is passed over for Bob. The cancel runs
# once in a transaction block through the coordinator (not delegated), once
# bare (delegated to the shard's worker).
offer_org=c1000000-0000-0000-0000-0000000000cb
q coordinator "SELECT booking.set_org_policy('$offer_org', max_active_per_contact => 1)->>'success'" >/dev/null
q coordinator "SELECT booking.claim_slot('$offer_org', 'wo-b', '2033-05-02 09:00Z', caller_ref => 'ann-call', patient_phone => '+15550001')->>'success'" >/dev/null
offer_states=""
for way in block bare; do
    day=$([ $way = block ] && echo "2033-05-03 09:00Z" || echo "2033-05-04 09:00Z")
    until_ts=$([ $way = block ] && echo "2033-05-03 10:00Z" || echo "2033-05-04 10:00Z")
    appt=$(q coordinator "SELECT booking.book('$offer_org', 'wo-a', '$day')->>'appointment_id'")
    ann=$(q coordinator "SELECT booking.join_waitlist('$offer_org', 'wo-a', '$day', '$until_ts', '30 minutes', '+15550001', 'Ann')->>'waitlist_id'")
    # A caller of their own each time: round one's offer counts toward its caller's cap.
    bob_phone=$([ $way = block ] && echo +15550002 || echo +15550003)
    bob=$(q coordinator "SELECT booking.join_waitlist('$offer_org', 'wo-a', '$day', '$until_ts', '30 minutes', '$bob_phone', 'Bob')->>'waitlist_id'")
    cancel="SELECT booking.cancel_appointment('$offer_org', '$appt')->>'status';"
    if [ $way = block ]; then
        psql -X -A -t -q -v ON_ERROR_STOP=1 -h "$WORK" -p "${PORT[coordinator]}" -d app -c "BEGIN;" -c "$cancel" -c "COMMIT;" >/dev/null
    else
        q coordinator "$cancel" >/dev/null
    fi
    offer_states="$offer_states $way:$(q coordinator "SELECT booking.waitlist_status('$offer_org', '$ann')->>'status'")/$(q coordinator "SELECT booking.waitlist_status('$offer_org', '$bob')->>'status'")"
done
check "distributed, a waitlist offer passes over a caller at the contact cap, through the coordinator's block and delegated (Ann/Bob:$offer_states)" \
    test "$offer_states" = " block:waiting/offered bare:waiting/offered"
