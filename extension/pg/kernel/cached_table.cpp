#include "pg/kernel/cached_table.hpp"

#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/hooks.hpp"
#include "pg/kernel/owner_scope.hpp"
#include "pg/kernel/scale_out.hpp"

namespace booking::pg {

namespace {

constexpr int kMaxTables = 4;
CachedTable *tracked[kMaxTables];
int tracked_count = 0;

void invalidate(Oid relid) {
    for (int i = 0; i < tracked_count; ++i) {
        CachedTable *t = tracked[i];
        if (relid == InvalidOid || relid == t->relid) {
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
        CacheRegisterRelcacheCallback(hooks::relcache<invalidate>, (Datum)0);
    if (tracked_count == kMaxTables)
        elog(ERROR, "too many cached booking tables");
    tracked[tracked_count++] = table;
}

}  // namespace

void refresh(CachedTable *table, const char *sql, void (*reset)(void *), RowReader read,
             void *arg) {
    track(table);
    if (table->valid && table->read_in != compat::local_transaction_id() && distributed_by_tenant())
        table->valid = false;
    while (!table->valid) {
        table->relid = get_relname_relid(table->name, get_namespace_oid("booking", false));
        unsigned before = table->changes;
        // As the tables' owner, with the search path pinned: the table is
        // closed to the caller, whose path may hold anything.
        in_owner_scope([&] {
            if (SPI_execute(sql, true, 0) != SPI_OK_SELECT)
                elog(ERROR, "could not read booking.%s", table->name);
            reset(arg);
            for (uint64 i = 0; i < SPI_processed; ++i)
                read(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, arg);
        });
        // Reading ran SPI, which may have processed invalidations: a read an
        // invalidation overtook may be stale, so it is read again.
        table->valid = table->changes == before;
        table->read_in = compat::local_transaction_id();
    }
}

}  // namespace booking::pg
