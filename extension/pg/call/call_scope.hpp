// One call's lifecycle, entered and left in one visible place:
//
//   return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
//       ... reads and writes, as the tables' owner ...
//       return answer(ctx, &j);   // built inside, in the caller's memory
//   });
//
// in_call_scope finds out who is calling, checks that they may act in the
// organisation they name (42501 otherwise), takes "now", then runs the body
// as the tables' owner with the search path pinned and SPI connected, and
// leaves that scope before it returns what the body returned. Answers are
// built inside the scope, in ctx->caller_context, which outlives it; nothing
// leaves the scope as a side effect of building one.
//
// The functions are declared as the caller (not SECURITY DEFINER), the way
// PostgreSQL's own foreign-key triggers work: the tenant check uses the
// caller's identity, then table access switches to the owner, so tenant roles
// need no privileges on the tables and row-level security costs nothing on
// this path. Inside, the search path is pg_catalog: a same-named function or
// operator earlier on the caller's path changes nothing here. On error,
// PostgreSQL's abort processing restores the user, the search path and SPI,
// so no cleanup handler is needed, and none could run: the scope is plain
// data, and so must be the body (checked below).
#pragma once

#include "core/time_range.hpp"
#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/owner_scope.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

// What a call knows, for the body and everything it calls.
struct CallContext {
    const pg_uuid_t *org_id = nullptr;  // null for functions without a tenant argument
    TimestampTz now = 0;                // taken once per call
    Oid caller = InvalidOid;            // the role calling (after any SET ROLE)
    bool caller_is_privileged = false;  // owner, superuser or BYPASSRLS
    MemoryContext caller_context = nullptr;  // where the answer is allocated
    // A call that named a pool (operations/pool_path.hpp): the pool, the
    // member it chose and the pool's turn that assignment takes, and the
    // members (bits by the pool's order) found taken after they were
    // chosen. Its answers say pool_id; a booking made moves the member's
    // counter.
    const char *pool_id = nullptr;
    const char *pool_member = nullptr;
    int64 pool_turn = 0;
    uint64 pool_members_taken = 0;
    int pool_member_index = -1;
    OwnerScope scope;
};
BOOKING_PLAIN_DATA(CallContext);

// The caller's role name, for the audit log's actor column.
const char *caller_name(const CallContext *ctx);

namespace scope_steps {
void enter_call(CallContext *ctx, const pg_uuid_t *org_id);
void leave_call(CallContext *ctx);
}  // namespace scope_steps

// Runs body(ctx) as one call (see the top of this file); org_id may be null
// for a function without a tenant argument.
template <typename Body>
auto in_call_scope(const pg_uuid_t *org_id, Body &&body)
    -> decltype(body(static_cast<CallContext *>(nullptr))) {
    static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Body>>,
                  "the body of a call must be plain data: ereport(ERROR) longjmps over it");
    CallContext ctx;
    scope_steps::enter_call(&ctx, org_id);
    auto result = body(&ctx);
    static_assert(std::is_trivially_destructible_v<decltype(result)>,
                  "what a call returns must be plain data");
    scope_steps::leave_call(&ctx);
    return result;
}

}  // namespace booking::pg
