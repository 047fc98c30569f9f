#include "pg/kernel/guard.hpp"

namespace booking::pg {

PgErrorState save_error_state() noexcept {
    return PgErrorState{PG_exception_stack, error_context_stack, CurrentMemoryContext};
}

void restore_error_state(const PgErrorState &state) noexcept {
    PG_exception_stack = state.exception_stack;
    error_context_stack = state.context_stack;
    MemoryContextSwitchTo(state.memory_context);
}

void note_current_exception(CppFailure *failure) noexcept {
    failure->message[0] = '\0';
    // Rethrown only to be told apart, inside this handler; nothing escapes.
    try {
        throw;
    } catch (const std::bad_alloc &) {
        failure->kind = CppFailure::Kind::out_of_memory;
    } catch (const std::exception &e) {
        failure->kind = CppFailure::Kind::exception;
        std::strncpy(failure->message, e.what(), sizeof(failure->message) - 1);
        failure->message[sizeof(failure->message) - 1] = '\0';
    } catch (...) {
        failure->kind = CppFailure::Kind::unknown;
    }
}

void raise_cpp_failure(const char *where, const CppFailure &failure) {
    switch (failure.kind) {
    case CppFailure::Kind::out_of_memory:
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                        errdetail("booking function %s could not allocate memory", where)));
        break;
    case CppFailure::Kind::exception:
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                        errmsg("internal error in booking function %s: %s", where,
                               failure.message)));
        break;
    case CppFailure::Kind::none:
    case CppFailure::Kind::unknown:
        break;
    }
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                    errmsg("internal error in booking function %s", where)));
    pg_unreachable();
}

void log_cpp_failure(const char *where, const CppFailure &failure) {
    const char *what = failure.kind == CppFailure::Kind::out_of_memory ? "out of memory"
                       : failure.kind == CppFailure::Kind::exception   ? failure.message
                                                                      : "unknown exception";
    ereport(WARNING, (errcode(ERRCODE_INTERNAL_ERROR),
                      errmsg("internal error in booking %s: %s", where, what),
                      errdetail("It was logged rather than raised: an error here would do "
                                "more harm than the step it skipped.")));
}

}  // namespace booking::pg
