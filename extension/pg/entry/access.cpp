// SQL entry points for access: the organisation the caller is bound to (used
// by the row-level security policies), and granting the access profiles of
// core/access_profiles.hpp to a deployment's roles.
#include "core/access_profiles.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/entry/guard.hpp"
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

const core::access::Profile *profile_arg(FunctionCallInfo fcinfo, int argno) {
    if (PG_ARGISNULL(argno))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("profile must not be null")));
    char *name = text_to_cstring(PG_GETARG_TEXT_PP(argno));
    const core::access::Profile *profile = core::access::find_profile(name);
    if (profile == nullptr)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("unknown access profile \"%s\"", name),
                        errhint("The profiles are agent, sms_sender, staff and monitor.")));
    return profile;
}

const char *role_arg(FunctionCallInfo fcinfo, int argno) {
    if (PG_ARGISNULL(argno))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("role must not be null")));
    return quote_identifier(GetUserNameFromId(PG_GETARG_OID(argno), false));
}

// Runs the statements as the caller (who must be allowed to grant) and
// answers them as text[], so the caller sees exactly what changed.
Datum run_statements(List *statements) {
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "SPI_connect failed");
    ListCell *lc;
    foreach (lc, statements) {
        if (SPI_execute(static_cast<const char *>(lfirst(lc)), false, 0) < 0)
            elog(ERROR, "could not run \"%s\"", static_cast<const char *>(lfirst(lc)));
    }
    SPI_finish();
    int n = list_length(statements);
    Datum *items = static_cast<Datum *>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
    int i = 0;
    foreach (lc, statements)
        items[i++] = CStringGetTextDatum(static_cast<const char *>(lfirst(lc)));
    PG_RETURN_ARRAYTYPE_P(construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT));
}

List *append_once(List *list, char *statement) {
    ListCell *lc;
    foreach (lc, list) {
        if (strcmp(static_cast<const char *>(lfirst(lc)), statement) == 0)
            return list;
    }
    return lappend(list, statement);
}

List *profile_statements(List *out, const core::access::Profile *profile, const char *verb,
                         const char *preposition, const char *role) {
    for (const char *const *f = profile->functions; *f != nullptr; ++f)
        out = append_once(out, psprintf("%s EXECUTE ON FUNCTION booking.%s %s %s", verb, *f,
                                        preposition, role));
    for (const char *const *t = profile->readable; *t != nullptr; ++t)
        out = append_once(out,
                          psprintf("%s SELECT ON booking.%s %s %s", verb, *t, preposition, role));
    return out;
}

}  // namespace

BOOKING_SQL_FUNCTION(booking_grant_access) {
    const char *role = role_arg(fcinfo, 0);
    const core::access::Profile *profile = profile_arg(fcinfo, 1);
    List *statements = list_make1(psprintf("GRANT USAGE ON SCHEMA booking TO %s", role));
    statements = profile_statements(statements, profile, "GRANT", "TO", role);
    return run_statements(statements);
}

BOOKING_SQL_FUNCTION(booking_revoke_access) {
    const char *role = role_arg(fcinfo, 0);
    List *statements = NIL;
    for (const core::access::Profile *const *p = core::access::all_profiles(); *p != nullptr; ++p)
        statements = profile_statements(statements, *p, "REVOKE", "FROM", role);
    statements = lappend(statements, psprintf("REVOKE USAGE ON SCHEMA booking FROM %s", role));
    return run_statements(statements);
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
