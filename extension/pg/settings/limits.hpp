// Defining the limits (limits.cpp); settings::define_all() calls it first.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg::settings {

void define_limits();

}  // namespace booking::pg::settings
