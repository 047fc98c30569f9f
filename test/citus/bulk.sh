# Sourced by run.sh (its q, check, WORK and PORT): bulk writes of many
# tenants in one transaction, distributed (issue 26). Through the coordinator
# an INSERT ... SELECT of 2,000 tenants' rows is split by shard and runs on
# each worker in one transaction of its own there, which keeps at most 32
# calendar locks (the rest held for a row each, store/calendar_lock.hpp); an
# overlap anywhere refuses the statement whole, on every shard. Straight to a
# worker, the same holds for the tenants of its shards. import_appointments
# answers 0A000 once the tables are distributed (the guard's skip cannot be
# armed on the workers).
bulk_rows="SELECT ('c2000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, gen_random_uuid(), 'bulk',
        '2034-01-02 09:00Z'::timestamptz, '2034-01-02 09:30Z'::timestamptz, 'confirmed'
    FROM generate_series(1, 2000) g"
bulk_insert="INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status) $bulk_rows"
q coordinator "$bulk_insert" >/dev/null 2>"$WORK/bulk.err"
bulk_n=$(q coordinator "SELECT count(*) FROM booking.reservations WHERE calendar_id = 'bulk'")
check "through the coordinator, one INSERT ... SELECT of 2,000 tenants' rows goes in ($bulk_n rows)" \
    test "$bulk_n" = 2000
[ "$bulk_n" = 2000 ] && true || sed 's/^/#   /' "$WORK/bulk.err" | head -3
# The same rows again, each overlapping its own: refused whole.
bulk_again=$(q coordinator "$bulk_insert" 2>&1 | grep -c 'overlaps another blocking reservation' || true)
bulk_n=$(q coordinator "SELECT count(*) FROM booking.reservations WHERE calendar_id = 'bulk'")
check "the same rows again: refused with 23P01, nothing added ($bulk_n rows)" \
    test "$bulk_again" = 1 -a "$bulk_n" = 2000
# Straight to the worker of one shard: the tenants whose rows live there,
# 09:30 to 10:00 (no overlap), in one statement.
bulk_shard=$(q coordinator "SELECT shardid FROM pg_dist_shard WHERE logicalrelid = 'booking.reservations'::regclass ORDER BY shardid LIMIT 1")
bulk_port=$(q coordinator "SELECT n.nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid) WHERE p.shardid = $bulk_shard")
bulk_orgs=$(q coordinator "SELECT count(*) FROM generate_series(1, 2000) g
    WHERE get_shard_id_for_distribution_column('booking.reservations', ('c2000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid) = $bulk_shard")
psql -X -A -t -q -h "$WORK" -p "$bulk_port" -d app -c "
    INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
    SELECT org, gen_random_uuid(), 'bulk', '2034-01-02 09:30Z', '2034-01-02 10:00Z', 'confirmed'
    FROM (SELECT ('c2000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid AS org FROM generate_series(1, 2000) g) t
    WHERE get_shard_id_for_distribution_column('booking.reservations', org) = $bulk_shard" >/dev/null 2>"$WORK/bulk2.err"
bulk_later=$(q coordinator "SELECT count(*) FROM booking.reservations WHERE calendar_id = 'bulk' AND starts_at = '2034-01-02 09:30Z'")
check "straight to a worker, one INSERT ... SELECT of its shard's $bulk_orgs tenants goes in ($bulk_later rows)" \
    test "$bulk_later" = "$bulk_orgs" -a "$bulk_orgs" -gt 32
[ "$bulk_later" = "$bulk_orgs" ] || sed 's/^/#   /' "$WORK/bulk2.err" | head -3
bulk_import=$(q coordinator "SELECT booking.import_appointments('SELECT 1')" 2>&1 | grep -c 'runs before the tables are distributed' || true)
check "import_appointments on distributed tables answers that it runs before distribution" \
    test "$bulk_import" = 1
