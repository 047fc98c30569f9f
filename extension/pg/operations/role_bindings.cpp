// Binding roles to organisations: the owner's mapping that no setting or
// claim can override (pg/tenancy/tenant_binding.hpp says how it is read).
#include "pg/answer/answers.hpp"
#include "pg/kernel/privilege.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/operations/operations.hpp"
#include "pg/store/audit.hpp"

namespace booking::pg {

namespace {

Statement upsert_binding = {
    "WITH previous AS (SELECT org_id FROM booking.role_bindings WHERE role = $1 FOR UPDATE), "
    "bound AS (INSERT INTO booking.role_bindings (role, org_id, bound_at, bound_by) "
    "  VALUES ($1, $2, $3, $4) ON CONFLICT (role) DO UPDATE SET org_id = EXCLUDED.org_id, "
    "  bound_at = EXCLUDED.bound_at, bound_by = EXCLUDED.bound_by) "
    "SELECT org_id FROM previous",
    4,
    {REGROLEOID, UUIDOID, TIMESTAMPTZOID, TEXTOID},
    nullptr};

Statement delete_binding = {
    "DELETE FROM booking.role_bindings WHERE role = $1 RETURNING org_id", 1, {REGROLEOID},
    nullptr};

// Only the owner (or a member of its role, or a superuser) maps roles.
void require_owner(const CallContext *ctx, const char *what) {
    if (!has_privs_of_role(ctx->caller, tables_owner()))
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("permission denied to %s", what),
                        errdetail("Only the owner of the booking extension binds roles to "
                                  "organisations.")));
}

Jsonb *role_details(Oid role) {
    JsonOut d;
    d.begin_object();
    d.put_string("role", GetUserNameFromId(role, false));
    d.end_object();
    return d.finish(CurrentMemoryContext);
}

}  // namespace

Jsonb *bind_role(Oid role, const pg_uuid_t *org_id) {
    return in_call_scope(nullptr, [&](CallContext *ctx) -> Jsonb * {
        require_owner(ctx, "bind a role");
        const char *name = GetUserNameFromId(role, false);
        if (role_is_privileged(role))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("role \"%s\" cannot be bound to an organisation", name),
                            errdetail("It owns the tables, is a superuser or has BYPASSRLS, so it "
                                      "acts in every organisation.")));
        Datum values[4] = {ObjectIdGetDatum(role), UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id)),
                           TimestampTzGetDatum(ctx->now), CStringGetTextDatum(caller_name(ctx))};
        bool moved = run(upsert_binding, values, nullptr) == 1;
        pg_uuid_t previous;
        if (moved)
            previous = column_uuid(0, 1);
        bool same = moved && memcmp(previous.data, org_id->data, UUID_LEN) == 0;
        if (moved && !same)
            write_audit(ctx, &previous, Action::role_unbound, nullptr, role_details(role));
        if (!same)
            write_audit(ctx, org_id, Action::role_bound, nullptr, role_details(role));
        JsonOut j;
        begin_success(&j);
        j.put_string("role", name);
        j.put_uuid("org_id", org_id);
        j.put_uuid("previous_org_id", moved && !same ? &previous : nullptr);
        return answer(ctx, &j);
    });
}

Jsonb *unbind_role(Oid role) {
    return in_call_scope(nullptr, [&](CallContext *ctx) -> Jsonb * {
        require_owner(ctx, "unbind a role");
        Datum values[1] = {ObjectIdGetDatum(role)};
        bool found = run(delete_binding, values, nullptr) == 1;
        pg_uuid_t previous;
        if (found) {
            previous = column_uuid(0, 1);
            write_audit(ctx, &previous, Action::role_unbound, nullptr, role_details(role));
        }
        JsonOut j;
        begin_success(&j);
        j.put_string("role", GetUserNameFromId(role, false));
        j.put_uuid("org_id", found ? &previous : nullptr);
        j.put_bool("was_bound", found);
        return answer(ctx, &j);
    });
}

}  // namespace booking::pg
