// SQL entry points: import_appointments, and the audit ids its statement
// gives each imported row.
#include "pg/kernel/guard.hpp"
#include "pg/kernel/ids.hpp"
#include "pg/operations/operations.hpp"

using namespace booking;
using namespace booking::pg;

BOOKING_SQL_FUNCTION(booking_import_appointments) {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("source must not be null")));
    PG_RETURN_JSONB_P(import_appointments(text_to_cstring(PG_GETARG_TEXT_PP(0))));
}

BOOKING_SQL_FUNCTION(booking_new_audit_id) {
    pg_uuid_t *id = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    *id = new_id(GetCurrentTimestamp());
    PG_RETURN_UUID_P(id);
}
