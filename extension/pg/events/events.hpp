// Booking events: every change of a reservation's state, for the consumers
// that asked for them (a webhook sender, an SMS-confirmation sender, a
// dashboard), delivered after commit, in commit order, without loss for a
// consumer that was away, and tenant-safe.
//
// The mechanism is an outbox. A consumer registers once
// (create_event_consumer, for one organisation, or for all of them as the
// owner); from then on each state change of that organisation is written to
// booking.event_queue in the transaction that makes it, so it exists exactly
// when the change commits. Readers give queued events their position in the
// log (booking.event_log) in the order they became visible, and each
// consumer reads past its acknowledged position and acknowledges what it has
// handled (pg/operations/events.cpp). NOTIFY booking_events, with an empty
// payload, only wakes a listening consumer up: it carries nothing a tenant
// could read about another.
//
// While no consumer is registered for an organisation, its changes cost
// nothing: one lookup in this backend's copy of the consumer list, preloaded
// or not. The wake-up is sent only from transactions that recorded events,
// and (preloaded) only while some session of the database listens.
#pragma once

#include "core/observed_actions.hpp"
#include "pg/compat/pg_includes.hpp"

namespace booking::pg::events {

constexpr const char *kChannel = "booking_events";

// Records a state change for the organisation's consumers, if it has any;
// calendar_id is read from details (every state-changing audit row carries
// it). Runs inside a call's owner scope.
void announce(core::observed::Action action, const pg_uuid_t *org_id, const pg_uuid_t *id,
              Jsonb *details);

// Called from _PG_init: the transaction callback that sends the wake-up.
void register_callbacks();
// Called from _PG_init when preloading: counts listeners of the channel.
void install_listener_hook();

}  // namespace booking::pg::events
