// SQL entry points for access: the organisation the caller is bound to (used
// by the row-level security policies), granting and revoking the access
// profiles, and binding roles to organisations.
#include "pg/call/call_scope.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"
#include "pg/tenancy/tenant_binding.hpp"

using namespace booking;
using namespace booking::pg;

BOOKING_SQL_FUNCTION(booking_current_org_id) {
    pg_uuid_t *org = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    if (!bound_org_id(GetUserId(), org))
        PG_RETURN_NULL();
    PG_RETURN_UUID_P(org);
}

namespace {

const char *profile_arg(FunctionCallInfo fcinfo, int argno) {
    if (PG_ARGISNULL(argno))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("profile must not be null")));
    return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

// The role, quoted for the statements that name it.
const char *role_arg(FunctionCallInfo fcinfo, int argno) {
    if (PG_ARGISNULL(argno))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("role must not be null")));
    return quote_identifier(GetUserNameFromId(PG_GETARG_OID(argno), false));
}

}  // namespace

BOOKING_SQL_FUNCTION(booking_grant_access) {
    const char *role = role_arg(fcinfo, 0);
    const char *profile = profile_arg(fcinfo, 1);
    PG_RETURN_ARRAYTYPE_P(grant_access(role, profile));
}

BOOKING_SQL_FUNCTION(booking_revoke_access) {
    PG_RETURN_ARRAYTYPE_P(revoke_access(role_arg(fcinfo, 0)));
}

// Used by the upgrade scripts only (created and dropped within them).
BOOKING_SQL_FUNCTION(booking_grant_as_database) {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("statement must not be null")));
    grant_as_database(text_to_cstring(PG_GETARG_TEXT_PP(0)));
    PG_RETURN_VOID();
}

namespace {

Oid regrole_arg(FunctionCallInfo fcinfo, int argno) {
    if (PG_ARGISNULL(argno))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("role must not be null")));
    Oid role = PG_GETARG_OID(argno);
    // A regrole of a dropped role still arrives as its number.
    (void)GetUserNameFromId(role, false);
    return role;
}

}  // namespace

BOOKING_SQL_FUNCTION(booking_bind_role) {
    Oid role = regrole_arg(fcinfo, 0);
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 1, "org_id");
    PG_RETURN_JSONB_P(bind_role(role, org_id));
}

BOOKING_SQL_FUNCTION(booking_unbind_role) {
    PG_RETURN_JSONB_P(unbind_role(regrole_arg(fcinfo, 0)));
}
