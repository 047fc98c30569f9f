#include "pg/call/call_scope.hpp"

#include "pg/call/schema.hpp"
#include "pg/kernel/citus_deadlocks.hpp"
#include "pg/kernel/privilege.hpp"
#include "pg/kernel/lock_budget.hpp"
#include "pg/tenancy/tenant_binding.hpp"

namespace booking::pg {

const char *caller_name(const CallContext *ctx) {
    return GetUserNameFromId(ctx->caller, false);
}

namespace scope_steps {

void enter_call(CallContext *ctx, const pg_uuid_t *org_id) {
    schema::require_current();
    ctx->org_id = org_id;
    ctx->caller = GetUserId();
    ctx->caller_is_privileged = role_is_privileged(ctx->caller);
    if (!ctx->caller_is_privileged && org_id != nullptr)
        require_bound_to(ctx->caller, org_id);
    // Before the body can take or wait for a lock (kernel/citus_deadlocks.hpp).
    if (org_id != nullptr)
        own_distributed_transaction(org_id);
    ctx->now = GetCurrentTimestamp();
    ctx->caller_context = CurrentMemoryContext;
    enter_owner(&ctx->scope);
}

void leave_call(CallContext *ctx) {
    // The call's rows are written: the calendar locks it held past the
    // transaction's budget (kernel/lock_budget.hpp) go with it.
    lock_budget::let_go_of_call_locks();
    leave_owner(&ctx->scope);
}

}  // namespace scope_steps

}  // namespace booking::pg
