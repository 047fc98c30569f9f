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
//
// NOTIFY has a price: every notifying transaction takes one cluster-wide lock
// at commit and holds it through its WAL flush, so notifying commits run one
// at a time. Announcements are therefore queued during the transaction and
// sent at pre-commit only if some backend listens on booking_events in this
// database. With the library preloaded a utility hook counts listeners (LISTEN
// and UNLISTEN/DISCARD ALL of the channel); without it nobody can be ruled
// out and every state change is announced. A listener that starts listening
// in the instant between another transaction's pre-commit and its commit can
// miss that one announcement, which it could not have seen had it started a
// moment later either.
#pragma once

#include "pg_includes.hpp"

namespace booking::pg::events {

constexpr const char *kChannel = "booking_events";

// Defines booking.events; called from _PG_init.
void define_setting();

// Announces the audit action if it changes state; calendar_id is read from
// details (every state-changing audit row carries it).
void announce(const char *action, const pg_uuid_t *org_id, const pg_uuid_t *id, Jsonb *details);

// Called from _PG_init: the transaction callbacks that send or drop the
// queued announcements.
void register_callbacks();
// Called from _PG_init when preloading: counts listeners of the channel.
void install_listener_hook();

}  // namespace booking::pg::events
