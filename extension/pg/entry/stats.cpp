// SQL entry points: stats, stats_reset, lock_wait_histogram (the live
// statistics of pg/shared/stats.hpp). The figures come from shared memory; who
// may read them is asked of the tenancy rules first.
#include "core/latency_histogram.hpp"
#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/shared/stats.hpp"
#include "pg/tenancy/tenant_binding.hpp"

using namespace booking;
using namespace booking::pg;

namespace {

namespace histogram = core::histogram;

constexpr int kTallies = core::observed::kTallies;
// preloaded, the tallies, six lock columns, eleven worker columns,
// stats_reset, node.
constexpr int kStatsColumns = 1 + kTallies + 6 + 11 + 1 + 1;

void say_not_preloaded(const char *function) {
    ereport(NOTICE,
            (errmsg("%s: booking is not preloaded, so there are no live statistics and no "
                    "expiry worker",
                    function),
             errhint("Add booking to shared_preload_libraries and restart the server; until "
                     "then schedule booking.expire_holds().")));
}

// The figures are the whole server's, every tenant's together: a role acting
// in one organisation reads none of them (there are no figures per tenant).
void require_server_figures_reader(const char *function) {
    if (!may_read_server_figures(GetUserId()))
        ereport(ERROR,
                (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                 errmsg("%s: the statistics are the whole server's, and role \"%s\" acts in one "
                        "organisation",
                        function, GetUserNameFromId(GetUserId(), false)),
                 errhint("Read them as the extension's owner, a member of pg_monitor, or a role "
                         "given the monitor profile that is bound to no organisation.")));
}

double ms(uint64 us) { return static_cast<double>(us) / 1000.0; }

TupleDesc result_desc(FunctionCallInfo fcinfo) {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "return type must be a row type");
    return BlessTupleDesc(desc);
}

// The row the function is declared to return, its columns taken by name
// from the library's: a schema of an earlier release (before ALTER EXTENSION
// booking UPDATE, while the worker waits for it) still reads the figures it
// declares, and a column the library does not have is NULL.
Datum declared_row(TupleDesc desc, const char *const *names, const Datum *values,
                   const bool *nulls, int n) {
    Datum *out = static_cast<Datum *>(palloc0(sizeof(Datum) * desc->natts));
    bool *out_nulls = static_cast<bool *>(palloc(sizeof(bool) * desc->natts));
    for (int a = 0; a < desc->natts; ++a) {
        out_nulls[a] = true;
        const char *name = NameStr(TupleDescAttr(desc, a)->attname);
        for (int i = 0; i < n; ++i) {
            if (strcmp(names[i], name) == 0) {
                out[a] = values[i];
                out_nulls[a] = nulls[i];
                break;
            }
        }
    }
    return HeapTupleGetDatum(heap_form_tuple(desc, out, out_nulls));
}

// Which server the figures describe: they live in one server's shared
// memory, and on a Citus cluster every node has its own. cluster_name when
// set, else the server's port (and the Citus group, when there is one).
Datum node_name() {
    const char *name = GetConfigOption("cluster_name", true, false);
    if (name != nullptr && name[0] != '\0')
        return CStringGetTextDatum(name);
    const char *port = GetConfigOption("port", true, false);
    return CStringGetTextDatum(psprintf("port %s", port != nullptr ? port : "?"));
}

}  // namespace

BOOKING_SQL_FUNCTION(booking_stats) {
    require_server_figures_reader("booking.stats()");
    TupleDesc desc = result_desc(fcinfo);
    // The columns' names in the library's order: preloaded, the tallies
    // (core/observed_actions.hpp names them), then these.
    static const char *const kAfterTallies[kStatsColumns - 1 - kTallies] = {
        "lock_requests", "lock_waits", "lock_wait_total_ms", "lock_wait_max_ms",
        "lock_wait_p50_ms", "lock_wait_p99_ms", "worker_state", "launcher_pid", "worker_pid",
        "worker_database", "worker_passes", "worker_expired", "worker_errors",
        "worker_last_pass_at", "worker_last_error_at", "worker_interval_ms",
        "worker_batch_size", "stats_reset", "node"};
    const char *names[kStatsColumns];
    names[0] = "preloaded";
    for (int i = 0; i < kTallies; ++i)
        names[1 + i] = core::observed::tally_name(static_cast<core::observed::Tally>(i));
    for (int i = 1 + kTallies; i < kStatsColumns; ++i)
        names[i] = kAfterTallies[i - 1 - kTallies];
    Datum values[kStatsColumns];
    bool nulls[kStatsColumns];
    for (int i = 0; i < kStatsColumns; ++i) {
        values[i] = (Datum)0;
        nulls[i] = true;
    }
    int c = 0;
    auto put = [&](Datum d) {
        values[c] = d;
        nulls[c] = false;
        ++c;
    };
    auto skip = [&]() { ++c; };
    auto row = [&]() { return declared_row(desc, names, values, nulls, kStatsColumns); };

    stats::Snapshot *s = static_cast<stats::Snapshot *>(palloc(sizeof(stats::Snapshot)));
    bool preloaded = stats::snapshot(s);
    put(BoolGetDatum(preloaded));
    if (!preloaded) {
        say_not_preloaded("booking.stats()");
        // The worker's state still says why nothing runs.
        values[1 + kTallies + 6] = CStringGetTextDatum("not preloaded");
        nulls[1 + kTallies + 6] = false;
        values[kStatsColumns - 1] = node_name();
        nulls[kStatsColumns - 1] = false;
        PG_RETURN_DATUM(row());
    }

    for (int i = 0; i < kTallies; ++i)
        put(Int64GetDatum(static_cast<int64>(s->tallies[i])));

    put(Int64GetDatum(static_cast<int64>(s->lock_requests)));
    put(Int64GetDatum(static_cast<int64>(s->lock_waits)));
    put(Float8GetDatum(ms(s->lock_wait_us)));
    put(Float8GetDatum(ms(s->lock_wait_max_us)));
    if (s->lock_requests > 0) {
        put(Float8GetDatum(histogram::quantile(s->lock_histogram, histogram::kBuckets, 0.5,
                                               s->lock_wait_max_us) / 1000.0));
        put(Float8GetDatum(histogram::quantile(s->lock_histogram, histogram::kBuckets, 0.99,
                                               s->lock_wait_max_us) / 1000.0));
    } else {
        skip();
        skip();
    }

    const stats::WorkerStatus &w = s->worker;
    put(CStringGetTextDatum(stats::worker_state_name(w.state)));
    if (w.launcher_pid != 0)
        put(Int32GetDatum(w.launcher_pid));
    else
        skip();
    if (w.sweeper_pid != 0) {
        put(Int32GetDatum(w.sweeper_pid));
        put(CStringGetTextDatum(w.database));
    } else {
        skip();
        skip();
    }
    put(Int64GetDatum(static_cast<int64>(w.passes)));
    put(Int64GetDatum(static_cast<int64>(w.expired)));
    put(Int64GetDatum(static_cast<int64>(w.errors)));
    if (w.last_pass_at != 0)
        put(TimestampTzGetDatum(w.last_pass_at));
    else
        skip();
    if (w.last_error_at != 0)
        put(TimestampTzGetDatum(w.last_error_at));
    else
        skip();
    if (w.sweeper_pid != 0) {
        put(Int32GetDatum(w.interval_ms));
        put(Int32GetDatum(w.batch_size));
    } else {
        skip();
        skip();
    }
    put(TimestampTzGetDatum(s->reset_at));
    put(node_name());
    if (c != kStatsColumns)
        elog(ERROR, "booking.stats() filled %d of %d columns", c, kStatsColumns);
    PG_RETURN_DATUM(row());
}

BOOKING_SQL_FUNCTION(booking_stats_reset) {
    if (!stats::reset()) {
        say_not_preloaded("booking.stats_reset()");
        PG_RETURN_NULL();
    }
    stats::Snapshot *s = static_cast<stats::Snapshot *>(palloc(sizeof(stats::Snapshot)));
    stats::snapshot(s);
    PG_RETURN_TIMESTAMPTZ(s->reset_at);
}

BOOKING_SQL_FUNCTION(booking_lock_wait_histogram) {
    require_server_figures_reader("booking.lock_wait_histogram()");
    ReturnSetInfo *rsinfo = compat::materialized_result(fcinfo);
    stats::Snapshot *s = static_cast<stats::Snapshot *>(palloc(sizeof(stats::Snapshot)));
    if (!stats::snapshot(s)) {
        say_not_preloaded("booking.lock_wait_histogram()");
        return (Datum)0;
    }
    for (int b = 0; b < histogram::kBuckets; ++b) {
        if (s->lock_histogram[b] == 0)
            continue;
        Datum values[3] = {Int64GetDatum(static_cast<int64>(histogram::bucket_lower(b))),
                           Int64GetDatum(static_cast<int64>(histogram::bucket_upper(b))),
                           Int64GetDatum(static_cast<int64>(s->lock_histogram[b]))};
        bool nulls[3] = {false, false, false};
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}
