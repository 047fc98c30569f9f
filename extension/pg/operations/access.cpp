// Granting a deployment's roles one of the access profiles (and revoking
// them). Which profile holds what is booking.access_profiles, the install
// script's one list (read as the tables' owner: the table is owner-only); the
// GRANT and REVOKE statements then run as the caller, whose rights they need
// and who is recorded as their grantor. The answer lists them, so the caller
// sees exactly what changed.
#include "pg/kernel/statement.hpp"
#include "pg/kernel/subtransaction.hpp"
#include "pg/operations/operations.hpp"

namespace booking::pg {

namespace {

// The table's two rows that are not grantable profiles: what every role may
// call, and what only the owner uses.
#define NOT_GRANTABLE "('public', 'owner')"

Statement read_profiles = {
    "SELECT profile, object, kind = 'function' FROM booking.access_profiles "
    "WHERE profile NOT IN " NOT_GRANTABLE " ORDER BY ordinal",
    0,
    {},
    nullptr};

struct ProfileRow {
    const char *profile;
    const char *object;
    bool is_function;
};
BOOKING_PLAIN_DATA(ProfileRow);

// The grantable rows in order, in the caller's memory.
int profile_rows(ProfileRow **out) {
    return in_call_scope(nullptr, [&](CallContext *ctx) -> int {
        Oid schema = get_namespace_oid("booking", false);
        if (!OidIsValid(get_relname_relid("access_profiles", schema)))
            ereport(ERROR,
                    (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                     errmsg("booking's access profiles are missing from this database"),
                     errdetail("The extension's schema is older than its library."),
                     errhint("Run ALTER EXTENSION booking UPDATE.")));
        uint64 n = run(read_profiles, nullptr, nullptr);
        ProfileRow *rows = static_cast<ProfileRow *>(
            MemoryContextAlloc(ctx->caller_context, sizeof(ProfileRow) * (n > 0 ? n : 1)));
        for (uint64 i = 0; i < n; ++i) {
            rows[i].profile = MemoryContextStrdup(ctx->caller_context, column_text(i, 1));
            rows[i].object = MemoryContextStrdup(ctx->caller_context, column_text(i, 2));
            bool isnull;
            rows[i].is_function = DatumGetBool(column(i, 3, &isnull));
        }
        *out = rows;
        return static_cast<int>(n);
    });
}

// "agent, sms_sender, staff and monitor", in the table's order.
const char *profile_names(const ProfileRow *rows, int n) {
    List *names = NIL;
    for (int i = 0; i < n; ++i) {
        if (names == NIL || strcmp(static_cast<const char *>(llast(names)), rows[i].profile) != 0)
            names = lappend(names, const_cast<char *>(rows[i].profile));
    }
    StringInfoData buf;
    initStringInfo(&buf);
    for (int i = 0; i < list_length(names); ++i) {
        if (i > 0)
            appendStringInfoString(&buf, i == list_length(names) - 1 ? " and " : ", ");
        appendStringInfoString(&buf, static_cast<const char *>(list_nth(names, i)));
    }
    return buf.data;
}

List *append_once(List *list, char *statement) {
    ListCell *lc;
    foreach (lc, list) {
        if (strcmp(static_cast<const char *>(lfirst(lc)), statement) == 0)
            return list;
    }
    return lappend(list, statement);
}

char *row_statement(const ProfileRow &row, const char *verb, const char *preposition,
                    const char *role) {
    return psprintf("%s %s booking.%s %s %s", verb,
                    row.is_function ? "EXECUTE ON FUNCTION" : "SELECT ON",
                    quote_identifier(row.object), preposition, role);
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

ArrayType *grant_access(const char *role, const char *profile) {
    ProfileRow *rows = nullptr;
    int n = profile_rows(&rows);
    List *statements = list_make1(psprintf("GRANT USAGE ON SCHEMA booking TO %s", role));
    bool known = false;
    for (int i = 0; i < n; ++i) {
        if (strcmp(rows[i].profile, profile) != 0)
            continue;
        known = true;
        statements = append_once(statements, row_statement(rows[i], "GRANT", "TO", role));
    }
    if (!known)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("unknown access profile \"%s\"", profile),
                        errhint("The profiles are %s.", profile_names(rows, n))));
    return run_as_caller(statements);
}

ArrayType *revoke_access(const char *role) {
    ProfileRow *rows = nullptr;
    int n = profile_rows(&rows);
    List *statements = NIL;
    for (int i = 0; i < n; ++i)
        statements = append_once(statements, row_statement(rows[i], "REVOKE", "FROM", role));
    statements = lappend(statements, psprintf("REVOKE USAGE ON SCHEMA booking FROM %s", role));
    return run_as_caller(statements);
}

void grant_as_database(const char *statement) {
    List *parsed = pg_parse_query(statement);
    if (list_length(parsed) != 1 || !IsA(linitial_node(RawStmt, parsed)->stmt, GrantStmt) ||
        !castNode(GrantStmt, linitial_node(RawStmt, parsed)->stmt)->is_grant)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("not one GRANT statement: %s", statement)));
    // PostgreSQL records a grant made while an extension script runs as the
    // extension's initial privilege: pg_dump then leaves it out, and from 17
    // the grantee depends on it (pg_shdepend), so DROP ROLE refuses even
    // after a REVOKE. A role's grant that an update gives back (a replaced
    // function's) is the database's, as before the update: it is made with
    // the script's mark lifted, and the mark is put back on every path.
    const bool in_script = creating_extension;
    in_subtransaction(
        kAbsorbNothing,
        [&] {
            creating_extension = false;
            (void)run_as_caller(list_make1(pstrdup(statement)));
            return true;
        },
        [&] { creating_extension = in_script; });
}

}  // namespace booking::pg
