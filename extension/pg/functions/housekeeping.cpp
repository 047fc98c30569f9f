// SQL entry points: expire_holds, slot_lock_key, blocking_range, and the
// trigger that keeps backends' cached copies of tables in step.
#include "core/input_limits.hpp"
#include "core/lock_keys.hpp"
#include "pg/blocking_range.hpp"
#include "pg/guard.hpp"
#include "pg/operations/operations.hpp"

extern "C" {
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "commands/trigger.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
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

// The range a reservation keeps others off, as the overlap guard stores it
// in booking.reservations.blocks (pg/blocking_range.hpp).
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

// Statement-level trigger on a table some backends keep a copy of
// (booking.calendars: calendar rules; booking.otp_secret: the code key):
// every backend drops its copy when the change commits, and this backend
// at once (and again if the change rolls back).
BOOKING_SQL_FUNCTION(booking_cached_table_changed) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("%s() must be called as a trigger",
                               get_func_name(fcinfo->flinfo->fn_oid))));
    TriggerData *trigger = reinterpret_cast<TriggerData *>(fcinfo->context);
    CacheInvalidateRelcache(trigger->tg_relation);
    return PointerGetDatum(nullptr);
}

// INSTEAD OF trigger on the read views: a role without the privilege never
// gets here (PostgreSQL checks it first, 42501); anyone else is told where
// changes go.
BOOKING_SQL_FUNCTION(booking_refuse_view_write) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("refuse_view_write() must be called as a trigger")));
    TriggerData *trigger = reinterpret_cast<TriggerData *>(fcinfo->context);
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("booking.%s is read-only", RelationGetRelationName(trigger->tg_relation)),
                    errhint("Change reservations through the booking functions (claim_slot, "
                            "book, confirm_hold, cancel_appointment, ...).")));
    pg_unreachable();
}
