#include "pg/kernel/scale_out.hpp"

#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/statement.hpp"

namespace booking::pg {

namespace {

LocalTransactionId answered_in = InvalidLocalTransactionId;
bool distributed = false;
bool coordinator = false;

Statement is_distributed = {
    "SELECT EXISTS (SELECT FROM pg_catalog.pg_dist_partition "
    "WHERE logicalrelid = 'booking.reservations'::pg_catalog.regclass), "
    "EXISTS (SELECT FROM pg_catalog.pg_dist_local_group WHERE groupid = 0)",
    0,
    {},
    nullptr};

// This node's shards of booking.reservations, by the schema-qualified name
// Citus gives each (a table beside its distributed table).
Statement local_shards = {
    "SELECT pg_catalog.shard_name(s.logicalrelid, s.shardid) "
    "FROM pg_catalog.pg_dist_shard s JOIN pg_catalog.pg_dist_placement p USING (shardid) "
    "WHERE s.logicalrelid = 'booking.reservations'::pg_catalog.regclass "
    "AND p.groupid = (SELECT groupid FROM pg_catalog.pg_dist_local_group) ORDER BY s.shardid",
    0,
    {},
    nullptr};

void read_placement() {
    if (answered_in == compat::local_transaction_id())
        return;
    distributed = coordinator = false;
    if (custom_plans()) {
        run(is_distributed, nullptr, nullptr, 1);
        bool isnull;
        distributed = DatumGetBool(column(0, 1, &isnull));
        coordinator = distributed && DatumGetBool(column(0, 2, &isnull));
    }
    answered_in = compat::local_transaction_id();
}

}  // namespace

bool distributed_by_tenant() {
    read_placement();
    return distributed;
}

bool on_coordinator() {
    read_placement();
    return coordinator;
}

int local_orgs_with_lapsed_holds(TimestampTz now, int limit, pg_uuid_t **out) {
    uint64 shards = run(local_shards, nullptr, nullptr);
    char **names = static_cast<char **>(palloc(sizeof(char *) * (shards > 0 ? shards : 1)));
    for (uint64 i = 0; i < shards; ++i)
        names[i] = column_text(i, 1);
    pg_uuid_t *orgs = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * (limit > 0 ? limit : 1)));
    int n = 0;
    Oid types[2] = {TIMESTAMPTZOID, INT4OID};
    for (uint64 i = 0; i < shards && n < limit; ++i) {
        // A shard's name is known only here, so its statement is planned
        // each time: once per shard and pass, not per call.
        char *sql = psprintf("SELECT DISTINCT org_id FROM %s WHERE status = 'held' "
                             "AND expires_at <= $1 LIMIT $2",
                             names[i]);
        Datum values[2] = {TimestampTzGetDatum(now), Int32GetDatum(limit - n)};
        if (SPI_execute_with_args(sql, 2, types, values, nullptr, true, 0) != SPI_OK_SELECT)
            elog(ERROR, "could not read shard %s", names[i]);
        for (uint64 r = 0; r < SPI_processed && n < limit; ++r)
            orgs[n++] = column_uuid(r, 1);
    }
    *out = orgs;
    return n;
}

}  // namespace booking::pg
