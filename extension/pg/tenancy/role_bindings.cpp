#include "pg/tenancy/role_bindings.hpp"

#include "pg/kernel/cached_table.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

namespace {

struct Entry {
    Oid role;  // the key
    pg_uuid_t org_id;
};
BOOKING_PLAIN_DATA(Entry);

// One row per bound role: small, and read again only after it changes.
CachedTable table = {"role_bindings"};
HTAB *bindings = nullptr;

void reset(void *) {
    if (bindings != nullptr)
        hash_destroy(bindings);
    HASHCTL ctl;
    memset(&ctl, 0, sizeof(ctl));
    ctl.keysize = sizeof(Oid);
    ctl.entrysize = sizeof(Entry);
    ctl.hcxt = CacheMemoryContext;
    bindings = hash_create("booking role bindings", 16, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

void read_row(HeapTuple row, TupleDesc desc, void *) {
    bool isnull;
    Oid role = DatumGetObjectId(SPI_getbinval(row, desc, 1, &isnull));
    Datum org = SPI_getbinval(row, desc, 2, &isnull);
    Entry *e = static_cast<Entry *>(hash_search(bindings, &role, HASH_ENTER, nullptr));
    memcpy(e->org_id.data, DatumGetUUIDP(org)->data, UUID_LEN);
}

}  // namespace

bool role_binding(Oid role, pg_uuid_t *org_id) {
    refresh(&table, "SELECT role::pg_catalog.oid, org_id FROM booking.role_bindings", reset,
            read_row, nullptr);
    if (hash_get_num_entries(bindings) == 0)
        return false;
    Entry *e = static_cast<Entry *>(hash_search(bindings, &role, HASH_FIND, nullptr));
    if (e == nullptr)
        return false;
    *org_id = e->org_id;
    return true;
}

}  // namespace booking::pg
