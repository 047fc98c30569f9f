#include "pg/events/consumers.hpp"

#include "pg/kernel/cached_table.hpp"

namespace booking::pg {

namespace {

CachedTable table = {"event_consumers"};
HTAB *orgs = nullptr;     // organisations with consumers of their own
bool every_org = false;   // a consumer of every organisation exists

void reset(void *) {
    if (orgs != nullptr)
        hash_destroy(orgs);
    HASHCTL ctl;
    memset(&ctl, 0, sizeof(ctl));
    ctl.keysize = sizeof(pg_uuid_t);
    ctl.entrysize = sizeof(pg_uuid_t);
    ctl.hcxt = CacheMemoryContext;
    orgs = hash_create("booking event consumers", 16, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
    every_org = false;
}

void read_row(HeapTuple row, TupleDesc desc, void *) {
    bool isnull;
    Datum org = SPI_getbinval(row, desc, 1, &isnull);
    if (isnull)
        every_org = true;
    else
        (void)hash_search(orgs, DatumGetUUIDP(org), HASH_ENTER, nullptr);
}

}  // namespace

bool events_wanted(const pg_uuid_t *org_id) {
    refresh(&table, "SELECT DISTINCT org_id FROM booking.event_consumers", reset, read_row,
            nullptr);
    if (every_org)
        return true;
    return hash_get_num_entries(orgs) > 0 &&
           hash_search(orgs, org_id, HASH_FIND, nullptr) != nullptr;
}

}  // namespace booking::pg
