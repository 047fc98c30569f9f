#include "pg/call/call_scope.hpp"

#include "pg/store/schema.hpp"

#include "pg/tenancy/privilege.hpp"
#include "pg/tenancy/tenant_binding.hpp"

namespace booking::pg {

const char *caller_name(const CallContext *ctx) {
    return GetUserNameFromId(ctx->caller, false);
}

namespace scope_steps {

void connect_spi() {
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "SPI_connect failed");
}

void finish_spi() { SPI_finish(); }

void enter_owner(OwnerScope *scope) {
    Oid owner = tables_owner();
    GetUserIdAndSecContext(&scope->saved_user, &scope->saved_security_context);
    SetUserIdAndSecContext(owner, scope->saved_security_context | SECURITY_LOCAL_USERID_CHANGE |
                                      SECURITY_NOFORCE_RLS);
    scope->search_path_token = compat::pin_search_path();
    connect_spi();
}

void leave_owner(OwnerScope *scope) {
    finish_spi();
    compat::unpin_search_path(scope->search_path_token);
    SetUserIdAndSecContext(scope->saved_user, scope->saved_security_context);
}

void enter_call(CallContext *ctx, const pg_uuid_t *org_id) {
    schema::require_current();
    ctx->org_id = org_id;
    ctx->caller = GetUserId();
    ctx->caller_is_privileged = role_is_privileged(ctx->caller);
    if (!ctx->caller_is_privileged && org_id != nullptr)
        require_bound_to(ctx->caller, org_id);
    ctx->now = GetCurrentTimestamp();
    ctx->caller_context = CurrentMemoryContext;
    enter_owner(&ctx->scope);
}

}  // namespace scope_steps

}  // namespace booking::pg
