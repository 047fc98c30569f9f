// A write of several rows that must happen whole or not at all, in a call
// that answers rather than raises when it does not (one booking of several
// calendars, a series): the rows go in under an internal subtransaction,
// kept when every row went in and rolled back otherwise, so the call can
// find out why and answer, with nothing of the attempt left behind.
//
// The body runs with the caller's memory context and resource owner (what
// it allocates survives a rollback; what it read from SPI does not). An
// ERROR inside is not caught: it aborts the whole transaction, as anywhere
// else in a call.
#pragma once

#include <type_traits>

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// Runs write() in a subtransaction; keeps it when write() answers true.
// Returns what write() answered.
template <typename Write>
bool all_or_nothing(Write &&write) {
    static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Write>>,
                  "the body must be plain data: ereport(ERROR) longjmps over it");
    MemoryContext caller_context = CurrentMemoryContext;
    ResourceOwner caller_owner = CurrentResourceOwner;
    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(caller_context);
    bool whole = write();
    if (whole)
        ReleaseCurrentSubTransaction();
    else
        RollbackAndReleaseCurrentSubTransaction();
    MemoryContextSwitchTo(caller_context);
    CurrentResourceOwner = caller_owner;
    return whole;
}

}  // namespace booking::pg
