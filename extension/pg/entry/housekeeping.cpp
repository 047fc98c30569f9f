// SQL entry points: expire_holds, slot_lock_key, blocking_range.
#include "core/input_limits.hpp"
#include "core/lock_keys.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"
#include "pg/store/blocking_range.hpp"

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

// The range a reservation keeps others off, as the overlap guard stores it
// in booking.reservations.blocks (pg/store/blocking_range.hpp).
BOOKING_SQL_FUNCTION(booking_blocking_range) {
    TimestampTz starts_at = PG_GETARG_TIMESTAMPTZ(0);
    TimestampTz ends_at = PG_GETARG_TIMESTAMPTZ(1);
    check_finite(starts_at, ends_at);
    if (ends_at <= starts_at)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("a reservation must end after it starts")));
    core::Micros before = checked_buffer(PG_GETARG_INTERVAL_P(2), "buffer_before");
    core::Micros after = checked_buffer(PG_GETARG_INTERVAL_P(3), "buffer_after");
    PG_RETURN_RANGE_P(tstzrange_of({starts_at - before, ends_at + after}));
}
