#include "pg/calendar/pools.hpp"

#include "pg/kernel/keyed_cache.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/store/calendar_lock.hpp"

namespace booking::pg {

namespace {

struct PoolKey {
    pg_uuid_t org_id;
    char id[4 * 200 + 4];  // a calendar id: 200 characters of up to 4 bytes
};
BOOKING_PLAIN_DATA(PoolKey);

struct PoolEntry {
    PoolKey key;
    PoolKind kind;
};
BOOKING_PLAIN_DATA(PoolEntry);

KeyedCache pool_cache = {"pools", "booking pools", sizeof(PoolKey), sizeof(PoolEntry)};

Statement read_pool = {
    "SELECT strategy, weights IS NOT NULL FROM booking.pools WHERE org_id = $1 AND pool_id = $2",
    2,
    {UUIDOID, TEXTOID},
    nullptr};

Statement read_members = {
    "SELECT calendar_id, weight, assigned, last_turn FROM booking.pool_members "
    "WHERE org_id = $1 AND pool_id = $2 ORDER BY position",
    2,
    {UUIDOID, TEXTOID},
    nullptr};

Statement count_assignment = {
    "UPDATE booking.pool_members SET assigned = assigned + 1, last_turn = $4, "
    "last_assigned_at = $5 WHERE org_id = $1 AND pool_id = $2 AND calendar_id = $3",
    5,
    {UUIDOID, TEXTOID, TEXTOID, INT8OID, TIMESTAMPTZOID},
    nullptr};

}  // namespace

PoolKind pool_kind(const CallContext *ctx, const char *id) {
    PoolKey key;
    memset(&key, 0, sizeof(key));
    key.org_id = *ctx->org_id;
    strlcpy(key.id, id, sizeof(key.id));
    PoolEntry entry = keyed_lookup<PoolEntry>(&pool_cache, ctx->org_id, &key, [&](PoolEntry *e) {
        e->key = key;
        e->kind = PoolKind{false, core::PoolStrategy::round_robin, false};
        Datum values[2] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(ctx->org_id)),
                           CStringGetTextDatum(id)};
        if (run(read_pool, values, nullptr, 1) != 1)
            return;
        e->kind.is_pool = true;
        (void)core::parse_pool_strategy(column_text(0, 1), &e->kind.strategy);
        bool isnull;
        e->kind.weighted = DatumGetBool(column(0, 2, &isnull));
    });
    return entry.kind;
}

int read_pool_members(const CallContext *ctx, const char *pool_id, PoolMember *out) {
    Datum values[2] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(ctx->org_id)),
                       CStringGetTextDatum(pool_id)};
    const uint64 rows = run(read_members, values, nullptr, core::kMaxPoolMembers);
    for (uint64 i = 0; i < rows; ++i) {
        PoolMember &m = out[i];
        m.calendar_id = column_text(i, 1);
        m.count.weight = column_int32(i, 2);
        m.count.assigned = column_int64(i, 3);
        m.count.last_turn = column_int64(i, 4);
    }
    return static_cast<int>(rows);
}

int pool_members(const CallContext *ctx, const char *id, PoolMember **out) {
    if (!pool_kind(ctx, id).is_pool)
        return 0;
    *out = static_cast<PoolMember *>(palloc(sizeof(PoolMember) * core::kMaxPoolMembers));
    return read_pool_members(ctx, id, *out);
}

bool lock_pool(const CallContext *ctx, const char *pool_id) {
    if (tenant_elsewhere(ctx->org_id))
        return true;
    return lock_calendar(ctx->org_id, pool_id, static_cast<int>(strlen(pool_id)));
}

void record_pool_assignment(const CallContext *ctx, const char *pool_id, const char *member,
                            int64 turn) {
    Datum values[5] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(ctx->org_id)),
                       CStringGetTextDatum(pool_id), CStringGetTextDatum(member),
                       Int64GetDatum(turn), TimestampTzGetDatum(ctx->now)};
    (void)run(count_assignment, values, nullptr);
}

}  // namespace booking::pg
