#include "pg/kernel/privilege.hpp"

#include "pg/compat/pg_compat.hpp"

namespace booking::pg {

namespace {

Oid cached_reservations_relid = InvalidOid;

// The owner of the relation, if it is still booking.reservations.
bool owner_of_cached(Oid *owner) {
    if (!OidIsValid(cached_reservations_relid))
        return false;
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(cached_reservations_relid));
    if (!HeapTupleIsValid(tup))
        return false;
    Form_pg_class cls = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup));
    bool same = strcmp(NameStr(cls->relname), "reservations") == 0;
    *owner = cls->relowner;
    ReleaseSysCache(tup);
    return same;
}

// A role's privilege, kept for the rest of its transaction: the settings
// ask at every use, and roles' attributes change by DDL only.
Oid cached_role = InvalidOid;
LocalTransactionId cached_lxid = InvalidLocalTransactionId;
bool cached_privileged = false;

}  // namespace

Oid tables_owner_if_installed() {
    Oid owner;
    if (owner_of_cached(&owner))
        return owner;
    Oid nsp = get_namespace_oid("booking", true);
    Oid relid = OidIsValid(nsp) ? get_relname_relid("reservations", nsp) : InvalidOid;
    if (!OidIsValid(relid))
        return InvalidOid;
    cached_reservations_relid = relid;
    return owner_of_cached(&owner) ? owner : InvalidOid;
}

Oid tables_owner() {
    Oid owner = tables_owner_if_installed();
    if (!OidIsValid(owner))
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("the booking extension is not installed in this database")));
    return owner;
}

bool role_is_privileged(Oid role) {
    if (role == cached_role && compat::local_transaction_id() == cached_lxid)
        return cached_privileged;
    bool privileged = superuser_arg(role) || has_bypassrls_privilege(role) ||
                      role == tables_owner_if_installed();
    cached_role = role;
    cached_lxid = compat::local_transaction_id();
    cached_privileged = privileged;
    return privileged;
}

}  // namespace booking::pg
