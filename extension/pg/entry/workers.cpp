// The functions the postmaster starts background workers at, by name
// (bgw_function_name): the expiry worker's launcher and sweeper
// (worker/worker.hpp).
#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/worker/worker.hpp"

extern "C" {
PGDLLEXPORT void booking_launcher_main(Datum arg);
PGDLLEXPORT void booking_sweeper_main(Datum arg);
}

void booking_launcher_main(Datum) {
    booking::pg::guarded("booking_launcher_main", [] { booking::pg::worker::launcher_main(); });
}

void booking_sweeper_main(Datum arg) {
    Oid database = DatumGetObjectId(arg);
    booking::pg::guarded("booking_sweeper_main",
                         [database] { booking::pg::worker::sweeper_main(database); });
}
