// The shared library's load-time entry: settings are defined here, whether
// the library is preloaded or loaded by the first call.
#include "pg_includes.hpp"

#include "settings.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void);

void _PG_init(void) { booking::pg::settings::define_all(); }
}
