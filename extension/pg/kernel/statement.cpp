#include "pg/kernel/statement.hpp"

#include "pg/kernel/subtransaction.hpp"

namespace booking::pg {

namespace {

// Under Citus every statement is planned with its values (a custom plan):
// the distributed planner routes a statement to its shard by the org_id it
// is given and cannot plan one whose org_id is a parameter. Decided once
// per backend, when its first statement is prepared.
enum class PlanKind { unknown, generic, custom };
PlanKind plan_kind = PlanKind::unknown;

}  // namespace

bool custom_plans() {
    if (plan_kind == PlanKind::unknown)
        plan_kind = OidIsValid(get_extension_oid("citus", true)) ? PlanKind::custom
                                                                 : PlanKind::generic;
    return plan_kind == PlanKind::custom;
}

namespace {

SPIPlanPtr prepared(Statement &st) {
    if (st.plan == nullptr) {
        // Generic plans otherwise: every statement is a keyed lookup or a
        // range probe of one calendar whose best plan does not depend on the
        // values, and re-planning each call as a custom plan cost a third of
        // a conflict answer's time.
        SPIPlanPtr plan = SPI_prepare_cursor(
            st.sql, st.nargs, st.argtypes,
            custom_plans() ? CURSOR_OPT_CUSTOM_PLAN : CURSOR_OPT_GENERIC_PLAN);
        if (plan == nullptr)
            elog(ERROR, "SPI_prepare failed for \"%s\": %s", st.sql,
                 SPI_result_code_string(SPI_result));
        if (SPI_keepplan(plan) != 0)
            elog(ERROR, "SPI_keepplan failed");
        st.plan = plan;
    }
    return st.plan;
}

void check_result(const Statement &st, int rc) {
    if (rc < 0)
        elog(ERROR, "SPI execution failed for \"%s\": %s", st.sql, SPI_result_code_string(rc));
}

// The generic plan is made on the first run and again after an
// invalidation (a VACUUM or ANALYZE of a table it reads), with the
// statistics of that moment, and kept for the session. Made while a table
// was empty it would be a sequential scan, and stay one as the table grows;
// every statement here is an index lookup or range probe by design, so the
// plan is made with sequential scans off. A few read small tables whole
// (the event queue, the consumers); sequential scans off prices those at
// billions, which would make PostgreSQL compile them with JIT, at tens of
// milliseconds per execution: JIT is off for these plans, which it never
// helps.
int plan_settings(Statement &st, SPIPlanPtr plan) {
    // A custom plan is made at every run, each time under these settings.
    if (st.planned && SPI_plan_is_valid(plan) && !custom_plans())
        return 0;
    int nest = NewGUCNestLevel();
    (void)set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
                            true, 0, false);
    (void)set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
                            false);
    return nest;
}

void end_plan_settings(Statement &st, int nest) {
    if (nest != 0) {
        AtEOXact_GUC(true, nest);
        st.planned = true;
    }
}

}  // namespace

uint64 run(Statement &st, Datum *values, const char *nulls, long limit) {
    SPIPlanPtr plan = prepared(st);
    int nest = plan_settings(st, plan);
    int rc = SPI_execute_snapshot(plan, values, nulls, GetLatestSnapshot(), InvalidSnapshot,
                                  false, true, limit);
    end_plan_settings(st, nest);
    check_result(st, rc);
    return SPI_processed;
}

uint64 run_guarded_write(Statement &st, Datum *values, const char *nulls) {
    if (!custom_plans())
        return run(st, values, nulls);
    volatile uint64 processed = 0;
    (void)in_subtransaction(
        ERRCODE_EXCLUSION_VIOLATION,
        [&] {
            processed = run(st, values, nulls);
            return true;
        },
        [] {});
    return processed;
}

Portal open_rows(Statement &st, Datum *values, const char *nulls) {
    SPIPlanPtr plan = prepared(st);
    int nest = plan_settings(st, plan);
    // As run(): this call's own changes and the latest committed data. A
    // read-only cursor takes the active snapshot, so make it that one.
    CommandCounterIncrement();
    PushActiveSnapshot(GetLatestSnapshot());
    Portal rows = SPI_cursor_open(nullptr, plan, values, nulls, true);
    PopActiveSnapshot();
    end_plan_settings(st, nest);
    if (rows == nullptr)
        elog(ERROR, "SPI_cursor_open failed for \"%s\": %s", st.sql,
             SPI_result_code_string(SPI_result));
    return rows;
}

uint64 fetch_rows(Portal rows, long n) {
    SPI_cursor_fetch(rows, true, n);
    return SPI_processed;
}

void close_rows(Portal rows) { SPI_cursor_close(rows); }

Datum column(uint64 row, int col, bool *isnull) {
    return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, isnull);
}

bool column_is_null(uint64 row, int col) {
    bool isnull;
    (void)column(row, col, &isnull);
    return isnull;
}

TimestampTz column_timestamp(uint64 row, int col) {
    bool isnull;
    Datum d = column(row, col, &isnull);
    return isnull ? 0 : DatumGetTimestampTz(d);
}

int32 column_int32(uint64 row, int col) {
    bool isnull;
    Datum d = column(row, col, &isnull);
    return isnull ? 0 : DatumGetInt32(d);
}

pg_uuid_t column_uuid(uint64 row, int col) {
    bool isnull;
    Datum d = column(row, col, &isnull);
    pg_uuid_t out;
    if (isnull)
        memset(out.data, 0, UUID_LEN);
    else
        memcpy(out.data, DatumGetUUIDP(d)->data, UUID_LEN);
    return out;
}

char *column_text(uint64 row, int col) {
    bool isnull;
    Datum d = column(row, col, &isnull);
    return isnull ? nullptr : TextDatumGetCString(d);
}

}  // namespace booking::pg
