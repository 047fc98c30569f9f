// Pools' management: set_pool, drop_pool. How a call books through a pool is
// operations/pool_path.hpp's; the tables are calendar/pools.hpp's.
#include <cstdlib>
#include <string_view>

#include "core/pool_choice.hpp"
#include "core/resource_set.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/pools.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/operations/operations.hpp"

namespace booking::pg {

namespace {

// Single-table statements led by org_id = $1, as Citus's fast path takes
// them (README, "Scale-out with Citus").
Statement find_calendar = {
    "SELECT 1 FROM booking.calendars WHERE org_id = $1 AND calendar_id = $2", 2,
    {UUIDOID, TEXTOID}, nullptr};

Statement find_pool = {"SELECT 1 FROM booking.pools WHERE org_id = $1 AND pool_id = $2", 2,
                       {UUIDOID, TEXTOID}, nullptr};

Statement read_weights = {"SELECT key, CASE WHEN jsonb_typeof(value) = 'number' THEN value::text "
                          "END FROM pg_catalog.jsonb_each($1)",
                          1,
                          {JSONBOID},
                          nullptr};

Statement upsert_pool = {
    "INSERT INTO booking.pools (org_id, pool_id, calendars, strategy, weights, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (org_id, pool_id) DO UPDATE "
    "SET calendars = EXCLUDED.calendars, strategy = EXCLUDED.strategy, weights = "
    "EXCLUDED.weights, updated_at = EXCLUDED.updated_at",
    6,
    {UUIDOID, TEXTOID, TEXTARRAYOID, TEXTOID, JSONBOID, TIMESTAMPTZOID},
    nullptr};

Statement delete_members = {
    "DELETE FROM booking.pool_members WHERE org_id = $1 AND pool_id = $2", 2, {UUIDOID, TEXTOID},
    nullptr};

Statement insert_member = {
    "INSERT INTO booking.pool_members (org_id, pool_id, calendar_id, position, weight) "
    "VALUES ($1, $2, $3, $4, $5)",
    5,
    {UUIDOID, TEXTOID, TEXTOID, INT4OID, INT4OID},
    nullptr};

Statement delete_pool = {"DELETE FROM booking.pools WHERE org_id = $1 AND pool_id = $2", 2,
                         {UUIDOID, TEXTOID}, nullptr};

[[noreturn]] void invalid_pool(const char *message, const char *detail) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", message),
                    detail != nullptr ? errdetail("%s", detail) : 0));
    pg_unreachable();
}

// The pool's id is no calendar, and each member a calendar of the
// organisation (set up with set_calendar) that is no pool.
void check_namespace(const CallContext *ctx, const PoolSettings &req) {
    Datum values[2] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(ctx->org_id)),
                       CStringGetTextDatum(req.pool_id.str)};
    if (run(find_calendar, values, nullptr, 1) > 0)
        invalid_pool(psprintf("\"%s\" is a calendar, and pools and calendars share one namespace",
                              req.pool_id.str),
                     nullptr);
    for (int i = 0; i < req.n; ++i) {
        const char *member = req.calendars[i].str;
        if (strcmp(member, req.pool_id.str) == 0)
            invalid_pool(psprintf("pool \"%s\" lists itself", member), nullptr);
        values[1] = CStringGetTextDatum(member);
        if (run(find_pool, values, nullptr, 1) > 0)
            invalid_pool(psprintf("calendar \"%s\" of the pool is a pool", member),
                         "A pool's members are calendars.");
        if (run(find_calendar, values, nullptr, 1) == 0)
            invalid_pool(psprintf("calendar \"%s\" of the pool is unknown", member),
                         "Set each member up with set_calendar first.");
    }
}

// Each member's weight (1 without weights): a weight must name a member and
// be a whole number from 1 to core::kMaxPoolWeight.
void read_member_weights(const PoolSettings &req, int *weight) {
    for (int i = 0; i < req.n; ++i)
        weight[i] = 1;
    if (req.weights == nullptr)
        return;
    Datum values[1] = {JsonbPGetDatum(req.weights)};
    const uint64 rows = run(read_weights, values, nullptr);
    for (uint64 r = 0; r < rows; ++r) {
        const char *key = column_text(r, 1);
        const char *number = column_text(r, 2);
        int member = -1;
        for (int i = 0; i < req.n && member < 0; ++i) {
            if (strcmp(req.calendars[i].str, key) == 0)
                member = i;
        }
        if (member < 0)
            invalid_pool(psprintf("weights names \"%s\", which is not a calendar of the pool", key),
                         nullptr);
        char *end = nullptr;
        const long w = number == nullptr ? 0 : strtol(number, &end, 10);
        if (number == nullptr || *end != '\0' || w < 1 || w > core::kMaxPoolWeight)
            invalid_pool(psprintf("the weight of \"%s\" must be a whole number from 1 to %d", key,
                                  core::kMaxPoolWeight),
                         nullptr);
        weight[member] = static_cast<int>(w);
    }
}

// The members as a JSON array of strings, for the answer.
Jsonb *text_array_json(const TextArg *items, int n) {
    StringInfoData buf;
    initStringInfo(&buf);
    appendStringInfoChar(&buf, '[');
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            appendStringInfoString(&buf, ", ");
        escape_json(&buf, items[i].str);
    }
    appendStringInfoChar(&buf, ']');
    return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

// set_pool and drop_pool write a pool only under its lock (lock_pool), so
// a booking of the pool reads members and counters that no writer changes
// under it.
void take_pool_lock(const CallContext *ctx, const char *pool_id) {
    if (!lock_pool(ctx, pool_id))
        ereport(ERROR, (errcode(ERRCODE_LOCK_NOT_AVAILABLE),
                        errmsg("pool \"%s\" is busy: a booking of it is in progress", pool_id),
                        errhint("Retry the call; nothing was changed.")));
}

}  // namespace

Jsonb *set_pool(const PoolSettings &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        std::string_view names[core::kMaxPoolMembers];
        for (int i = 0; i < req.n; ++i)
            names[i] = std::string_view(req.calendars[i].str,
                                        static_cast<std::size_t>(req.calendars[i].len));
        const int repeated = core::first_repeated({names, static_cast<std::size_t>(req.n)});
        if (repeated >= 0)
            invalid_pool(psprintf("calendars lists calendar \"%s\" twice",
                                  req.calendars[repeated].str),
                         nullptr);
        check_namespace(ctx, req);
        int weight[core::kMaxPoolMembers];
        read_member_weights(req, weight);

        Datum *items = static_cast<Datum *>(palloc(sizeof(Datum) * req.n));
        for (int i = 0; i < req.n; ++i)
            items[i] = CStringGetTextDatum(req.calendars[i].str);
        ArrayType *calendars = construct_array(items, req.n, TEXTOID, -1, false, TYPALIGN_INT);
        Datum values[6] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(req.org_id)),
                           CStringGetTextDatum(req.pool_id.str),
                           PointerGetDatum(calendars),
                           CStringGetTextDatum(core::pool_strategy_name(req.strategy)),
                           req.weights != nullptr ? JsonbPGetDatum(req.weights) : (Datum)0,
                           TimestampTzGetDatum(ctx->now)};
        const char nulls[7] = {' ', ' ', ' ', ' ', req.weights != nullptr ? ' ' : 'n', ' ', '\0'};
        take_pool_lock(ctx, req.pool_id.str);
        (void)run(upsert_pool, values, nulls);
        JsonOut j;
        begin_success(&j);
        j.put_string("pool_id", req.pool_id.str);
        j.put_jsonb("calendars", text_array_json(req.calendars, req.n));
        j.put_string("strategy", core::pool_strategy_name(req.strategy));
        if (req.weights != nullptr)
            j.put_jsonb("weights", req.weights);
        Jsonb *answered = answer(ctx, &j);

        // The members afresh, their counters from zero.
        (void)run(delete_members, values, nullptr);
        for (int i = 0; i < req.n; ++i) {
            Datum member[5] = {values[0], values[1], items[i], Int32GetDatum(i + 1),
                               Int32GetDatum(weight[i])};
            (void)run(insert_member, member, nullptr);
        }
        return answered;
    });
}

Jsonb *drop_pool(const pg_uuid_t *org_id, TextArg pool_id) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        take_pool_lock(ctx, pool_id.str);
        Datum values[2] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id)),
                           CStringGetTextDatum(pool_id.str)};
        (void)run(delete_members, values, nullptr);
        const bool dropped = run(delete_pool, values, nullptr) > 0;
        JsonOut j;
        begin_success(&j);
        j.put_string("pool_id", pool_id.str);
        j.put_bool("dropped", dropped);
        return answer(ctx, &j);
    });
}

}  // namespace booking::pg
