// A backend's copy of some rows of a tenant table, filled one key at a time
// as calls ask for them (an organisation's policy, a calendar's rules), so
// the hot path reads no table. The copy is dropped whole when its table
// changes: a trigger on the table sends a relcache invalidation at commit,
// which every backend receives at its next transaction. Distributed with
// Citus, a change fires that trigger on the organisation's shard, on the
// shard's node: a copy listens to this node's shards of its table too
// (scale_out.hpp's may_be_local_shard_of).
//
// Not a CachedTable (cached_table.hpp): that one is a whole small
// owner-only table read by one statement, its shards found by a catalog
// query at each read. These tables hold every tenant's rows, too many to
// read whole; a key missed is one statement for that key, and what changed
// on another node is read at each call instead (keyed_lookup).
#pragma once

#include <cstring>
#include <type_traits>

#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/kernel/scale_out.hpp"

namespace booking::pg {

// A copy holds at most this many keys; the next is stored in a fresh copy.
constexpr long kKeyedCacheLimit = 1024;

struct KeyedCache {
    const char *table;  // in schema booking: a change of it drops the copy
    const char *name;   // the hash table's, as memory context reports show it
    Size keysize;       // the key leads each entry (HASH_BLOBS: compared bytewise)
    Size entrysize;
    HTAB *hash = nullptr;
    Oid relid = InvalidOid;  // the table's, found when the copy is made
};
BOOKING_PLAIN_DATA(KeyedCache);

// The entry stored under key (keysize bytes), or null.
const void *keyed_find(KeyedCache *cache, const void *key);
// Stores entry (entrysize bytes, its key first), in a fresh copy when this
// one holds kKeyedCacheLimit keys.
void keyed_store(KeyedCache *cache, const void *entry);

// The entry of key for a call of org_id: the copy's, else load(Entry *)
// fills one (its key too), which is kept. Loading runs SPI, which may
// process invalidations and drop the copy, so the entry is loaded first and
// stored after. An organisation whose shard is on another node changes where
// no invalidation reaches this one: its entry is loaded at each call and
// not kept.
template <typename Entry, typename Load>
Entry keyed_lookup(KeyedCache *cache, const pg_uuid_t *org_id, const void *key, Load &&load) {
    static_assert(std::is_trivially_copyable_v<Entry> &&
                      std::is_trivially_destructible_v<std::remove_reference_t<Load>>,
                  "entries and the loader must be plain data: ereport(ERROR) longjmps over them");
    Entry entry;
    const bool keep = !(distributed_by_tenant() && tenant_elsewhere(org_id));
    if (keep) {
        if (const void *cached = keyed_find(cache, key)) {
            memcpy(&entry, cached, sizeof(Entry));
            return entry;
        }
    }
    load(&entry);
    if (keep)
        keyed_store(cache, &entry);
    return entry;
}

}  // namespace booking::pg
