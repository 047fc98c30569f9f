// A hold whose TTL has passed stops blocking at that instant; whoever meets
// it first (a claim in its way, a confirm that came too late, the sweeper)
// moves its row to expired and writes the audit row.
#pragma once

#include "pg/kernel/plain_data.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

// Expires r if it is still a stale hold; true when this call expired it.
bool expire_if_stale(const CallContext *ctx, const Reservation &r);

struct ConflictScan {
    int live;                // reservations that really block the range
    Reservation first_live;  // the earliest of them, when live > 0
    bool full;               // no place is left for a new reservation of the range
    int places_left;         // how many are (core::places_left)
};
BOOKING_PLAIN_DATA(ConflictScan);

// Under the calendar lock: reads what overlaps range, expires the stale holds
// among it, and reports what still blocks, and whether a new reservation of
// `capacity` places still fits (at capacity 1: whether anything blocks).
ConflictScan clear_stale_conflicts(const CallContext *ctx, const char *calendar_id,
                                   core::TimeRange range, const pg_uuid_t *exclude, int capacity);
// The same, counting also reservations not yet written (a series' earlier
// occurrences): the ones of also that meet range take their places too.
ConflictScan clear_stale_conflicts(const CallContext *ctx, const char *calendar_id,
                                   core::TimeRange range, const pg_uuid_t *exclude, int capacity,
                                   const core::Occupant *also, int nalso);

}  // namespace booking::pg
