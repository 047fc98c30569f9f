#include "pg/store/otp_key.hpp"

#include "core/otp.hpp"
#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/invalidation.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/settings/settings.hpp"

namespace booking::pg {

namespace {

constexpr int kDatabaseKeyLength = 32;
constexpr int kLongestKey = 1024;

Statement read_key = {"SELECT key FROM booking.otp_secret WHERE id = 1", 0, {}, nullptr};
Statement create_key = {
    "INSERT INTO booking.otp_secret (id, key) VALUES (1, $1) ON CONFLICT DO NOTHING",
    1,
    {BYTEAOID},
    nullptr};

// The per-database key, made on first use. Concurrent first uses agree: the
// loser's insert does nothing and both read the winner's key.
int read_database_key(uint8 out[kLongestKey]) {
    if (run(read_key, nullptr, nullptr, 1) == 0) {
        bytea *fresh = static_cast<bytea *>(palloc(VARHDRSZ + kDatabaseKeyLength));
        SET_VARSIZE(fresh, VARHDRSZ + kDatabaseKeyLength);
        if (!pg_strong_random(VARDATA(fresh), kDatabaseKeyLength))
            ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                            errmsg("could not generate random bytes for the code key")));
        Datum values[1] = {PointerGetDatum(fresh)};
        run(create_key, values, nullptr);
        if (run(read_key, nullptr, nullptr, 1) == 0)
            elog(ERROR, "the per-database code key is missing");
    }
    bool isnull;
    Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
    bytea *key = isnull ? nullptr : DatumGetByteaPP(d);
    int length = key ? static_cast<int>(VARSIZE_ANY_EXHDR(key)) : 0;
    if (length < 1 || length > kLongestKey)
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                        errmsg("booking.otp_secret holds a key of %d bytes; 1 to %d expected",
                               length, kLongestKey),
                        errhint("Delete the row to rotate the key; a new one is made on first use.")));
    memcpy(out, VARDATA_ANY(key), length);
    return length;
}

// This backend's copy of the per-database key: reading the table cost a
// code call 4% of its time. Any change to booking.otp_secret (a rotation, or
// the first use rolled back) invalidates its relcache entry through the
// trigger otp_secret_changed, and the callback drops the copy.
struct KeyCopy {
    bool valid = false;
    LocalTransactionId read_in = InvalidLocalTransactionId;
    Oid relid = InvalidOid;
    int length = 0;
    uint8 bytes[kLongestKey];
};
BOOKING_PLAIN_DATA(KeyCopy);
KeyCopy key_copy;
bool callback_registered = false;

// Distributed, otp_secret is a reference table: a change writes its shard on
// every node, where the trigger fires, so the copy listens to this node's
// shard as well.
void drop_key_copy(Oid relid) {
    if (key_copy.valid && (relid == InvalidOid || relid == key_copy.relid ||
                           may_be_local_shard_of(relid, key_copy.relid))) {
        explicit_bzero(key_copy.bytes, sizeof(key_copy.bytes));
        key_copy.valid = false;
    }
}

const uint8 *database_key(size_t *length) {
    if (!callback_registered) {
        listen_to_relcache(drop_key_copy);
        callback_registered = true;
    }
    // Distributed with Citus, where this node holds no shard of the table a
    // rotation elsewhere invalidates no copy here: the copy then lasts one
    // transaction.
    if (key_copy.valid && key_copy.read_in != compat::local_transaction_id() &&
        distributed_by_tenant() && !has_local_shard(key_copy.relid))
        drop_key_copy(InvalidOid);
    if (!key_copy.valid) {
        key_copy.read_in = compat::local_transaction_id();
        key_copy.relid = get_relname_relid("otp_secret", get_namespace_oid("booking", false));
        key_copy.length = read_database_key(key_copy.bytes);
        key_copy.valid = true;
        ereport(DEBUG2, (errmsg_internal("booking: read the code key")));
    }
    *length = static_cast<size_t>(key_copy.length);
    return key_copy.bytes;
}

}  // namespace

namespace {

void hmac_sha256(const uint8 *key, size_t key_len, const uint8 *data, size_t len,
                 uint8 out[kOtpMacLength]) {
    pg_hmac_ctx *hmac = pg_hmac_create(PG_SHA256);
    if (hmac == nullptr || pg_hmac_init(hmac, key, key_len) < 0 ||
        pg_hmac_update(hmac, data, len) < 0 || pg_hmac_final(hmac, out, kOtpMacLength) < 0)
        elog(ERROR, "could not compute the code's keyed hash: %s",
             hmac ? pg_hmac_error(hmac) : "out of memory");
    pg_hmac_free(hmac);
}

}  // namespace

OtpKey current_otp_key() {
    OtpKey key;
    if (settings::otp_key != nullptr && settings::otp_key[0] != '\0') {
        key.bytes = reinterpret_cast<const uint8 *>(settings::otp_key);
        key.length = strlen(settings::otp_key);
    } else {
        key.bytes = database_key(&key.length);
    }
    static const char kLabel[] = "booking otp key id";
    uint8 digest[kOtpMacLength];
    hmac_sha256(key.bytes, key.length, reinterpret_cast<const uint8 *>(kLabel), sizeof(kLabel) - 1,
                digest);
    memcpy(key.id, digest, kOtpKeyIdLength);
    return key;
}

void otp_mac(const CallContext *ctx, const OtpKey &key, const pg_uuid_t *hold_id,
             const char *code, uint8 out[kOtpMacLength]) {
    std::uint8_t message[core::otp::kMessageMax];
    std::size_t len = core::otp::mac_message(ctx->org_id->data, hold_id->data, code, message);
    hmac_sha256(key.bytes, key.length, message, len, out);
    explicit_bzero(message, sizeof(message));
}

}  // namespace booking::pg
