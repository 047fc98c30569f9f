// How long the current value of a setting lasts. A tenant binding must never
// outlive its transaction on a pooled connection, so booking.org_id and
// request.jwt.claims count only when set for the transaction: SET LOCAL,
// set_config(..., true), or a function's SET clause. PostgreSQL keeps that
// fact in its GUC stack (utils/guc_tables.h), read through pg_compat.hpp, the
// one place that knows its layout.
#pragma once

#include "pg/compat/pg_compat.hpp"

namespace booking::pg {

enum class GucScope {
    unset,        // empty, or never set
    transaction,  // ends with the transaction (or the function) that set it
    session,      // set with a plain SET, or by a role/database/connection default
};

// The scope of the setting's current value; unset when no such setting
// exists (a placeholder nobody has set).
GucScope guc_scope(const char *name);

}  // namespace booking::pg
