#include "pg/compat/pg_compat.hpp"

namespace booking::pg::compat {

#if PG_VERSION_NUM < 170000
namespace {
// pg_catalog alone: no pg_temp, no caller's schema.
OverrideSearchPath pinned_path = {NIL, true, false, 0};
}  // namespace
#endif

int pin_search_path() {
#if PG_VERSION_NUM >= 170000
    int nest = NewGUCNestLevel();
    (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
                            GUC_ACTION_SAVE, true, 0, false);
    return nest;
#else
    PushOverrideSearchPath(&pinned_path);
    return 0;
#endif
}

void unpin_search_path(int token) {
#if PG_VERSION_NUM >= 170000
    AtEOXact_GUC(true, token);
#else
    (void)token;
    PopOverrideSearchPath();
#endif
}

struct config_generic *find_setting(const char *name) {
#if PG_VERSION_NUM >= 160000
    return find_option(name, false, true, ERROR);
#else
    // Sorted by name, compared without case (guc.c's guc_name_compare); a
    // binary search finds one without the private find_option().
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
#endif
}

bool setting_stack_top(const struct config_generic *setting, GucStackState *state) {
    if (setting->stack == nullptr)
        return false;
    *state = setting->stack->state;
    return true;
}

const char *setting_string(const struct config_generic *setting) {
    if (setting->vartype != PGC_STRING)
        return nullptr;
    return *reinterpret_cast<const struct config_string *>(setting)->variable;
}

LocalTransactionId local_transaction_id() {
#if PG_VERSION_NUM >= 170000
    return MyProc->vxid.lxid;
#else
    return MyProc->lxid;
#endif
}

bool lock_held_by_me(const LOCKTAG *tag, LOCKMODE mode) {
#if PG_VERSION_NUM >= 170000
    return LockHeldByMe(tag, mode, false);
#else
    return LockHeldByMe(tag, mode);
#endif
}

bool is_json(const char *text) {
#if PG_VERSION_NUM >= 170000
    JsonLexContext *lex = makeJsonLexContextCstringLen(nullptr, text, strlen(text),
                                                       GetDatabaseEncoding(), true);
#else
    JsonLexContext *lex = makeJsonLexContextCstringLen(const_cast<char *>(text),
                                                       static_cast<int>(strlen(text)),
                                                       GetDatabaseEncoding(), true);
#endif
    return pg_parse_json(lex, &nullSemAction) == JSON_SUCCESS;
}

RangeType *make_range_value(TypeCacheEntry *typcache, RangeBound *lower, RangeBound *upper) {
#if PG_VERSION_NUM >= 160000
    return make_range(typcache, lower, upper, false, nullptr);
#else
    return make_range(typcache, lower, upper, false);
#endif
}

IndexScanDesc begin_index_scan(Relation heap, Relation index, Snapshot snapshot, int nkeys) {
#if PG_VERSION_NUM >= 180000
    return index_beginscan(heap, index, snapshot, nullptr, nkeys, 0);
#else
    return index_beginscan(heap, index, snapshot, nkeys, 0);
#endif
}

ReturnSetInfo *materialized_result(FunctionCallInfo fcinfo) {
    InitMaterializedSRF(fcinfo, 0);
    return reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
}

}  // namespace booking::pg::compat
