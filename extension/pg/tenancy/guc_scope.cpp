#include "pg/tenancy/guc_scope.hpp"

namespace booking::pg {

namespace {

bool empty_value(const struct config_generic *setting) {
    if (setting->vartype != PGC_STRING)
        return false;
    const char *value = compat::setting_string(setting);
    return value == nullptr || value[0] == '\0';
}

}  // namespace

GucScope guc_scope(const char *name) {
    struct config_generic *setting = compat::find_setting(name);
    if (setting == nullptr || empty_value(setting))
        return GucScope::unset;
    // The newest stack entry tells how this transaction last set the value;
    // without one, the value came from before the transaction began.
    GucStackState top;
    if (!compat::setting_stack_top(setting, &top) || top == GUC_SET)
        return GucScope::session;
    return GucScope::transaction;
}

}  // namespace booking::pg
