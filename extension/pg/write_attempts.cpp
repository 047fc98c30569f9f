#include "write_attempts.hpp"

namespace booking::pg {

void raise_concurrent_writer() {
    ereport(ERROR,
            (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
             errmsg("could not book: the calendar changed under a concurrent writer"),
             errdetail("A write that bypassed the booking functions touched the same calendar."),
             errhint("Retry the call.")));
    pg_unreachable();
}

}  // namespace booking::pg
