#include "pg/calendar/rules.hpp"

#include "core/duration.hpp"
#include "pg/kernel/cached_table.hpp"
#include "pg/kernel/keyed_cache.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/settings/settings.hpp"

namespace booking::pg {

namespace {

struct CacheKey {
    pg_uuid_t org_id;
    char calendar_id[4 * 200 + 4];  // 200 characters of up to 4 bytes
};
BOOKING_PLAIN_DATA(CacheKey);

// What is stored; the step of a calendar without one comes from the setting
// at each call, so it is resolved outside the cache.
struct CacheEntry {
    CacheKey key;
    bool configured;
    bool has_step;
    CalendarRules rules;
};
BOOKING_PLAIN_DATA(CacheEntry);

KeyedCache rules_cache = {"calendars", "booking calendar rules", sizeof(CacheKey),
                          sizeof(CacheEntry)};

Statement read_calendar = {
    "SELECT time_zone, slot_step, buffer_before, buffer_after, min_notice, working_hours, "
    "capacity, max_advance, change_notice, max_per_day, max_per_week FROM booking.calendars "
    "WHERE org_id = $1 AND calendar_id = $2",
    2,
    {UUIDOID, TEXTOID},
    nullptr};

core::Micros interval_column(int col) {
    bool isnull;
    Datum d = column(0, col, &isnull);
    if (isnull)
        return 0;
    Interval *iv = DatumGetIntervalP(d);
    return core::fixed_length({iv->month, iv->day, iv->time}).micros;
}

pg_tz *utc_zone() {
    static pg_tz *utc = nullptr;
    if (utc == nullptr)
        utc = pg_tzset("UTC");
    return utc;
}

void set_unconfigured(CacheEntry *entry) {
    CalendarRules &r = entry->rules;
    r.configured = false;
    r.zone = utc_zone();
    r.step = 0;
    r.buffer_before = 0;
    r.buffer_after = 0;
    r.min_notice = 0;
    r.has_max_advance = false;
    r.max_advance = 0;
    r.has_change_notice = false;
    r.change_notice = 0;
    r.max_per_day = 0;
    r.max_per_week = 0;
    r.capacity = 1;
    r.hours = core::WeeklyHours{};
    entry->configured = false;
    entry->has_step = false;
}

// The organisations that configured any calendar, kept whole while there
// are few enough: most tenants configure none, and with many tenants the
// per-calendar cache above cannot hold them all, so without this every call
// for an unconfigured calendar would read booking.calendars to find nothing.
constexpr int kMaxConfiguredOrgs = 10000;
CachedTable calendars_table = {"calendars"};
HTAB *configured_orgs = nullptr;
bool too_many_configured = false;

void reset_configured(void *) {
    if (configured_orgs != nullptr)
        hash_destroy(configured_orgs);
    HASHCTL ctl;
    memset(&ctl, 0, sizeof(ctl));
    ctl.keysize = sizeof(pg_uuid_t);
    ctl.entrysize = sizeof(pg_uuid_t);
    ctl.hcxt = CacheMemoryContext;
    configured_orgs = hash_create("booking configured organisations", 64, &ctl,
                                  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
    too_many_configured = false;
}

void read_configured(HeapTuple row, TupleDesc desc, void *) {
    if (hash_get_num_entries(configured_orgs) >= kMaxConfiguredOrgs) {
        too_many_configured = true;
        return;
    }
    bool isnull;
    Datum org = SPI_getbinval(row, desc, 1, &isnull);
    (void)hash_search(configured_orgs, DatumGetUUIDP(org), HASH_ENTER, nullptr);
}

// False when the organisation certainly has no calendar settings.
bool may_be_configured(const pg_uuid_t *org_id) {
    // One row more than kept tells "too many".
    static_assert(kMaxConfiguredOrgs == 10000, "the LIMIT below is kMaxConfiguredOrgs + 1");
    refresh(&calendars_table, "SELECT DISTINCT org_id FROM booking.calendars LIMIT 10001",
            reset_configured, read_configured, nullptr);
    return too_many_configured ||
           hash_search(configured_orgs, org_id, HASH_FIND, nullptr) != nullptr;
}

void load(const CallContext *ctx, const char *calendar_id, CacheEntry *entry) {
    ereport(DEBUG2, (errmsg_internal("booking: read the rules of calendar \"%s\"", calendar_id)));
    set_unconfigured(entry);
    CalendarRules &r = entry->rules;
    Datum values[2] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(ctx->org_id)),
                       CStringGetTextDatum(calendar_id)};
    entry->configured = run(read_calendar, values, nullptr, 1) == 1;
    r.configured = entry->configured;
    if (!entry->configured)
        return;
    char *zone_name = column_text(0, 1);
    pg_tz *zone = pg_tzset(zone_name);
    if (zone != nullptr)
        r.zone = zone;
    entry->has_step = !column_is_null(0, 2);
    r.step = interval_column(2);
    r.buffer_before = interval_column(3);
    r.buffer_after = interval_column(4);
    r.min_notice = interval_column(5);
    r.has_max_advance = !column_is_null(0, 8);
    r.max_advance = interval_column(8);
    r.has_change_notice = !column_is_null(0, 9);
    r.change_notice = interval_column(9);
    r.max_per_day = column_int32(0, 10);  // 0 when NULL: no limit
    r.max_per_week = column_int32(0, 11);
    bool isnull;
    Datum capacity = column(0, 7, &isnull);
    r.capacity = isnull ? 1 : DatumGetInt32(capacity);
    Datum hours = column(0, 6, &isnull);
    const char *problem = nullptr;
    if (!isnull && !parse_working_hours(DatumGetJsonbP(hours), &r.hours, &problem))
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                        errmsg("the working hours stored for calendar \"%s\" are invalid: %s",
                               calendar_id, problem)));
}

// Distributed with Citus, a calendar's row lives on its organisation's node,
// and a change there invalidates no other node's copy: the rules of an
// organisation whose shard is elsewhere are read at each call, those of one
// whose shard is here are kept as on one node. The set of configured
// organisations (a read of every shard) is not kept.
bool keep_across_transactions() { return !distributed_by_tenant(); }

}  // namespace

CalendarRules calendar_rules(const CallContext *ctx, const char *calendar_id) {
    if (keep_across_transactions() && !may_be_configured(ctx->org_id)) {
        CacheEntry unconfigured;
        set_unconfigured(&unconfigured);
        unconfigured.rules.step = settings::slot_step();
        return unconfigured.rules;
    }
    CacheKey key;
    memset(&key, 0, sizeof(key));
    key.org_id = *ctx->org_id;
    strlcpy(key.calendar_id, calendar_id, sizeof(key.calendar_id));

    CacheEntry entry = keyed_lookup<CacheEntry>(&rules_cache, ctx->org_id, &key,
                                                [&](CacheEntry *loaded) {
                                                    loaded->key = key;
                                                    load(ctx, calendar_id, loaded);
                                                });
    CalendarRules rules = entry.rules;
    if (!entry.has_step)
        rules.step = settings::slot_step();
    return rules;
}

}  // namespace booking::pg
