// Which release's schema the database holds. A server is upgraded library
// first: until ALTER EXTENSION booking UPDATE runs in a database, the new
// library serves the previous releases' schemas as they did, and the
// statements that read or write what only a later schema has have a form for
// each: 0.2's capacity, sets and series (store/reservations_read.cpp and
// others pick with has_resources()), 0.3's record of a code's earlier send
// (store/reservations_otp.cpp picks with has_code_withdrawal()). What needs
// a later schema (a capacity, several calendars, a series, withdrawing a
// code) raises 55000 until the update.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg::schema {

// True when booking.reservations has this release's columns (capacity,
// set_id, series_id), as the catalog says now.
bool has_resources();

// 55000: what (an argument or a function) needs ALTER EXTENSION booking UPDATE.
void require_resources(const char *what);

// True when booking.otp_codes records with each code the hold's last send
// time before it (previous_sent_at, release 0.3), which withdraw_otp puts
// back, as the catalog says now.
bool has_code_withdrawal();

// 55000, as require_resources, for what needs release 0.3's schema.
void require_code_withdrawal(const char *what);

}  // namespace booking::pg::schema
