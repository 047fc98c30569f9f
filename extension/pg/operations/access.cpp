// Granting a deployment's roles one of the access profiles (and revoking
// them): the GRANT and REVOKE statements run as the caller, whose rights they
// need and who is recorded as their grantor; the answer lists them, so the
// caller sees exactly what changed.
#include "core/access_profiles.hpp"
#include "pg/operations/operations.hpp"

namespace booking::pg {

namespace {

const core::access::Profile *find_profile_or_raise(const char *name) {
    const core::access::Profile *profile = core::access::find_profile(name);
    if (profile == nullptr)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("unknown access profile \"%s\"", name),
                        errhint("The profiles are agent, sms_sender, staff and monitor.")));
    return profile;
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

// Runs the statements as the caller and answers them as text[].
ArrayType *run_as_caller(List *statements) {
    in_caller_spi_scope([&] {
        ListCell *lc;
        foreach (lc, statements) {
            if (SPI_execute(static_cast<const char *>(lfirst(lc)), false, 0) < 0)
                elog(ERROR, "could not run \"%s\"", static_cast<const char *>(lfirst(lc)));
        }
    });
    int n = list_length(statements);
    Datum *items = static_cast<Datum *>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
    int i = 0;
    ListCell *lc;
    foreach (lc, statements)
        items[i++] = CStringGetTextDatum(static_cast<const char *>(lfirst(lc)));
    return construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT);
}

}  // namespace

ArrayType *grant_access(const char *role, const char *profile_name) {
    const core::access::Profile *profile = find_profile_or_raise(profile_name);
    List *statements = list_make1(psprintf("GRANT USAGE ON SCHEMA booking TO %s", role));
    statements = profile_statements(statements, profile, "GRANT", "TO", role);
    return run_as_caller(statements);
}

ArrayType *revoke_access(const char *role) {
    List *statements = NIL;
    for (const core::access::Profile *const *p = core::access::all_profiles(); *p != nullptr; ++p)
        statements = profile_statements(statements, *p, "REVOKE", "FROM", role);
    statements = lappend(statements, psprintf("REVOKE USAGE ON SCHEMA booking FROM %s", role));
    return run_as_caller(statements);
}

}  // namespace booking::pg
