#include "pg/call/call_scope.hpp"

#include "pg/tenancy/privilege.hpp"
#include "pg/tenancy/tenant_binding.hpp"

namespace booking::pg {

namespace {

void require_org_access(const CallContext *ctx, const pg_uuid_t *org_id) {
    if (ctx->caller_is_privileged || org_id == nullptr)
        return;
    require_bound_to(ctx->caller, org_id);
}

}  // namespace

void enter_owner_scope(OwnerScope *scope) {
    Oid owner = tables_owner();
    GetUserIdAndSecContext(&scope->saved_user, &scope->saved_security_context);
    SetUserIdAndSecContext(owner, scope->saved_security_context | SECURITY_LOCAL_USERID_CHANGE |
                                      SECURITY_NOFORCE_RLS);
    scope->search_path_token = compat::pin_search_path();
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "SPI_connect failed");
    scope->active = true;
}

void leave_owner_scope(OwnerScope *scope) {
    if (!scope->active)
        return;
    SPI_finish();
    compat::unpin_search_path(scope->search_path_token);
    SetUserIdAndSecContext(scope->saved_user, scope->saved_security_context);
    scope->active = false;
}

void begin_call(CallContext *ctx, const pg_uuid_t *org_id) {
    ctx->org_id = org_id;
    ctx->caller = GetUserId();
    ctx->caller_is_privileged = role_is_privileged(ctx->caller);
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
