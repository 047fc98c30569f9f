#include "ids.hpp"

#include "core/time_range.hpp"
#include "core/uuid_v7.hpp"

namespace booking::pg {

namespace {
core::UuidV7Generator generator;
}

pg_uuid_t new_id(TimestampTz now) {
    std::uint8_t random[8];
    if (!pg_strong_random(random, sizeof(random)))
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                        errmsg("could not generate random bytes for an identifier")));
    pg_uuid_t out;
    core::next_uuid_v7(generator, now + core::kPostgresEpochInUnixMicros, random, out.data);
    return out;
}

}  // namespace booking::pg
