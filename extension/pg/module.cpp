// The shared library's load-time entry: settings are defined here, whether
// the library is preloaded or loaded by the first call; shared memory only
// when preloaded.
#include "pg_includes.hpp"

#include "settings.hpp"
#include "shared_state.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void);

void _PG_init(void) {
    booking::pg::settings::define_all();
    if (process_shared_preload_libraries_in_progress)
        booking::pg::shared::request_at_preload();
}
}
