// The only door between PostgreSQL and C++.
//
// Everything PostgreSQL calls in this library passes a guard: the SQL
// functions (BOOKING_SQL_FUNCTION below), and every callback PostgreSQL holds
// a pointer to, made by the templates of kernel/hooks.hpp (_PG_init and the
// workers' mains call guarded() themselves). No C++ exception ever reaches
// PostgreSQL: the guard catches it, copies what it says into plain storage
// without calling PostgreSQL, and only once the C++ frames have unwound turns
// it into an ERROR (guarded) or, where an ERROR would do harm (at commit or
// abort, during invalidation, at process exit, in a GUC check), a WARNING
// (guarded_quiet).
//
// The reverse rule keeps ereport(ERROR), which longjmps, from skipping C++
// destructors: nothing with a destructor is alive in this layer across a call
// that can raise. The guard's own frame holds plain data only, and so must
// the body it runs (a lambda capturing references and plain values is
// trivially destructible; the static_asserts below say so at compile time).
#pragma once

#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

// What a caught exception was.
struct CppFailure {
    enum class Kind { none, out_of_memory, exception, unknown };
    Kind kind = Kind::none;
    char message[256];  // set when kind is exception
};
BOOKING_PLAIN_DATA(CppFailure);

// Where PostgreSQL's error handling stood when a guard was entered: the
// innermost PG_TRY (PG_exception_stack), the error context callbacks and the
// memory context. A C++ exception unwinding through a PG_TRY of the body
// leaves PG_exception_stack pointing into a frame that is gone; the guard puts
// back what it saw on entry before it raises or logs (as pg_duckdb's guard
// does), so the ERROR jumps to a live frame.
struct PgErrorState {
    sigjmp_buf *exception_stack;
    ErrorContextCallback *context_stack;
    MemoryContext memory_context;
};
BOOKING_PLAIN_DATA(PgErrorState);
PgErrorState save_error_state() noexcept;
void restore_error_state(const PgErrorState &state) noexcept;

// Inside a catch handler: records the exception being handled. Calls no
// PostgreSQL function (a longjmp out of a handler would leave the C++
// runtime's exception bookkeeping behind).
void note_current_exception(CppFailure *failure) noexcept;

// After the handler: the ERROR (never returns), or the WARNING.
[[noreturn]] void raise_cpp_failure(const char *where, const CppFailure &failure);
void log_cpp_failure(const char *where, const CppFailure &failure);

// Runs body(); a C++ exception becomes an ERROR once the frames unwound.
template <typename Body>
auto guarded(const char *where, Body &&body) noexcept -> decltype(body()) {
    static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Body>>,
                  "a guarded body must be plain data: ereport(ERROR) longjmps over it");
    const PgErrorState entered = save_error_state();
    CppFailure failure;
    try {
        return body();
    } catch (...) {
        note_current_exception(&failure);
    }
    restore_error_state(entered);
    raise_cpp_failure(where, failure);
}

// Runs body(); a C++ exception is logged as a WARNING once the frames
// unwound, and fallback is answered.
template <typename Result, typename Body>
Result guarded_quiet(const char *where, Result fallback, Body &&body) noexcept {
    static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Body>>,
                  "a guarded body must be plain data: ereport(ERROR) longjmps over it");
    static_assert(std::is_trivially_destructible_v<Result>, "the fallback must be plain data");
    const PgErrorState entered = save_error_state();
    CppFailure failure;
    try {
        return body();
    } catch (...) {
        note_current_exception(&failure);
    }
    restore_error_state(entered);
    log_cpp_failure(where, failure);
    return fallback;
}

template <typename Body>
void guarded_quiet(const char *where, Body &&body) noexcept {
    static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Body>>,
                  "a guarded body must be plain data: ereport(ERROR) longjmps over it");
    const PgErrorState entered = save_error_state();
    CppFailure failure;
    try {
        body();
        return;
    } catch (...) {
        note_current_exception(&failure);
    }
    restore_error_state(entered);
    log_cpp_failure(where, failure);
}

}  // namespace booking::pg

// A SQL-callable function: a thin extern "C" entry point that runs the C++
// body behind the guard.
#define BOOKING_SQL_FUNCTION(name)                                                   \
    static Datum name##_body(FunctionCallInfo fcinfo);                               \
    extern "C" {                                                                     \
    PG_FUNCTION_INFO_V1(name);                                                       \
    Datum name(PG_FUNCTION_ARGS) {                                                   \
        return booking::pg::guarded(#name, [fcinfo] { return name##_body(fcinfo); }); \
    }                                                                                \
    }                                                                                \
    static Datum name##_body([[maybe_unused]] FunctionCallInfo fcinfo)
