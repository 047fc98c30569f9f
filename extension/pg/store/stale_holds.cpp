#include "pg/store/stale_holds.hpp"

#include "pg/store/audit.hpp"
#include "pg/store/waitlist.hpp"

namespace booking::pg {

bool expire_if_stale(const CallContext *ctx, const Reservation &r) {
    if (!core::is_stale_hold(r.status, r.expires_at, ctx->now))
        return false;
    if (!mark_expired(ctx, &r.id))
        return false;
    write_audit(ctx, ctx->org_id, Action::expired, &r.id, reservation_details(r));
    // The other calendars of its set lapsed at the same instant.
    (void)follow_set(ctx, r, SetChange::expire, SetChangeArgs{}, Action::expired);
    // A waitlist offer not taken lapses (its time is passed on by the caller
    // that frees it: operations/waitlist.hpp).
    (void)settle_waitlist_offer(ctx, &r.id, core::waitlist::Status::lapsed);
    return true;
}

ConflictScan clear_stale_conflicts(const CallContext *ctx, const char *calendar_id,
                                   core::TimeRange range, const pg_uuid_t *exclude, int capacity) {
    return clear_stale_conflicts(ctx, calendar_id, range, exclude, capacity, nullptr, 0);
}

ConflictScan clear_stale_conflicts(const CallContext *ctx, const char *calendar_id,
                                   core::TimeRange range, const pg_uuid_t *exclude, int capacity,
                                   const core::Occupant *also, int nalso) {
    int n = 0;
    Reservation *found = find_overlapping(ctx, calendar_id, range, exclude, &n);
    core::Occupant *live =
        static_cast<core::Occupant *>(palloc(sizeof(core::Occupant) * (n + nalso + 1)));
    ConflictScan scan;
    scan.live = 0;
    for (int i = 0; i < n; ++i) {
        if (core::is_stale_hold(found[i].status, found[i].expires_at, ctx->now)) {
            expire_if_stale(ctx, found[i]);
        } else {
            if (scan.live == 0)
                scan.first_live = found[i];
            live[scan.live].blocks = found[i].blocks;
            live[scan.live].capacity = found[i].capacity;
            ++scan.live;
        }
    }
    int counted = scan.live;
    for (int i = 0; i < nalso; ++i) {
        if (also[i].blocks.overlaps(range))
            live[counted++] = also[i];
    }
    // At capacity 1 whatever still blocks fills the range.
    if (counted == 0)
        scan.places_left = capacity;
    else if (capacity == 1)
        scan.places_left = 0;
    else
        scan.places_left =
            core::places_left({live, static_cast<std::size_t>(counted)}, range, capacity);
    scan.full = scan.places_left < 1;
    pfree(live);
    return scan;
}

}  // namespace booking::pg
