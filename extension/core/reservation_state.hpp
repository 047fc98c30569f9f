// The reservation life cycle: one row from hold to appointment.
//
//   held -> confirmed -> cancelled | completed
//   held -> released | expired | requires_manual_followup
//   requires_manual_followup -> confirmed (by staff) | released | expired
//
// held, requires_manual_followup and confirmed block the calendar; a held
// reservation blocks only until its expires_at, whether or not anything has
// swept it yet.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "time_range.hpp"

namespace booking::core {

// The order matches the SQL enum booking.reservation_status.
enum class Status : std::uint8_t {
    held,
    confirmed,
    cancelled,
    completed,
    released,
    expired,
    requires_manual_followup,
};

constexpr int kStatusCount = 7;

const char *status_name(Status status);
std::optional<Status> parse_status(std::string_view name);

bool can_transition(Status from, Status to);

// Whether a reservation in this state keeps others off its range (ignoring
// time; see is_blocking for the TTL rule).
bool blocks_calendar(Status status);

// The same set as SQL reads it, the one text of it: the predicate of the
// index reservations_blocking (the Makefile writes it into the install
// script, where @BLOCKING_STATUSES@ stands) and of every statement that reads
// blocking rows, word for word, so the planner matches them to the index.
// test_reservation_state checks that it names exactly the statuses
// blocks_calendar() answers true for. (One line: the Makefile reads it.)
#define BOOKING_BLOCKING_STATUSES_SQL "status IN ('held', 'requires_manual_followup', 'confirmed')"

// A held reservation whose TTL has passed is expired in every answer, even if
// its row still says held.
bool is_stale_hold(Status status, Micros expires_at, Micros now);
Status effective_status(Status status, Micros expires_at, Micros now);
bool is_blocking(Status status, Micros expires_at, Micros now);

// A hold is "active" while it still belongs to its caller: live and held, or
// locked for staff after failed verification.
bool is_active_hold(Status status, Micros expires_at, Micros now);

}  // namespace booking::core
