// Roles the owner bound to one organisation (booking.role_bindings, which
// only the owner writes): such a role acts in that organisation whatever
// any setting or claim says. Each backend keeps a copy of the table, dropped
// whenever it changes (the trigger role_bindings_changed).
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// The organisation role is bound to; false when it is not bound.
bool role_binding(Oid role, pg_uuid_t *org_id);

}  // namespace booking::pg
