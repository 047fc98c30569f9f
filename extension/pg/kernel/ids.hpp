// New identifiers for reservations and audit rows: UUIDv7 from the core,
// with randomness from pg_strong_random.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

pg_uuid_t new_id(TimestampTz now);

}  // namespace booking::pg
