// SQL entry points: expire_holds, slot_lock_key, blocking_range.
#include "core/duration.hpp"
#include "core/input_limits.hpp"
#include "core/lock_keys.hpp"
#include "pg/guard.hpp"
#include "pg/operations/operations.hpp"

extern "C" {
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"
}

using namespace booking;
using namespace booking::pg;

BOOKING_SQL_FUNCTION(booking_expire_holds) {
    int batch_size = int_arg(fcinfo, 0, "batch_size", 1, core::limits::kMaxBatch);
    PG_RETURN_INT32(expire_holds(batch_size));
}

// The seed's hashSlotToInt64: SHA-256 (PostgreSQL's) of the key text the
// core formats, first 8 bytes as a signed big-endian integer.
BOOKING_SQL_FUNCTION(booking_slot_lock_key) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    TimestampTz starts_at = timestamp_arg(fcinfo, 1, "starts_at");
    char key[core::kSeedSlotKeyMaxLength];
    std::size_t len = core::seed_slot_key_text(org_id->data, starts_at, key, sizeof(key));
    if (len == 0)
        elog(ERROR, "could not format the slot key of that timestamp");
    uint8 digest[PG_SHA256_DIGEST_LENGTH];
    pg_cryptohash_ctx *hash = pg_cryptohash_create(PG_SHA256);
    if (pg_cryptohash_init(hash) < 0 ||
        pg_cryptohash_update(hash, reinterpret_cast<const uint8 *>(key), len) < 0 ||
        pg_cryptohash_final(hash, digest, sizeof(digest)) < 0)
        elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(hash));
    pg_cryptohash_free(hash);
    PG_RETURN_INT64(core::int64_from_big_endian(digest));
}

namespace {

core::Micros buffer_arg(FunctionCallInfo fcinfo, int argno, const char *name) {
    Interval *iv = PG_GETARG_INTERVAL_P(argno);
    core::DurationResult r = core::fixed_length({iv->month, iv->day, iv->time});
    if (r.error != core::DurationError::none || r.micros < 0 || r.micros > core::kMicrosPerDay)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must be between 0 and 1 day, without months", name)));
    return r.micros;
}

}  // namespace

// The range a reservation keeps others off: its own range widened by its
// buffers. Days count as 24 hours, so the result does not depend on the
// session's time zone and the function is truly immutable, as the generated
// column and the overlap guard's index over it require.
BOOKING_SQL_FUNCTION(booking_blocking_range) {
    TimestampTz starts_at = PG_GETARG_TIMESTAMPTZ(0);
    TimestampTz ends_at = PG_GETARG_TIMESTAMPTZ(1);
    if (TIMESTAMP_NOT_FINITE(starts_at) || TIMESTAMP_NOT_FINITE(ends_at))
        ereport(ERROR, (errcode(ERRCODE_INVALID_DATETIME_FORMAT),
                        errmsg("a reservation's times must be finite")));
    if (ends_at <= starts_at)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("a reservation must end after it starts")));
    core::Micros before = buffer_arg(fcinfo, 2, "buffer_before");
    core::Micros after = buffer_arg(fcinfo, 3, "buffer_after");

    TypeCacheEntry *typcache = lookup_type_cache(TSTZRANGEOID, TYPECACHE_RANGE_INFO);
    RangeBound lower;
    lower.val = TimestampTzGetDatum(starts_at - before);
    lower.infinite = false;
    lower.inclusive = true;
    lower.lower = true;
    RangeBound upper;
    upper.val = TimestampTzGetDatum(ends_at + after);
    upper.infinite = false;
    upper.inclusive = false;
    upper.lower = false;
    PG_RETURN_RANGE_P(make_range(typcache, &lower, &upper, false));
}
