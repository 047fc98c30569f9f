// Writers that add blocking time insert optimistically under the calendar
// lock; when a constraint refuses, they find out why, clear what no longer
// counts (stale holds), and try again. Since every writer through these
// functions holds the calendar lock, a second refusal means a writer that
// bypassed the functions (a direct INSERT) got in between: the call then
// fails with 40001 so the client retries, rather than answer from a state it
// cannot trust. The database constraint is never in doubt either way.
#pragma once

#include "pg_includes.hpp"

namespace booking::pg {

constexpr int kMaxWriteAttempts = 3;

[[noreturn]] void raise_concurrent_writer();

}  // namespace booking::pg
