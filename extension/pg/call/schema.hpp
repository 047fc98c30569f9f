// The one schema the library serves: its own release's (BOOKING_EXTVERSION,
// booking.control's default_version). A server is upgraded library first;
// until ALTER EXTENSION booking UPDATE runs in a database, every call there
// refuses with 55000 and says so (as Citus's CheckCitusVersion does), rather
// than the library keeping a second form of its statements for the previous
// schema. What the update itself needs keeps working: the update script's
// own calls (while an extension script runs) and the triggers, which read
// the row's columns by name (store/overlap_guard.cpp).
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg::schema {

// Whether the database's booking extension is this library's release;
// answered once per transaction.
bool is_current();

// 55000 unless is_current(), or an extension script (CREATE or ALTER
// EXTENSION) is running.
void require_current();

}  // namespace booking::pg::schema
