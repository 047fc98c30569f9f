// Booking events: every change of a reservation's state is announced with
// NOTIFY on the channel booking_events, delivered when (and only if) the
// transaction commits, so a dashboard or an SMS sender can LISTEN instead of
// polling. The payload is a small JSON object, in this key order:
//
//   {"event": "claimed", "org_id": "…", "calendar_id": "dr-lee",
//    "id": "…", "status": "held"}
//
// event is the audit action (claimed, booked, confirmed, released,
// cancelled, rescheduled, expired, locked), status the reservation's status
// after it. booking.events = off (superuser) turns the announcements off.
#pragma once

#include "pg_includes.hpp"

namespace booking::pg::events {

constexpr const char *kChannel = "booking_events";

// Defines booking.events; called from _PG_init.
void define_setting();

// Announces the audit action if it changes state; calendar_id is read from
// details (every state-changing audit row carries it).
void announce(const char *action, const pg_uuid_t *org_id, const pg_uuid_t *id, Jsonb *details);

}  // namespace booking::pg::events
