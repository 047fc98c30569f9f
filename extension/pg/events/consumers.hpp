// Which organisations have event consumers: the per-backend copy of
// booking.event_consumers that lets a state change with nobody to hear it
// cost one hash lookup. The copy is dropped whenever a consumer is created
// or dropped (the trigger event_consumers_changed), so a new consumer is
// seen by every session at its next transaction.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// Whether some consumer wants this organisation's events (one of its own,
// or one of every organisation's). Reads the table on first use after a
// change, as the tables' owner.
bool events_wanted(const pg_uuid_t *org_id);

}  // namespace booking::pg
