// Several calendars in one booking (claim_slot's and book's with_calendars):
// a clinician and a room, a room and a machine. Each calendar gets its own
// reservation row, linked by set_id; the set is written whole or not at all.
//
// Writers of several calendars take the calendars' locks in one canonical
// order, the calendar ids' byte order, so two callers asking for
// {dr-a, room-1} and {room-1, dr-a} at the same moment queue on the same
// first lock and never hold one each while waiting for the other.
#pragma once

#include <cstddef>
#include <string_view>

#include "time_range.hpp"

namespace booking::core {

// The most calendars one booking may block: calendar_id and nine more.
constexpr int kMaxSetCalendars = 10;

// The index of the first name that equals an earlier one, or -1.
int first_repeated(Span<std::string_view> names);

// Writes to order the indexes of names in the canonical lock order (byte
// order of the names; equal names keep their order).
void lock_order(Span<std::string_view> names, int *order);

// Whether two lists name the same calendars, in any order (each list
// without repeats).
bool same_calendars(Span<std::string_view> a, Span<std::string_view> b);

}  // namespace booking::core
