// Who stands above the tenant rule: the role that owns the extension's
// tables, superusers, and roles with BYPASSRLS. Everyone else acts in one
// organisation at a time and is bound by the owner's limits.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// The role that owns the extension's tables; raises when the extension is
// not installed in this database.
Oid tables_owner();
// The same, or InvalidOid when the extension is not installed here.
Oid tables_owner_if_installed();

// Whether role is privileged: owner, superuser or BYPASSRLS. Needs a
// transaction; answered once per role and transaction.
bool role_is_privileged(Oid role);

}  // namespace booking::pg
