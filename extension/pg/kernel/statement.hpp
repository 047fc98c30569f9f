// SQL statements run through SPI, each prepared once per session on first
// use, kept (SPI_keepplan) and planned generically once, so a call pays for
// execution only. Distributed with Citus, a statement is planned with its
// values at each run (Citus finds its shard by them), unless
// booking.citus_generic_plans is on and Citus routes it on its fast path:
// then it stays a generic plan, and Citus caches the shard's plan where the
// shard is local.
//
// Statements are written with schema-qualified names and run inside the
// owner scope, whose search_path is pg_catalog alone.
#pragma once

#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

constexpr int kMaxStatementArgs = 25;

struct Statement {
    const char *sql;
    int nargs;
    Oid argtypes[kMaxStatementArgs];
    SPIPlanPtr plan;
    bool planned = false;  // run at least once since prepared
    bool custom = false;   // planned with its values at each run
    uint32 prepared_for = 0;  // the scale-out generation it was prepared under
};
BOOKING_PLAIN_DATA(Statement);

// Runs the statement with the latest committed data, not the transaction's
// snapshot; returns the number of rows processed (limit 0 means all).
//
// Booking decisions are about the calendar as it is now. Under REPEATABLE
// READ or SERIALIZABLE the transaction snapshot can predate a rival's commit:
// read with it, a probe would miss the rival, an INSERT ... ON CONFLICT would
// raise 40001 instead of answering, and a hold claimed after the snapshot
// could not be found to confirm. Like PostgreSQL's own foreign-key checks,
// every statement therefore runs on a fresh snapshot (advanced past this
// call's own changes); under READ COMMITTED that is what SPI does anyway.
uint64 run(Statement &st, Datum *values, const char *nulls, long limit = 0);

// booking.citus_generic_plans (settings.cpp defines it): whether, distributed,
// the statements Citus routes on its fast path are generic plans.
extern bool citus_generic_plans;

// Whether statements take the shapes Citus can route (the extension citus
// is installed in this database): no statement feeds one table from another.
bool citus_shapes();

// A write the overlap guard may refuse: runs the statement and answers the
// rows it processed, or 0 when the guard refused it. In this process the
// guard skips the row when asked (overlap_guard.hpp's arm_overlap_skip),
// which costs nothing; but a statement Citus sends to another node meets
// the guard there, where no such request can reach, and the guard raises
// 23P01. Under Citus the write therefore runs in a subtransaction that
// turns that refusal into 0 rows, and the caller finds out why as it would
// for a skipped row.
uint64 run_guarded_write(Statement &st, Datum *values, const char *nulls);

// The same, read a few rows at a time from one execution (a cursor), for a
// read that stops on a condition no index bound can state, such as "the
// first busy range starting past the window": a LIMIT either reads rows it
// does not need or, too small, runs the statement again. Same snapshot rule
// as run(). fetch_rows puts up to n more rows in SPI_tuptable and returns
// how many; fewer than n means there are no more.
Portal open_rows(Statement &st, Datum *values, const char *nulls);
uint64 fetch_rows(Portal rows, long n);
void close_rows(Portal rows);

// Column readers for SPI_tuptable rows (1-based columns, like SPI).
Datum column(uint64 row, int col, bool *isnull);
bool column_is_null(uint64 row, int col);
TimestampTz column_timestamp(uint64 row, int col);  // 0 when NULL
int32 column_int32(uint64 row, int col);            // 0 when NULL
int64 column_int64(uint64 row, int col);            // 0 when NULL
pg_uuid_t column_uuid(uint64 row, int col);
char *column_text(uint64 row, int col);  // palloc'd in the caller's context; null when NULL

}  // namespace booking::pg
