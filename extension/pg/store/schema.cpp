#include "pg/store/schema.hpp"

namespace booking::pg::schema {

// Asked of the catalog caches each time (three cache lookups; no call's hot
// path asks): a relcache callback would keep the answer for free, but
// PostgreSQL has room for ten such callbacks in a backend, and Citus takes
// most of them.
bool has_resources() {
    Oid schema = get_namespace_oid("booking", true);
    Oid reservations = OidIsValid(schema) ? get_relname_relid("reservations", schema) : InvalidOid;
    return OidIsValid(reservations) && get_attnum(reservations, "capacity") != InvalidAttrNumber;
}

void require_resources(const char *what) {
    if (has_resources())
        return;
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("%s needs the extension's current schema", what),
                    errdetail("The extension's schema is older than its library."),
                    errhint("Run ALTER EXTENSION booking UPDATE.")));
}

}  // namespace booking::pg::schema
