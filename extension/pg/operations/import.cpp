// import_appointments(source): a clinic's existing appointments brought in
// by one statement, rows that would overlap skipped and reported rather
// than failing the import (the seed design's tables hold double bookings).
//
// The source is the caller's query, run as the caller with the caller's
// search path (the function is the owner's alone, who reads the old tables):
// its columns are named like booking's and mapped by name. One INSERT ...
// SELECT, ordered per calendar by start, writes the rows through the
// overlap guard like any bulk write (store/calendar_lock.hpp: any number of
// calendars at default settings); armed for the import, the guard skips a
// row in the way of one already there or already taken and records it
// (store/overlap_guard.hpp). The same statement writes each row's audit row,
// and one more row per organisation records the import's counts.
#include "core/input_limits.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/json_out.hpp"
#include "pg/kernel/owner_scope.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/operations/operations.hpp"
#include "pg/store/overlap_guard.hpp"

namespace booking::pg {

namespace {

// The conflicts an answer lists; `skipped` counts them all.
constexpr int kConflictsListed = 1000;

// The columns a source may have, and how each goes into the insert.
struct SourceColumn {
    const char *name;
    const char *target;  // the reservation's column, or null (duration)
    const char *cast;
};
BOOKING_PLAIN_DATA(SourceColumn);
constexpr SourceColumn kColumns[] = {
    {"org_id", "org_id", "uuid"},
    {"calendar_id", "calendar_id", "text"},
    {"starts_at", "starts_at", "timestamptz"},
    {"ends_at", "ends_at", "timestamptz"},
    {"duration", nullptr, "interval"},
    {"id", "id", "uuid"},
    {"status", "status", "text"},
    {"contact_id", "contact_id", "uuid"},
    {"service_id", "service_id", "uuid"},
    {"notes", "notes", "text"},
    {"metadata", "metadata", "jsonb"},
    {"patient_name", "patient_name", "text"},
    {"patient_phone", "patient_phone", "text"},
};
constexpr int kNColumns = sizeof(kColumns) / sizeof(kColumns[0]);

int column_index(const char *name) {
    for (int i = 0; i < kNColumns; ++i) {
        if (strcmp(kColumns[i].name, name) == 0)
            return i;
    }
    return -1;
}

[[noreturn]] void bad_source(const char *message, const char *detail) {
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("import_appointments: %s", message),
             detail ? errdetail("%s", detail) : 0,
             errhint("Name the source's columns org_id, calendar_id, starts_at, and ends_at or "
                     "duration; optionally id, status, contact_id, service_id, notes, metadata, "
                     "patient_name, patient_phone.")));
    pg_unreachable();
}

// Which of the columns the source has (by kColumns' order), checked: each
// at most once, no other, the required ones there.
void read_columns(const char *source, bool *has) {
    StringInfoData probe;
    initStringInfo(&probe);
    appendStringInfo(&probe, "SELECT * FROM (%s\n) AS source LIMIT 0", source);
    SPIPlanPtr plan = SPI_prepare(probe.data, 0, nullptr);
    if (plan == nullptr)
        elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    if (list_length(SPI_plan_get_plan_sources(plan)) != 1)
        ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
                        errmsg("import_appointments: the source must be one query")));
    if (SPI_execute_plan(plan, nullptr, nullptr, true, 0) != SPI_OK_SELECT)
        elog(ERROR, "could not read the source's columns");
    TupleDesc desc = SPI_tuptable->tupdesc;
    for (int i = 0; i < kNColumns; ++i)
        has[i] = false;
    for (int a = 0; a < desc->natts; ++a) {
        const char *name = NameStr(TupleDescAttr(desc, a)->attname);
        const int k = column_index(name);
        if (k < 0)
            bad_source(psprintf("the source's column \"%s\" is not one booking imports", name),
                       nullptr);
        if (has[k])
            bad_source(psprintf("the source names \"%s\" twice", name), nullptr);
        has[k] = true;
    }
    SPI_freetuptable(SPI_tuptable);
    SPI_freeplan(plan);
    for (const char *required : {"org_id", "calendar_id", "starts_at"}) {
        if (!has[column_index(required)])
            bad_source(psprintf("the source has no column \"%s\"", required), nullptr);
    }
    const bool ends = has[column_index("ends_at")];
    const bool duration = has[column_index("duration")];
    if (ends == duration)
        bad_source(ends ? "the source has both ends_at and duration" :
                          "the source has neither ends_at nor duration",
                   "Each appointment's end is one of them.");
}

// The import: the rows, ordered per calendar by start, each with its audit
// row; it answers each organisation's number of rows imported.
char *import_statement(const char *source, const bool *has) {
    StringInfoData targets, values;
    initStringInfo(&targets);
    initStringInfo(&values);
    appendStringInfoString(&targets, "org_id, id, calendar_id, starts_at, ends_at, status");
    appendStringInfo(&values,
                     "s.org_id::uuid, %s, s.calendar_id::text, s.starts_at::timestamptz, %s, "
                     "%s::booking.reservation_status",
                     has[column_index("id")] ? "COALESCE(s.id::uuid, pg_catalog.gen_random_uuid())"
                                             : "pg_catalog.gen_random_uuid()",
                     has[column_index("ends_at")]
                         ? "s.ends_at::timestamptz"
                         : "s.starts_at::timestamptz + s.duration::interval",
                     has[column_index("status")] ? "COALESCE(s.status::text, 'confirmed')"
                                                 : "'confirmed'");
    for (int i = column_index("contact_id"); i < kNColumns; ++i) {
        if (!has[i])
            continue;
        appendStringInfo(&targets, ", %s", kColumns[i].target);
        appendStringInfo(&values, ", s.%s::%s", kColumns[i].name, kColumns[i].cast);
    }
    StringInfoData sql;
    initStringInfo(&sql);
    appendStringInfo(
        &sql,
        "WITH imported AS ("
        " INSERT INTO booking.reservations AS r (%s, created_at, updated_at)"
        " SELECT %s, $1, $1 FROM (%s\n) AS s ORDER BY 1, 3, 4"
        " RETURNING r.org_id, r.id, r.calendar_id, r.starts_at, r.ends_at, r.status),"
        " logged AS ("
        " INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details)"
        " SELECT i.org_id, booking.new_audit_id(), $1, 'imported', i.id, $2,"
        "  pg_catalog.jsonb_build_object('calendar_id', i.calendar_id, 'starts_at', i.starts_at,"
        "   'ends_at', i.ends_at, 'status', i.status)"
        " FROM imported i RETURNING org_id)"
        " SELECT org_id, pg_catalog.count(*) FROM logged GROUP BY org_id ORDER BY org_id",
        targets.data, values.data, source);
    return sql.data;
}

// One audit row per organisation the import brought rows to or skipped
// rows of, with its counts.
Statement import_audit = {
    "INSERT INTO booking.audit_log (org_id, id, at, action, entity_id, actor, details) "
    "SELECT o, booking.new_audit_id(), $1, 'import', NULL, $2, "
    "       pg_catalog.jsonb_build_object('imported', i, 'skipped', k) "
    "FROM ROWS FROM (pg_catalog.unnest($3::uuid[]), pg_catalog.unnest($4::bigint[]),"
    "               pg_catalog.unnest($5::bigint[])) AS t(o, i, k)",
    5,
    {TIMESTAMPTZOID, TEXTOID, UUIDARRAYOID, INT8ARRAYOID, INT8ARRAYOID},
    nullptr};

int compare_uuids(const void *a, const void *b) {
    return memcmp(static_cast<const pg_uuid_t *>(a)->data, static_cast<const pg_uuid_t *>(b)->data,
                  UUID_LEN);
}

// Each organisation's counts: imported from the statement's answer (in
// SPI_tuptable), skipped from what the guard recorded.
struct OrgCounts {
    pg_uuid_t *orgs;
    int64 *imported;
    int64 *skipped;
    int n;
};
BOOKING_PLAIN_DATA(OrgCounts);

// Both lists in uuid order (the statement's ORDER BY sorts as memcmp does),
// merged.
OrgCounts count_per_org(uint64 imported_rows, const ImportSkips &skips) {
    qsort(skips.skipped_orgs, static_cast<size_t>(skips.skipped), sizeof(pg_uuid_t),
          compare_uuids);
    const int64 room = static_cast<int64>(imported_rows) + skips.skipped + 1;
    const int zeroed = MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO;
    OrgCounts c{
        static_cast<pg_uuid_t *>(palloc_extended(sizeof(pg_uuid_t) * room, MCXT_ALLOC_HUGE)),
        static_cast<int64 *>(palloc_extended(sizeof(int64) * room, zeroed)),
        static_cast<int64 *>(palloc_extended(sizeof(int64) * room, zeroed)), 0};
    uint64 r = 0;
    int64 k = 0;
    while (r < imported_rows || k < skips.skipped) {
        const pg_uuid_t imported_org = r < imported_rows ? column_uuid(r, 1) : pg_uuid_t{};
        const int order = r >= imported_rows    ? 1
                          : k >= skips.skipped ? -1
                                               : compare_uuids(&imported_org,
                                                               &skips.skipped_orgs[k]);
        c.orgs[c.n] = order <= 0 ? imported_org : skips.skipped_orgs[k];
        if (order <= 0)
            c.imported[c.n] = column_int64(r++, 2);
        while (k < skips.skipped && compare_uuids(&c.orgs[c.n], &skips.skipped_orgs[k]) == 0) {
            ++c.skipped[c.n];
            ++k;
        }
        ++c.n;
    }
    return c;
}

}  // namespace

Jsonb *import_appointments(const char *source) {
    if (distributed_by_tenant())
        ereport(ERROR,
                (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                 errmsg("import_appointments runs before the tables are distributed"),
                 errhint("Import, then call booking.distribute_by_tenant(); or COPY into "
                         "booking.reservations, where an overlap refuses the statement whole.")));
    MemoryContext caller_context = CurrentMemoryContext;
    // As the caller, with the caller's search path: the source is theirs.
    return in_caller_spi_scope([&]() -> Jsonb * {
        bool has[kNColumns];
        read_columns(source, has);
        const TimestampTz now = GetCurrentTimestamp();
        Datum actor = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));

        const char *sql = import_statement(source, has);
        Oid types[2] = {TIMESTAMPTZOID, TEXTOID};
        SPIPlanPtr plan = SPI_prepare(sql, 2, types);
        if (plan == nullptr)
            elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
        Datum args[2] = {TimestampTzGetDatum(now), actor};
        arm_import_skips(caller_context, kConflictsListed);
        const int rc = SPI_execute_plan(plan, args, nullptr, false, 0);
        const ImportSkips skips = disarm_import_skips();
        if (rc != SPI_OK_SELECT)
            elog(ERROR, "the import did not run: %s", SPI_result_code_string(rc));
        const uint64 orgs_imported = SPI_processed;
        const OrgCounts counts = count_per_org(orgs_imported, skips);
        int64 imported = 0;
        for (int i = 0; i < counts.n; ++i)
            imported += counts.imported[i];

        if (counts.n > 0) {
            Datum values[5] = {TimestampTzGetDatum(now), actor, uuid_array(counts.orgs, counts.n),
                               int8_array(counts.imported, counts.n),
                               int8_array(counts.skipped, counts.n)};
            (void)run(import_audit, values, nullptr);
        }

        JsonOut j;
        j.begin_object();
        j.put_bool("success", true);
        j.put_int("imported", imported);
        j.put_int("skipped", skips.skipped);
        j.begin_array("conflicts");
        for (int i = 0; i < skips.n_kept; ++i) {
            const ImportConflict &c = skips.kept[i];
            j.begin_element_object();
            j.put_uuid("org_id", &c.org_id);
            j.put_string("calendar_id", c.calendar_id);
            j.put_timestamp("starts_at", c.span.start);
            j.put_timestamp("ends_at", c.span.end);
            j.put_uuid("overlaps_id", &c.overlaps_id);
            j.end_object();
        }
        j.end_array();
        j.end_object();
        return j.finish(caller_context);
    });
}

}  // namespace booking::pg
