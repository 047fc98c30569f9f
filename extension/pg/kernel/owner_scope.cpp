#include "pg/kernel/owner_scope.hpp"

#include "pg/kernel/privilege.hpp"

namespace booking::pg {

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

}  // namespace scope_steps

}  // namespace booking::pg
