// Every SQL statement that reads or writes booking.waitlist, and an entry as
// the layer sees it. Each statement names one organisation ($1) and touches
// this one table, so on Citus it routes to the tenant's shard. Callers decide
// (core/waitlist.hpp, operations/waitlist.cpp); nothing here decides.
#pragma once

#include "core/time_range.hpp"
#include "core/waitlist.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

struct WaitlistEntry {
    pg_uuid_t id;  // a UUIDv7: the order of joining
    char *calendar_id;
    core::TimeRange window;  // [from_ts, until_ts)
    core::Micros duration;
    core::waitlist::Status status;
    char *patient_phone;  // may be null
    char *patient_name;   // may be null
    bool has_offer;       // hold_id and the offer's times are set
    pg_uuid_t hold_id;
    core::TimeRange offered;  // the offered hold's slot
    TimestampTz offer_expires_at;
};
BOOKING_PLAIN_DATA(WaitlistEntry);

struct NewWaitlistEntry {
    pg_uuid_t id;
    const char *calendar_id;
    core::TimeRange window;
    core::Micros duration;
    const char *patient_phone;  // each may be null
    const char *patient_name;
    const pg_uuid_t *contact_id;
    const char *caller_ref;
};
BOOKING_PLAIN_DATA(NewWaitlistEntry);

// False when the caller_ref has a live entry already (nothing written).
bool insert_waitlist_entry(const CallContext *ctx, const NewWaitlistEntry &entry);
// The caller_ref's live entry, if any; a waiting one whose window closed is
// stored as expired first, so it no longer holds the caller_ref.
bool find_live_by_caller_ref(const CallContext *ctx, const char *caller_ref, WaitlistEntry *out);
// One entry of the tenant; lock takes its row lock (FOR UPDATE).
bool find_waitlist_entry(const CallContext *ctx, const pg_uuid_t *id, bool lock,
                         WaitlistEntry *out);
// Live entries of the calendar that joined before id (waiting ones whose
// window is still open, and offered ones), plus one.
int waitlist_position(const CallContext *ctx, const char *calendar_id, const pg_uuid_t *id);

// Up to max waiting entries of the calendar and of the pools it is a member
// of, in the order they joined, whose window is open at now and overlaps
// range; a palloc'd array. With no one waiting this is a probe of
// pool_members' key and one of the index waitlist_waiting.
int waiting_overlapping(const CallContext *ctx, const char *calendar_id, core::TimeRange range,
                        int max, WaitlistEntry **out);
// Locks a waiting entry for an offer; false when it is no longer waiting or
// another transaction holds it (it is leaving): the offer goes to the next.
bool lock_waiting_entry(const CallContext *ctx, const pg_uuid_t *id);

// Status changes.
void mark_waitlist_offered(const CallContext *ctx, const pg_uuid_t *id, const pg_uuid_t *hold_id,
                           core::TimeRange slot, TimestampTz expires_at);
void mark_waitlist_entry(const CallContext *ctx, const pg_uuid_t *id,
                         core::waitlist::Status status);
// The entry offered hold_id, if any, leaves offered for status (booked or
// lapsed); true when there was one. One probe of the index waitlist_offers.
bool settle_waitlist_offer(const CallContext *ctx, const pg_uuid_t *hold_id,
                           core::waitlist::Status status);

}  // namespace booking::pg
