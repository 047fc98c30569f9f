#include "guc_scope.hpp"

extern "C" {
#include "utils/guc.h"
#include "utils/guc_tables.h"
}

namespace booking::pg {

namespace {

// PostgreSQL keeps its settings sorted by name, compared without case
// (guc.c's guc_name_compare); a binary search finds one without the
// private find_option().
struct config_generic *find_setting(const char *name) {
    struct config_generic **settings = get_guc_variables();
    int lo = 0;
    int hi = GetNumConfigOptions() - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int cmp = pg_strcasecmp(settings[mid]->name, name);
        if (cmp == 0)
            return settings[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return nullptr;
}

bool empty_value(struct config_generic *setting) {
    if (setting->vartype != PGC_STRING)
        return false;
    const char *value = *reinterpret_cast<struct config_string *>(setting)->variable;
    return value == nullptr || value[0] == '\0';
}

}  // namespace

GucScope guc_scope(const char *name) {
    struct config_generic *setting = find_setting(name);
    if (setting == nullptr || empty_value(setting))
        return GucScope::unset;
    // The newest stack entry tells how this transaction last set the value;
    // without one, the value came from before the transaction began.
    const GucStack *top = setting->stack;
    if (top == nullptr || top->state == GUC_SET)
        return GucScope::session;
    return GucScope::transaction;
}

}  // namespace booking::pg
