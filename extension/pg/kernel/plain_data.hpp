// The layer's second house rule, made a compile-time check: what lives in its
// frames, or in its statics, while PostgreSQL can raise is plain data. An
// ERROR longjmps over C++ frames, so a destructor there would never run (a
// held lock stays held, memory stays allocated); and no object of this layer
// needs one, since memory comes from PostgreSQL's contexts.
//
// Every struct and class of extension/pg is declared with BOOKING_PLAIN_DATA
// right after its definition (dev/house-rules checks that none is missing);
// in_call_scope and the guard check the lambdas they run.
#pragma once

#include <type_traits>

#define BOOKING_PLAIN_DATA(T)                              \
    static_assert(std::is_trivially_destructible_v<T>,     \
                  #T " must be trivially destructible: "   \
                  "ereport(ERROR) longjmps over C++ frames")
