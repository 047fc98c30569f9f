#include "pg/kernel/cached_table.hpp"

#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/invalidation.hpp"
#include "pg/kernel/owner_scope.hpp"
#include "pg/kernel/statement.hpp"

namespace booking::pg {

namespace {

constexpr int kMaxTables = 4;
CachedTable *tracked[kMaxTables];
int tracked_count = 0;

bool stands_for(const CachedTable *t, Oid relid) {
    if (t->reading || relid == InvalidOid || relid == t->relid)
        return true;
    for (int i = 0; i < t->shards; ++i) {
        if (relid == t->shard[i])
            return true;
    }
    return false;
}

void invalidate(Oid relid) {
    for (int i = 0; i < tracked_count; ++i) {
        CachedTable *t = tracked[i];
        if (stands_for(t, relid)) {
            t->valid = false;
            ++t->changes;
        }
    }
}

void track(CachedTable *table) {
    for (int i = 0; i < tracked_count; ++i) {
        if (tracked[i] == table)
            return;
    }
    if (tracked_count == 0)
        listen_to_relcache(invalidate);
    if (tracked_count == kMaxTables)
        elog(ERROR, "too many cached booking tables");
    tracked[tracked_count++] = table;
}

// The table's shards by the relation each is on this node (none where the
// table is not Citus's), and whether every shard has a placement here.
const char *const kShardsSql =
    "SELECT pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid))"
    "::pg_catalog.oid, EXISTS (SELECT FROM pg_catalog.pg_dist_placement p "
    "  WHERE p.shardid = s.shardid "
    "  AND p.groupid = (SELECT groupid FROM pg_catalog.pg_dist_local_group)) "
    "FROM pg_catalog.pg_dist_shard s WHERE s.logicalrelid = $1";

void find_shards(CachedTable *table) {
    table->shards = 0;
    table->per_transaction = false;
    if (!citus_shapes())
        return;
    Oid types[1] = {OIDOID};
    Datum values[1] = {ObjectIdGetDatum(table->relid)};
    if (SPI_execute_with_args(kShardsSql, 1, types, values, nullptr, true, 0) != SPI_OK_SELECT)
        elog(ERROR, "could not find the shards of booking.%s", table->name);
    for (uint64 i = 0; i < SPI_processed; ++i) {
        bool null_relid, isnull;
        Datum shard = column(i, 1, &null_relid);
        bool here = DatumGetBool(column(i, 2, &isnull));
        if (null_relid || !here || table->shards == kMaxListenedShards) {
            table->per_transaction = true;
            continue;
        }
        table->shard[table->shards++] = DatumGetObjectId(shard);
    }
}

}  // namespace

void refresh(CachedTable *table, const char *sql, void (*reset)(void *), RowReader read,
             void *arg) {
    track(table);
    if (table->valid && table->per_transaction &&
        table->read_in != compat::local_transaction_id())
        table->valid = false;
    while (!table->valid) {
        table->relid = get_relname_relid(table->name, get_namespace_oid("booking", false));
        unsigned before = table->changes;
        // As the tables' owner, with the search path pinned: the table is
        // closed to the caller, whose path may hold anything.
        table->reading = true;
        in_owner_scope([&] {
            find_shards(table);
            if (SPI_execute(sql, true, 0) != SPI_OK_SELECT)
                elog(ERROR, "could not read booking.%s", table->name);
            reset(arg);
            for (uint64 i = 0; i < SPI_processed; ++i)
                read(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, arg);
        });
        table->reading = false;
        ++table->reads;
        ereport(DEBUG2, (errmsg_internal("booking: read booking.%s into this backend's copy "
                                         "(read %u times)",
                                         table->name, table->reads)));
        // Reading ran SPI, which may have processed invalidations: a read an
        // invalidation overtook may be stale, so it is read again.
        table->valid = table->changes == before;
        table->read_in = compat::local_transaction_id();
    }
}

}  // namespace booking::pg
