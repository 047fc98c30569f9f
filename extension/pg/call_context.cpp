#include "call_context.hpp"

#include "core/uuid_text.hpp"
#include "settings.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace booking::pg {

namespace {

// The search_path in force inside every function: pg_catalog alone.
OverrideSearchPath pinned_path = {NIL, true, false, 0};

Oid cached_reservations_relid = InvalidOid;

// request.jwt.claims is parsed once per distinct value: PostgREST sets it per
// request, and a pooled connection serves many requests of the same user.
char *cached_claims = nullptr;
bool cached_claims_has_org = false;
pg_uuid_t cached_claims_org;

bool org_from_claims(const char *claims, pg_uuid_t *out) {
    if (cached_claims != nullptr && strcmp(cached_claims, claims) == 0) {
        *out = cached_claims_org;
        return cached_claims_has_org;
    }
    Jsonb *j = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(claims)));
    bool found = false;
    pg_uuid_t org;
    if (JB_ROOT_IS_OBJECT(j) && !JB_ROOT_IS_SCALAR(j)) {
        JsonbValue *v = getKeyJsonValueFromContainer(&j->root, "org_id", 6, nullptr);
        if (v != nullptr && v->type == jbvString) {
            std::string_view s(v->val.string.val, static_cast<std::size_t>(v->val.string.len));
            found = core::parse_uuid(s, org.data);
        }
    }
    char *copy = MemoryContextStrdup(TopMemoryContext, claims);
    if (cached_claims != nullptr)
        pfree(cached_claims);
    cached_claims = copy;
    cached_claims_has_org = found;
    if (found)
        cached_claims_org = org;
    *out = org;
    return found;
}

bool is_privileged(Oid role, Oid owner) {
    return role == owner || superuser_arg(role) || has_bypassrls_privilege(role);
}

void require_org_access(const CallContext *ctx, const pg_uuid_t *org_id) {
    if (ctx->caller_is_privileged || org_id == nullptr)
        return;
    pg_uuid_t bound;
    if (!bound_org_id(&bound))
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("no organisation is set for role \"%s\"",
                               GetUserNameFromId(ctx->caller, false)),
                        errhint("Set booking.org_id, or call through PostgREST with an org_id "
                                "claim in the JWT.")));
    if (memcmp(bound.data, org_id->data, UUID_LEN) != 0)
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("permission denied for organisation %s",
                               DatumGetCString(DirectFunctionCall1(
                                   uuid_out, UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id))))),
                        errdetail("The caller acts in organisation %s.",
                                  DatumGetCString(DirectFunctionCall1(uuid_out,
                                                                      UUIDPGetDatum(&bound))))));
}

}  // namespace

Oid tables_owner() {
    if (OidIsValid(cached_reservations_relid)) {
        HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(cached_reservations_relid));
        if (HeapTupleIsValid(tup)) {
            Form_pg_class cls = (Form_pg_class)GETSTRUCT(tup);
            Oid owner = cls->relowner;
            bool same = strcmp(NameStr(cls->relname), "reservations") == 0;
            ReleaseSysCache(tup);
            if (same)
                return owner;
        }
    }
    Oid nsp = get_namespace_oid("booking", false);
    Oid relid = get_relname_relid("reservations", nsp);
    if (!OidIsValid(relid))
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("the booking extension is not installed in this database")));
    cached_reservations_relid = relid;
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup))
        elog(ERROR, "cache lookup failed for relation %u", relid);
    Oid owner = ((Form_pg_class)GETSTRUCT(tup))->relowner;
    ReleaseSysCache(tup);
    return owner;
}

bool bound_org_id(pg_uuid_t *out) {
    if (settings::org_id != nullptr && settings::org_id[0] != '\0')
        return core::parse_uuid(settings::org_id, out->data);
    const char *claims = GetConfigOption("request.jwt.claims", true, false);
    if (claims == nullptr || claims[0] == '\0')
        return false;
    return org_from_claims(claims, out);
}

void enter_owner_scope(OwnerScope *scope) {
    Oid owner = tables_owner();
    GetUserIdAndSecContext(&scope->saved_user, &scope->saved_security_context);
    SetUserIdAndSecContext(owner, scope->saved_security_context | SECURITY_LOCAL_USERID_CHANGE |
                                      SECURITY_NOFORCE_RLS);
    PushOverrideSearchPath(&pinned_path);
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "SPI_connect failed");
    scope->active = true;
}

void leave_owner_scope(OwnerScope *scope) {
    if (!scope->active)
        return;
    SPI_finish();
    PopOverrideSearchPath();
    SetUserIdAndSecContext(scope->saved_user, scope->saved_security_context);
    scope->active = false;
}

void begin_call(CallContext *ctx, const pg_uuid_t *org_id) {
    Oid owner = tables_owner();
    ctx->org_id = org_id;
    ctx->caller = GetUserId();
    ctx->caller_is_privileged = is_privileged(ctx->caller, owner);
    require_org_access(ctx, org_id);
    ctx->now = GetCurrentTimestamp();
    ctx->caller_context = CurrentMemoryContext;
    enter_owner_scope(&ctx->scope);
}

void end_call(CallContext *ctx) { leave_owner_scope(&ctx->scope); }

const char *caller_name(const CallContext *ctx) {
    return GetUserNameFromId(ctx->caller, false);
}

}  // namespace booking::pg
