#include "pg/kernel/keyed_cache.hpp"

#include "pg/kernel/invalidation.hpp"

namespace booking::pg {

namespace {

// Every copy made, for the one relcache listener they share (PostgreSQL
// gives a backend few callbacks: invalidation.hpp).
constexpr int kMaxKeyedCaches = 4;
KeyedCache *caches[kMaxKeyedCaches];
int cache_count = 0;

void drop(KeyedCache *c) {
    hash_destroy(c->hash);
    c->hash = nullptr;
}

void drop_changed(Oid relid) {
    for (int i = 0; i < cache_count; ++i) {
        KeyedCache *c = caches[i];
        if (c->hash != nullptr && (relid == InvalidOid || relid == c->relid ||
                                   may_be_local_shard_of(relid, c->relid)))
            drop(c);
    }
}

void track(KeyedCache *cache) {
    for (int i = 0; i < cache_count; ++i) {
        if (caches[i] == cache)
            return;
    }
    if (cache_count == kMaxKeyedCaches)
        elog(ERROR, "too many keyed booking caches");
    if (cache_count == 0)
        listen_to_relcache(drop_changed);
    caches[cache_count++] = cache;
}

HTAB *the_hash(KeyedCache *cache) {
    track(cache);
    if (cache->hash == nullptr) {
        cache->relid = get_relname_relid(cache->table, get_namespace_oid("booking", false));
        HASHCTL ctl;
        memset(&ctl, 0, sizeof(ctl));
        ctl.keysize = cache->keysize;
        ctl.entrysize = cache->entrysize;
        ctl.hcxt = CacheMemoryContext;
        cache->hash =
            hash_create(cache->name, 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
    }
    return cache->hash;
}

}  // namespace

const void *keyed_find(KeyedCache *cache, const void *key) {
    return hash_search(the_hash(cache), key, HASH_FIND, nullptr);
}

void keyed_store(KeyedCache *cache, const void *entry) {
    HTAB *hash = the_hash(cache);
    if (hash_get_num_entries(hash) >= kKeyedCacheLimit) {
        drop(cache);
        hash = the_hash(cache);
    }
    void *slot = hash_search(hash, entry, HASH_ENTER, nullptr);
    memcpy(slot, entry, cache->entrysize);
}

}  // namespace booking::pg
