#include "pg/call/schema.hpp"

#include "pg/compat/pg_compat.hpp"

#ifndef BOOKING_EXTVERSION
#error "BOOKING_EXTVERSION (booking.control's default_version) must be defined by the build"
#endif

namespace booking::pg::schema {

namespace {

// The installed version of booking in this database, or null; read from
// pg_extension by its name index (a few microseconds; there is no syscache).
char *installed_version() {
    Relation rel = table_open(ExtensionRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
                CStringGetDatum("booking"));
    SysScanDesc scan = systable_beginscan(rel, ExtensionNameIndexId, true, nullptr, 1, &key);
    HeapTuple tuple = systable_getnext(scan);
    char *version = nullptr;
    if (HeapTupleIsValid(tuple)) {
        bool isnull = true;
        Datum d = heap_getattr(tuple, Anum_pg_extension_extversion, RelationGetDescr(rel), &isnull);
        if (!isnull)
            version = text_to_cstring(DatumGetTextPP(d));
    }
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
    return version;
}

// The answer for the transaction that asked last.
LocalTransactionId answered_in = InvalidLocalTransactionId;
bool answer = false;
char *seen_version = nullptr;  // in TopMemoryContext

}  // namespace

bool is_current() {
    if (answered_in == compat::local_transaction_id())
        return answer;
    char *version = installed_version();
    answer = version != nullptr && strcmp(version, BOOKING_EXTVERSION) == 0;
    if (seen_version != nullptr)
        pfree(seen_version);
    seen_version = version != nullptr ? MemoryContextStrdup(TopMemoryContext, version) : nullptr;
    answered_in = compat::local_transaction_id();
    return answer;
}

void require_current() {
    if (creating_extension || is_current())
        return;
    if (seen_version == nullptr)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("the booking extension is not installed in this database")));
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("booking's library is release %s, this database has release %s",
                           BOOKING_EXTVERSION, seen_version),
                    errdetail("The library serves its own release's schema only."),
                    errhint("Run ALTER EXTENSION booking UPDATE.")));
}

}  // namespace booking::pg::schema
