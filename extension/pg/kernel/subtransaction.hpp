// A step a call runs under an internal subtransaction, so that what it did
// can be undone and the call can answer rather than raise: a write of
// several rows that must happen whole or not at all (a booking of several
// calendars, a series), a write the overlap guard on another node may refuse
// (23P01), a bounded wait for a lock (55P03).
//
// The body runs with the caller's memory context and resource owner (what
// it allocates survives a rollback; what it read from SPI does not). Locks it
// took pass to the caller's transaction when the subtransaction is kept and
// are released when it is rolled back.
#pragma once

#include <type_traits>

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// An SQLSTATE no error has: nothing is absorbed.
constexpr int kAbsorbNothing = 0;

// Runs body() in a subtransaction and keeps it when body() answers true,
// rolls it back when it answers false. An error of SQLSTATE `absorbed` rolls
// it back too and answers false; any other error rolls it back and
// propagates. after() runs once on every path, before the answer or the
// error leaves (to restore what body() set for its own use).
template <typename Body, typename After>
bool in_subtransaction(int absorbed, Body &&body, After &&after) {
    static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Body>> &&
                      std::is_trivially_destructible_v<std::remove_reference_t<After>>,
                  "the steps must be plain data: ereport(ERROR) longjmps over them");
    MemoryContext caller_context = CurrentMemoryContext;
    ResourceOwner caller_owner = CurrentResourceOwner;
    volatile bool kept = false;
    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(caller_context);
    PG_TRY();
    {
        kept = body();
        after();
        if (kept)
            ReleaseCurrentSubTransaction();
        else
            RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller_context);
        CurrentResourceOwner = caller_owner;
    }
    PG_CATCH();
    {
        after();
        MemoryContextSwitchTo(caller_context);
        ErrorData *edata = CopyErrorData();
        FlushErrorState();
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller_context);
        CurrentResourceOwner = caller_owner;
        if (absorbed == kAbsorbNothing || edata->sqlerrcode != absorbed)
            ReThrowError(edata);
        FreeErrorData(edata);
        kept = false;
    }
    PG_END_TRY();
    return kept;
}

// The rows of write() whole or not at all: kept when it answers true.
template <typename Write>
bool all_or_nothing(Write &&write) {
    return in_subtransaction(kAbsorbNothing, write, [] {});
}

}  // namespace booking::pg
