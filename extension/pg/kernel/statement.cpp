#include "pg/kernel/statement.hpp"

#include "pg/kernel/scale_out.hpp"
#include "pg/kernel/subtransaction.hpp"

namespace booking::pg {

namespace {

// Asked once per backend, when its first statement is prepared; but a
// backend that found no Citus (the expiry worker, which outlives CREATE
// EXTENSION citus and the tables' distribution) learns of it from the
// distribution itself, which the scale-out facts follow.
enum class Citus { unknown, absent, present };
Citus citus = Citus::unknown;

}  // namespace

bool citus_generic_plans = false;

bool citus_shapes() {
    if (citus == Citus::unknown)
        citus = OidIsValid(get_extension_oid("citus", true)) ? Citus::present : Citus::absent;
    if (citus == Citus::absent && distributed_by_tenant())
        citus = Citus::present;
    return citus == Citus::present;
}

namespace {

// Generic plans unless Citus cannot route one: every statement is a keyed
// lookup or a range probe of one calendar whose best plan does not depend on
// the values, and re-planning each call as a custom plan cost a third of a
// conflict answer's time. Distributed, Citus routes a statement whose
// org_id is a parameter only on its fast path (scale_out.hpp), where the
// generic plan is what lets it cache the shard's plan from the second run
// on; any other statement is planned with its values, which Citus needs to
// find its shard. Citus 13.2.2 does not reuse that cache (it plans the shard
// again at every run and keeps each plan: measured on the shard's node, a
// book() took 1.4 to 1.9 times as long as with custom plans, and 90 kB more
// memory per call), so generic plans wait for booking.citus_generic_plans.
//
// With Citus installed, a statement is planned with its values even before
// the tables are distributed: a transaction that prepared it may see the
// distribution commit before it runs it, and Citus cannot run a generic
// plan that is not on its fast path.
bool plan_with_values(const Statement &st) {
    if (!citus_shapes())
        return false;
    if (!citus_generic_plans || !distributed_by_tenant())
        return true;
    SPIPlanPtr probe = SPI_prepare(st.sql, st.nargs, const_cast<Oid *>(st.argtypes));
    if (probe == nullptr)
        elog(ERROR, "SPI_prepare failed for \"%s\": %s", st.sql,
             SPI_result_code_string(SPI_result));
    bool generic = routes_as_generic_plan(probe);
    SPI_freeplan(probe);
    return !generic;
}

SPIPlanPtr prepared(Statement &st) {
    // Distributing the tables (or undoing it), or the setting, changes how
    // Citus can plan a statement: it is prepared again.
    uint32 generation = scale_out_generation() * 2 + (citus_generic_plans ? 1 : 0);
    if (st.plan != nullptr && st.prepared_for != generation) {
        SPIPlanPtr stale = st.plan;
        st.plan = nullptr;
        st.planned = false;
        SPI_freeplan(stale);
    }
    if (st.plan == nullptr) {
        bool custom = plan_with_values(st);
        SPIPlanPtr plan = SPI_prepare_cursor(st.sql, st.nargs, st.argtypes,
                                             custom ? CURSOR_OPT_CUSTOM_PLAN
                                                    : CURSOR_OPT_GENERIC_PLAN);
        if (plan == nullptr)
            elog(ERROR, "SPI_prepare failed for \"%s\": %s", st.sql,
                 SPI_result_code_string(SPI_result));
        if (SPI_keepplan(plan) != 0)
            elog(ERROR, "SPI_keepplan failed");
        st.plan = plan;
        st.custom = custom;
        st.prepared_for = generation;
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
//
// A custom plan is made at every run, each time under these settings; so,
// distributed, is the shard's plan Citus caches for a generic one, at the
// first run that reaches each shard of this node (and again after an
// invalidation), which no run can tell from the others.
int plan_settings(Statement &st, SPIPlanPtr plan) {
    if (st.planned && SPI_plan_is_valid(plan) && !st.custom && !distributed_by_tenant())
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
    if (!citus_shapes())
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

int64 column_int64(uint64 row, int col) {
    bool isnull;
    Datum d = column(row, col, &isnull);
    return isnull ? 0 : DatumGetInt64(d);
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
