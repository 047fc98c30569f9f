// What every SQL-callable function does around its work: find out who is
// calling, check that they may act in the organisation they name, and run the
// work as the tables' owner with a pinned search_path.
//
// The functions are declared as the caller (not SECURITY DEFINER), the way
// PostgreSQL's own foreign-key triggers work: the tenant check uses the
// caller's identity, then table access switches to the owner, so tenant roles
// need no privileges on the tables and row-level security costs nothing on
// this path. Inside, the search_path is exactly pg_catalog: a same-named
// function or operator earlier on the caller's path changes nothing here.
// On error, PostgreSQL's abort processing restores the user, the search path
// and SPI, so no cleanup handler is needed.
#pragma once

#include "core/time_range.hpp"
#include "pg/compat/pg_compat.hpp"

namespace booking::pg {

// Running as the tables' owner with the search path pinned and SPI
// connected; the state to restore afterwards.
struct OwnerScope {
    Oid saved_user = InvalidOid;
    int saved_security_context = 0;
    int search_path_token = 0;
    bool active = false;
};
void enter_owner_scope(OwnerScope *scope);
void leave_owner_scope(OwnerScope *scope);

struct CallContext {
    const pg_uuid_t *org_id = nullptr;  // null for functions without a tenant argument
    TimestampTz now = 0;                // taken once per call
    Oid caller = InvalidOid;            // the role calling (after any SET ROLE)
    bool caller_is_privileged = false;  // owner, superuser or BYPASSRLS
    OwnerScope scope;
    MemoryContext caller_context = nullptr;  // where the answer must be allocated
};

// Identifies the caller, enforces the tenant rule (42501 otherwise), takes
// "now", and enters the owner scope with SPI connected.
void begin_call(CallContext *ctx, const pg_uuid_t *org_id);
// Leaves the owner scope; call before returning.
void end_call(CallContext *ctx);

// The caller's role name, for the audit log's actor column.
const char *caller_name(const CallContext *ctx);

}  // namespace booking::pg
