#include "pg/store/schema.hpp"

#include "pg/entry/hooks.hpp"

namespace booking::pg::schema {

namespace {

enum class Known { not_yet, yes, no };
Known resources = Known::not_yet;
Oid reservations_relid = InvalidOid;
bool callback_registered = false;

void forget(Oid relid) {
    if (relid == InvalidOid || relid == reservations_relid)
        resources = Known::not_yet;
}

}  // namespace

bool has_resources() {
    if (resources != Known::not_yet)
        return resources == Known::yes;
    if (!callback_registered) {
        CacheRegisterRelcacheCallback(hooks::relcache<forget>, (Datum)0);
        callback_registered = true;
    }
    Oid schema = get_namespace_oid("booking", true);
    reservations_relid = OidIsValid(schema) ? get_relname_relid("reservations", schema) : InvalidOid;
    bool has = OidIsValid(reservations_relid) &&
               get_attnum(reservations_relid, "capacity") != InvalidAttrNumber;
    resources = has ? Known::yes : Known::no;
    return has;
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
