// Building jsonb answers with PostgreSQL's own jsonb API. Timestamps are
// written as ISO 8601 strings the way to_jsonb(timestamptz) writes them (in
// the session's TimeZone), so answers read the same as the seed's
// jsonb_build_object() results.
#pragma once

#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

// Plain data only: it may live across calls that raise.
struct JsonOut {
    JsonbParseState *state = nullptr;
    JsonbValue *result = nullptr;

    void begin_object();
    void end_object();
    void begin_object(const char *key);
    void begin_array(const char *key);
    void end_array();

    void put_string(const char *key, const char *value);  // NULL value writes null
    void put_bool(const char *key, bool value);
    void put_int(const char *key, int64 value);
    void put_null(const char *key);
    void put_timestamp(const char *key, TimestampTz value);
    void put_optional_timestamp(const char *key, TimestampTz value, bool present);
    void put_uuid(const char *key, const pg_uuid_t *value);  // NULL value writes null
    void put_jsonb(const char *key, Jsonb *value);           // NULL value writes null

    // Inside an array.
    void begin_element_object();

    // The finished document, allocated in target.
    Jsonb *finish(MemoryContext target);
};
BOOKING_PLAIN_DATA(JsonOut);

}  // namespace booking::pg
