#include "pg/store/schema.hpp"

namespace booking::pg::schema {

namespace {

// Asked of the catalog caches each time (three cache lookups; no call's hot
// path asks): a relcache callback would keep the answer for free, but
// PostgreSQL has room for ten such callbacks in a backend, and Citus takes
// most of them.
bool has_column(const char *table, const char *column) {
    Oid schema = get_namespace_oid("booking", true);
    Oid relid = OidIsValid(schema) ? get_relname_relid(table, schema) : InvalidOid;
    return OidIsValid(relid) && get_attnum(relid, column) != InvalidAttrNumber;
}

void refuse_older_schema(const char *what) {
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("%s needs the extension's current schema", what),
                    errdetail("The extension's schema is older than its library."),
                    errhint("Run ALTER EXTENSION booking UPDATE.")));
}

}  // namespace

bool has_resources() { return has_column("reservations", "capacity"); }

void require_resources(const char *what) {
    if (!has_resources())
        refuse_older_schema(what);
}

bool has_code_withdrawal() { return has_column("otp_codes", "previous_sent_at"); }

void require_code_withdrawal(const char *what) {
    if (!has_code_withdrawal())
        refuse_older_schema(what);
}

}  // namespace booking::pg::schema
