// The shared library's load-time entry: settings are defined here, whether
// the library is preloaded or loaded by the first call; shared memory (the
// code-miss ledger, the live statistics) and the expiry worker only when
// preloaded.
#include "pg/compat/pg_includes.hpp"
#include "pg/events/events.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/settings/settings.hpp"
#include "pg/shared/shared_state.hpp"
#include "pg/worker/worker.hpp"

namespace {

void load() {
    namespace pg = booking::pg;
    pg::settings::define_all();
    pg::events::register_callbacks();
    if (process_shared_preload_libraries_in_progress) {
        pg::shared::request_at_preload();
        pg::events::install_listener_hook();
        pg::worker::register_at_preload();
    }
}

}  // namespace

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);

void _PG_init(void) { booking::pg::guarded("_PG_init", [] { load(); }); }
}
