#include "calendar_rules.hpp"

#include "cached_table.hpp"
#include "scale_out.hpp"
#include "core/civil_date.hpp"
#include "core/duration.hpp"
#include "settings.hpp"
#include "statement.hpp"

extern "C" {
#include "storage/proc.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
}

namespace booking::pg {

namespace {

constexpr int kCacheLimit = 1024;

struct CacheKey {
    pg_uuid_t org_id;
    char calendar_id[4 * 200 + 4];  // 200 characters of up to 4 bytes
};

// What is stored; the step of a calendar without one comes from the setting
// at each call, so it is resolved outside the cache.
struct CacheEntry {
    CacheKey key;
    bool configured;
    bool has_step;
    CalendarRules rules;
};

HTAB *cache = nullptr;
Oid calendars_relid = InvalidOid;
bool callback_registered = false;

void drop_cache(Datum, Oid relid) {
    if (cache != nullptr && (relid == InvalidOid || relid == calendars_relid)) {
        hash_destroy(cache);
        cache = nullptr;
    }
}

HTAB *the_cache() {
    if (!callback_registered) {
        CacheRegisterRelcacheCallback(drop_cache, (Datum)0);
        callback_registered = true;
    }
    if (cache == nullptr) {
        calendars_relid = get_relname_relid("calendars", get_namespace_oid("booking", false));
        HASHCTL ctl;
        memset(&ctl, 0, sizeof(ctl));
        ctl.keysize = sizeof(CacheKey);
        ctl.entrysize = sizeof(CacheEntry);
        ctl.hcxt = CacheMemoryContext;
        cache = hash_create("booking calendar rules", 64, &ctl,
                            HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
    }
    return cache;
}

Statement read_calendar = {
    "SELECT time_zone, slot_step, buffer_before, buffer_after, min_notice, working_hours "
    "FROM booking.calendars WHERE org_id = $1 AND calendar_id = $2",
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
    bool isnull;
    Datum hours = column(0, 6, &isnull);
    const char *problem = nullptr;
    if (!isnull && !parse_working_hours(DatumGetJsonbP(hours), &r.hours, &problem))
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                        errmsg("the working hours stored for calendar \"%s\" are invalid: %s",
                               calendar_id, problem)));
}

std::int64_t local_day(pg_tz *zone, TimestampTz ts) {
    struct pg_tm tm;
    fsec_t fsec;
    int offset;
    if (timestamp2tm(ts, &offset, &tm, &fsec, nullptr, zone) != 0)
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("timestamp out of range")));
    return core::days_from_civil(tm.tm_year, static_cast<unsigned>(tm.tm_mon),
                                 static_cast<unsigned>(tm.tm_mday));
}

// The instant a local wall-clock moment names, resolved by PostgreSQL's own
// rules: a time in a spring-forward gap and a repeated fall-back time are
// read exactly as a timestamptz literal in that zone would be.
TimestampTz utc_of(pg_tz *zone, core::LocalMoment m) {
    std::int64_t day = m.day;
    int minute = m.minute;
    if (minute >= core::kMinutesPerDay) {
        day += 1;
        minute -= core::kMinutesPerDay;
    }
    core::CivilDate date = core::civil_from_days(day);
    struct pg_tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = static_cast<int>(date.year);
    tm.tm_mon = static_cast<int>(date.month);
    tm.tm_mday = static_cast<int>(date.day);
    tm.tm_hour = minute / 60;
    tm.tm_min = minute % 60;
    int offset = DetermineTimeZoneOffset(&tm, zone);
    TimestampTz ts;
    if (tm2timestamp(&tm, 0, &offset, &ts) != 0)
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("timestamp out of range")));
    return ts;
}

// Distributed with Citus, a calendar's row lives on its organisation's node
// and a change there invalidates no other node's copy: copies last one
// transaction, and the set of configured organisations (a read of every
// shard) is not kept.
LocalTransactionId cache_read_in = InvalidLocalTransactionId;

bool keep_across_transactions() {
    if (!distributed_by_tenant())
        return true;
    if (cache_read_in != MyProc->lxid) {
        drop_cache((Datum)0, InvalidOid);
        cache_read_in = MyProc->lxid;
    }
    return false;
}

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

    CacheEntry entry;
    CacheEntry *cached = static_cast<CacheEntry *>(hash_search(the_cache(), &key, HASH_FIND, nullptr));
    if (cached != nullptr) {
        entry = *cached;
    } else {
        // Loading runs SPI, which may process invalidations and drop the
        // cache: fill a local copy first, then store it.
        entry.key = key;
        load(ctx, calendar_id, &entry);
        HTAB *h = the_cache();
        if (hash_get_num_entries(h) >= kCacheLimit) {
            drop_cache((Datum)0, InvalidOid);
            h = the_cache();
        }
        *static_cast<CacheEntry *>(hash_search(h, &key, HASH_ENTER, nullptr)) = entry;
    }
    CalendarRules rules = entry.rules;
    if (!entry.has_step)
        rules.step = settings::slot_step();
    return rules;
}

core::Opening *calendar_openings(const CalendarRules &rules, core::StartBounds bounds, int *count) {
    // A day of margin each side: an opening that starts the day before can
    // still hold a candidate, and one the day after can extend a chain.
    std::int64_t first = local_day(rules.zone, bounds.lo) - 1;
    std::int64_t last = local_day(rules.zone, bounds.hi) + 1;
    std::size_t capacity = static_cast<std::size_t>(last - first + 1) * 2 * core::kMaxIntervalsPerDay;
    core::LocalMoment *moments =
        static_cast<core::LocalMoment *>(palloc(sizeof(core::LocalMoment) * capacity));
    std::size_t n = core::opening_moments(rules.hours, first, last, moments, capacity);
    core::Micros *utc = static_cast<core::Micros *>(palloc(sizeof(core::Micros) * (n + 1)));
    for (std::size_t i = 0; i < n; ++i)
        utc[i] = utc_of(rules.zone, moments[i]);
    core::Opening *openings =
        static_cast<core::Opening *>(palloc(sizeof(core::Opening) * (n / 2 + 1)));
    *count = static_cast<int>(core::build_openings(utc, n, rules.step, openings));
    pfree(moments);
    pfree(utc);
    return openings;
}

core::Micros earliest_start(const CallContext *ctx, const CalendarRules &rules) {
    return ctx->now + rules.min_notice;
}

bool within_working_hours(const CalendarRules &rules, core::TimeRange slot) {
    if (rules.hours.always_open)
        return true;
    int n = 0;
    core::Opening *openings = calendar_openings(rules, {slot.start, slot.start}, &n);
    bool inside = core::within_openings({openings, static_cast<std::size_t>(n)}, slot);
    pfree(openings);
    return inside;
}

core::TimeRange blocked_range(const CalendarRules &rules, core::TimeRange slot) {
    return {slot.start - rules.buffer_before, slot.end + rules.buffer_after};
}

bool parse_working_hours(Jsonb *json, core::WeeklyHours *out, const char **problem) {
    *out = core::none_open();
    if (!JB_ROOT_IS_OBJECT(json) || JB_ROOT_IS_SCALAR(json)) {
        *problem = "working_hours must be a JSON object of weekdays";
        return false;
    }
    JsonbIterator *it = JsonbIteratorInit(&json->root);
    JsonbValue v;
    JsonbIteratorToken token;
    int depth = 0;
    int weekday = -1;
    int pair_index = 0;
    int pair[2] = {0, 0};
    char *weekday_name = nullptr;
    while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
        switch (token) {
        case WJB_BEGIN_OBJECT:
        case WJB_BEGIN_ARRAY:
            ++depth;
            if (token == WJB_BEGIN_ARRAY && depth == 3)
                pair_index = 0;
            if (depth > 3 || (token == WJB_BEGIN_OBJECT && depth != 1)) {
                *problem = psprintf("%s: each interval is a pair [\"HH:MM\", \"HH:MM\"]",
                                    weekday_name ? weekday_name : "working_hours");
                return false;
            }
            break;
        case WJB_END_ARRAY:
            if (depth == 3) {
                if (pair_index != 2) {
                    *problem = psprintf("%s: each interval is a pair [\"HH:MM\", \"HH:MM\"]",
                                        weekday_name);
                    return false;
                }
                core::HoursError e = core::add_interval(*out, weekday, pair[0], pair[1]);
                if (e != core::HoursError::none) {
                    *problem = psprintf("%s: %s", weekday_name, core::hours_error_text(e));
                    return false;
                }
            }
            --depth;
            break;
        case WJB_END_OBJECT:
            --depth;
            break;
        case WJB_KEY:
            weekday_name = pnstrdup(v.val.string.val, v.val.string.len);
            weekday = core::weekday_index(weekday_name);
            if (weekday < 0) {
                *problem = psprintf("\"%s\" is not a weekday: %s", weekday_name,
                                    core::hours_error_text(core::HoursError::unknown_weekday));
                return false;
            }
            break;
        case WJB_VALUE:
            // A weekday's value must be an array of intervals.
            *problem = psprintf("%s: give a list of intervals, e.g. [[\"09:00\", \"17:00\"]]",
                                weekday_name);
            return false;
        case WJB_ELEM: {
            if (depth != 3 || v.type != jbvString || pair_index >= 2) {
                *problem = psprintf("%s: each interval is a pair [\"HH:MM\", \"HH:MM\"]",
                                    weekday_name);
                return false;
            }
            std::string_view text(v.val.string.val, static_cast<std::size_t>(v.val.string.len));
            if (core::parse_clock(text, &pair[pair_index]) != core::HoursError::none) {
                *problem = psprintf("%s: \"%.*s\": %s", weekday_name, v.val.string.len,
                                    v.val.string.val,
                                    core::hours_error_text(core::HoursError::bad_time));
                return false;
            }
            ++pair_index;
            break;
        }
        default:
            break;
        }
    }
    core::HoursError e = core::finish(*out);
    if (e != core::HoursError::none) {
        *problem = core::hours_error_text(e);
        return false;
    }
    return true;
}

}  // namespace booking::pg
