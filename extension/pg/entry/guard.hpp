// The only door between PostgreSQL and C++.
//
// Every SQL-callable function is declared with BOOKING_SQL_FUNCTION, which
// makes a thin extern "C" entry point that runs the C++ body inside a
// try/catch. No C++ exception ever reaches PostgreSQL: it is caught, its
// message copied into plain storage, and only after the C++ frames have
// unwound is it raised as a PostgreSQL ERROR.
//
// The reverse rule keeps ereport(ERROR), which longjmps, from skipping C++
// destructors: code in this layer keeps no object with a destructor alive
// across a call into PostgreSQL. The core (which never calls PostgreSQL) may
// use the standard library freely; the layer hands it plain arrays.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

enum class CppFailure { out_of_memory, exception, unknown };

[[noreturn]] void raise_cpp_failure(const char *function, CppFailure kind, const char *message);

template <Datum (*Body)(FunctionCallInfo)>
Datum guarded_call(FunctionCallInfo fcinfo, const char *function) {
    char message[256];
    message[0] = '\0';
    CppFailure kind;
    try {
        return Body(fcinfo);
    } catch (const std::bad_alloc &) {
        kind = CppFailure::out_of_memory;
    } catch (const std::exception &e) {
        // Copy without calling PostgreSQL: a longjmp out of a handler would
        // leave the C++ runtime's exception bookkeeping behind.
        kind = CppFailure::exception;
        std::strncpy(message, e.what(), sizeof(message) - 1);
        message[sizeof(message) - 1] = '\0';
    } catch (...) {
        kind = CppFailure::unknown;
    }
    raise_cpp_failure(function, kind, message);
}

}  // namespace booking::pg

#define BOOKING_SQL_FUNCTION(name)                                                                 \
    static Datum name##_body(FunctionCallInfo fcinfo);                                             \
    extern "C" {                                                                                   \
    PG_FUNCTION_INFO_V1(name);                                                                     \
    Datum name(PG_FUNCTION_ARGS) { return booking::pg::guarded_call<name##_body>(fcinfo, #name); } \
    }                                                                                              \
    static Datum name##_body([[maybe_unused]] FunctionCallInfo fcinfo)
