// The steps of a scope in which booking's code reads and writes its tables:
// as the tables' owner (kernel/privilege.hpp), with the search path pinned to
// pg_catalog, and SPI connected; or SPI alone, as the caller. Entered and
// left only through the templates below and the call scope
// (call/call_scope.hpp), which adds a caller's tenant rule on top
// (dev/house-rules checks that nobody else takes these steps). On error,
// PostgreSQL's abort processing restores the user, the search path and SPI,
// so no cleanup handler is needed, and none could run: the scope is plain
// data, and so must be the body (checked below).
#pragma once

#include <type_traits>

#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

// The state an owner scope restores.
struct OwnerScope {
    Oid saved_user = InvalidOid;
    int saved_security_context = 0;
    int search_path_token = 0;
};
BOOKING_PLAIN_DATA(OwnerScope);

namespace scope_steps {
void enter_owner(OwnerScope *scope);
void leave_owner(OwnerScope *scope);
void connect_spi();
void finish_spi();
}  // namespace scope_steps

// Runs body() as the tables' owner, search path pinned, SPI connected: for
// work that is not a call of its own (refreshing a backend's copy of a table,
// wherever it is needed first).
template <typename Body>
auto in_owner_scope(Body &&body) -> decltype(body()) {
    static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Body>>,
                  "the body of a scope must be plain data: ereport(ERROR) longjmps over it");
    OwnerScope scope;
    scope_steps::enter_owner(&scope);
    if constexpr (std::is_void_v<decltype(body())>) {
        body();
        scope_steps::leave_owner(&scope);
    } else {
        auto result = body();
        static_assert(std::is_trivially_destructible_v<decltype(result)>);
        scope_steps::leave_owner(&scope);
        return result;
    }
}

// Runs body() with SPI connected as the caller, no one else: for statements
// that must run with the caller's own rights (grant_access's GRANTs, whose
// grantor is the caller).
template <typename Body>
auto in_caller_spi_scope(Body &&body) -> decltype(body()) {
    static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Body>>,
                  "the body of a scope must be plain data: ereport(ERROR) longjmps over it");
    scope_steps::connect_spi();
    if constexpr (std::is_void_v<decltype(body())>) {
        body();
        scope_steps::finish_spi();
    } else {
        auto result = body();
        static_assert(std::is_trivially_destructible_v<decltype(result)>);
        scope_steps::finish_spi();
        return result;
    }
}

}  // namespace booking::pg
