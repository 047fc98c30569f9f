// Which release's schema the database holds. A server is upgraded library
// first: until ALTER EXTENSION booking UPDATE runs in a database, the new
// library serves the previous release's schema as that release did, and the
// statements that read what only the current schema has (capacity, sets,
// series) have a form for each (store/reservations_read.cpp and others pick
// with has_resources()). What needs the current schema (a capacity, several
// calendars, a series) raises 55000 until the update.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg::schema {

// True when booking.reservations has this release's columns (capacity,
// set_id, series_id), as the catalog says now.
bool has_resources();

// 55000: what (an argument or a function) needs ALTER EXTENSION booking UPDATE.
void require_resources(const char *what);

}  // namespace booking::pg::schema
