// The shared library's load-time entry: settings are defined here, whether
// the library is preloaded or loaded by the first call; shared memory (the
// code-miss ledger, the live statistics) and the expiry worker only when
// preloaded.
#include "pg/compat/pg_includes.hpp"
#include "pg/events/events.hpp"
#include "pg/settings/settings.hpp"
#include "pg/shared/shared_state.hpp"
#include "pg/worker/worker.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void);

void _PG_init(void) {
    // Before define_all(), which reserves the booking. prefix: a setting
    // defined after that would lose its postgresql.conf value at startup.
    booking::pg::events::define_settings();
    booking::pg::events::register_callbacks();
    booking::pg::worker::define_settings();
    booking::pg::settings::define_all();
    if (process_shared_preload_libraries_in_progress) {
        booking::pg::shared::request_at_preload();
        booking::pg::events::install_listener_hook();
        booking::pg::worker::register_at_preload();
    }
}
}
