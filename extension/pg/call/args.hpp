// Reading and checking SQL arguments. Misuse is raised, never answered: each
// reader raises an ERROR whose message names the argument, with the SQLSTATE
// a client library can act on, before anything has been changed.
//
//   22004  a required argument is NULL
//   22001  text longer than its limit
//   22023  a malformed value: empty text, non-positive or over-long duration,
//          an interval with months, out-of-range numbers, non-object metadata
//   22007  an infinite timestamp
//   22008  a timestamp outside 1970..2200
#pragma once

#include "core/time_range.hpp"
#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

// A text argument as a NUL-terminated copy; null when an optional one is NULL.
struct TextArg {
    const char *str = nullptr;
    int len = 0;
    bool present() const { return str != nullptr; }
};
BOOKING_PLAIN_DATA(TextArg);

bool arg_is_null(FunctionCallInfo fcinfo, int argno);

pg_uuid_t *uuid_arg(FunctionCallInfo fcinfo, int argno, const char *name);
pg_uuid_t *optional_uuid_arg(FunctionCallInfo fcinfo, int argno);

// Required text: not NULL, not blank, at most max_chars characters.
TextArg text_arg(FunctionCallInfo fcinfo, int argno, const char *name, std::size_t max_chars);
// Optional text: NULL and '' both mean absent.
TextArg optional_text_arg(FunctionCallInfo fcinfo, int argno, const char *name,
                          std::size_t max_chars);

// An optional text[]: -1 when NULL (*out untouched); else the count, each
// element read as a required text (not NULL, not blank, at most max_chars)
// into a palloc'd array. An empty or multi-dimensional array, or one of more
// than max_items, raises 22023.
int optional_text_array_arg(FunctionCallInfo fcinfo, int argno, const char *name,
                            int max_items, std::size_t max_chars, TextArg **out);

// with_calendars: the other calendars of a booking of several, after
// calendar_id. 0 when NULL; else each as optional_text_array_arg reads it (a
// calendar_id of at most 200 characters), at most nine, none listed twice
// and none equal to calendar_id (22023 naming it).
int with_calendars_arg(FunctionCallInfo fcinfo, int argno, TextArg calendar_id, TextArg **out);

// A finite timestamp between 1970 and 2200.
TimestampTz timestamp_arg(FunctionCallInfo fcinfo, int argno, const char *name);

// An interval read as a fixed length: positive, without months, at most max.
core::Micros duration_arg(FunctionCallInfo fcinfo, int argno, const char *name, core::Micros max,
                          const char *max_setting);
// The same, with NULL meaning fallback.
core::Micros optional_duration_arg(FunctionCallInfo fcinfo, int argno, const char *name,
                                   core::Micros fallback, core::Micros max,
                                   const char *max_setting);

// A reservation's length: whole minutes, at least one, at most booking.max_duration.
core::Micros length_arg(FunctionCallInfo fcinfo, int argno, const char *name);
// A hold's TTL: positive, at most booking.max_hold_ttl; with null_is_default,
// NULL means booking.hold_ttl.
core::Micros ttl_arg(FunctionCallInfo fcinfo, int argno, const char *name, bool null_is_default);

// A JSON object of bounded size; null when NULL.
Jsonb *optional_object_arg(FunctionCallInfo fcinfo, int argno, const char *name,
                           std::size_t max_bytes);

int32 int_arg(FunctionCallInfo fcinfo, int argno, const char *name, int32 lo, int32 hi);
bool bool_arg(FunctionCallInfo fcinfo, int argno, const char *name);

}  // namespace booking::pg
