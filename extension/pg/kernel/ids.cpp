#include "pg/kernel/ids.hpp"

#include "core/time_range.hpp"
#include "core/uuid_v7.hpp"

namespace booking::pg {

namespace {
core::UuidV7Generator generator;

// Random bytes for ids are drawn from pg_strong_random a block at a time:
// each call is a trip into OpenSSL (and at times the kernel), and a booking
// makes two or three ids. Bytes are used once and wiped as they are taken.
// The block belongs to one process: a child forked after it was filled
// must not reuse its bytes.
constexpr int kRandomBlock = 256;
std::uint8_t random_block[kRandomBlock];
int random_used = kRandomBlock;
int random_owner = 0;

void take_random(std::uint8_t *out, int n) {
    if (random_used + n > kRandomBlock || random_owner != MyProcPid) {
        if (!pg_strong_random(random_block, sizeof(random_block)))
            ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                            errmsg("could not generate random bytes for an identifier")));
        random_used = 0;
        random_owner = MyProcPid;
    }
    memcpy(out, random_block + random_used, static_cast<std::size_t>(n));
    explicit_bzero(random_block + random_used, static_cast<std::size_t>(n));
    random_used += n;
}
}  // namespace

pg_uuid_t new_id(TimestampTz now) {
    std::uint8_t random[8];
    take_random(random, sizeof(random));
    pg_uuid_t out;
    core::next_uuid_v7(generator, now + core::kPostgresEpochInUnixMicros, random, out.data);
    return out;
}

}  // namespace booking::pg
