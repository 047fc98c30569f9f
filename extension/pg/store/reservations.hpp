// Every SQL statement that reads or writes booking.reservations, and the row
// as the layer sees it: reads in reservations_read.cpp, writes in
// reservations_write.cpp, and the verification's writes, which change the
// code of store/otp_codes.hpp and the audit log in the same statement, in
// reservations_otp.cpp. (Some reads go to an index directly, not through
// SQL, on one node (store/reservations_index.hpp): the overlap guard's
// probe, the contact cap's count, and count_starts_in / find_starts_in.)
// Callers decide with the core and then call one of these; none of them
// decides anything itself.
#pragma once

#include "core/capacity.hpp"
#include "core/otp.hpp"
#include "core/reservation_state.hpp"
#include "core/time_range.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/otp_codes.hpp"

namespace booking::pg {

struct Reservation {
    pg_uuid_t id;
    char *calendar_id;
    TimestampTz starts_at;
    TimestampTz ends_at;
    core::Status status;
    TimestampTz expires_at;  // 0 when not a hold
    bool has_expires_at;
    TimestampTz otp_sent_at;
    bool has_otp_sent_at;
    int32 otp_sends;
    int32 otp_attempts;
    TimestampTz verified_at;
    bool has_verified_at;
    TimestampTz created_at;
    char *idempotency_key;
    char *patient_phone;
    int32 capacity;          // the places its calendar had when it was written
    core::TimeRange blocks;  // its blocking range; set by find_overlapping only
    bool has_set;            // one calendar of a booking of several
    pg_uuid_t set_id;        // when has_set
    bool has_series;         // an occurrence of a recurring series
    pg_uuid_t series_id;     // when has_series
};
BOOKING_PLAIN_DATA(Reservation);

// What every new reservation has: an id, a calendar, its time, and the
// buffers and capacity its calendar keeps (operations/new_reservation.hpp).
struct NewReservation {
    pg_uuid_t id;
    const char *calendar_id;
    core::TimeRange slot;
    core::Micros buffer_before;
    core::Micros buffer_after;
    int capacity;
    const pg_uuid_t *set_id;     // null for a booking of one calendar
    const pg_uuid_t *series_id;  // null outside a recurring series
};
BOOKING_PLAIN_DATA(NewReservation);

struct NewHold {
    NewReservation r;
    TimestampTz expires_at;
    const char *caller_ref;     // may be null
    const char *patient_phone;  // may be null
    const char *patient_name;   // may be null
};
BOOKING_PLAIN_DATA(NewHold);

struct NewAppointment {
    NewReservation r;
    const pg_uuid_t *contact_id;   // may be null
    const pg_uuid_t *service_id;   // may be null
    const char *notes;             // may be null
    Jsonb *metadata;               // may be null
    const char *idempotency_key;   // may be null
};
BOOKING_PLAIN_DATA(NewAppointment);

// The audit details of a change of r: its calendar, range, set and series.
Jsonb *reservation_details(const Reservation &r);

// Inserts unless something stands in the way (an overlap, an active hold of
// the caller_ref, a used idempotency key); true when inserted, and then the
// audit row (entity: the new reservation) is written by the same statement.
bool insert_hold(const CallContext *ctx, const NewHold &hold, PendingAudit *audit);
bool insert_appointment(const CallContext *ctx, const NewAppointment &appt, PendingAudit *audit);
// The same, without counting and announcing the audit row (audited()), for a
// set written in a subtransaction that may yet be rolled back.
bool insert_hold_row(const CallContext *ctx, const NewHold &hold, PendingAudit *audit);
bool insert_appointment_row(const CallContext *ctx, const NewAppointment &appt,
                            PendingAudit *audit);

// Reads one reservation of the tenant; lock takes a row lock (FOR UPDATE).
bool find_reservation(const CallContext *ctx, const pg_uuid_t *id, bool lock, Reservation *out);
// The caller_ref's hold in held or requires_manual_followup, locked.
bool find_caller_hold(const CallContext *ctx, const char *caller_ref, Reservation *out);
bool find_by_idempotency_key(const CallContext *ctx, const char *key, Reservation *out);

// The reservations in a blocking state (TTLs not considered) whose blocking
// range overlaps range on the calendar, in order of the end of their
// blocking range (blocks is set); exclude may be null. Returns a palloc'd
// array.
Reservation *find_overlapping(const CallContext *ctx, const char *calendar_id,
                              core::TimeRange range, const pg_uuid_t *exclude, int *count);

// The blocking ranges of live reservations overlapping window, with their
// capacities, for searches. Returns a palloc'd array; exclude may be null.
core::Occupant *load_busy(const CallContext *ctx, const char *calendar_id,
                          core::TimeRange window, const pg_uuid_t *exclude, int *count);

struct LiveReservation {
    pg_uuid_t id;
    TimestampTz starts_at;
    TimestampTz ends_at;
    char *status;
};
BOOKING_PLAIN_DATA(LiveReservation);

// A calendar's limits per day and week (calendar/limits.hpp) count these:
// its blocking reservations, lapsed holds left out, whose start lies in
// window, exclude (may be null) not counted. count_starts_in answers how
// many; find_starts_in their starts, ascending, in a palloc'd array.
int64 count_starts_in(const CallContext *ctx, const char *calendar_id, core::TimeRange window,
                      const pg_uuid_t *exclude);
core::Micros *find_starts_in(const CallContext *ctx, const char *calendar_id,
                             core::TimeRange window, const pg_uuid_t *exclude, int *count);

// At least count_starts_in(window) with no exclusion, cheaply: read from the
// blocking index's entries, fetching only the rows that end after the
// window. -1 where there is no such bound here (the tables distributed, the
// index missing): count instead.
int64 bound_starts_in(const CallContext *ctx, const char *calendar_id, core::TimeRange window);

// The live reservations (in a blocking state, TTLs not considered) of the
// calendar starting in window, in time order, in an array of the caller's
// memory; returns how many.
int find_live_starting_in(const CallContext *ctx, const char *calendar_id,
                          core::TimeRange window, LiveReservation **out);

// Records that the reservations belong to their sets and series
// (booking.reservation_links): pair i links reservation_ids[i] to link_ids[i]
// (a set_id or a series_id). Every row of a set or series is linked when it
// is written, in the same transaction; nothing else is.
void link_reservations(const CallContext *ctx, const pg_uuid_t *link_ids,
                       const pg_uuid_t *reservation_ids, int n);

// The reservations of a set, its first (set_id = id) first, then by
// calendar; in a palloc'd array. Returns how many.
int find_set(const CallContext *ctx, const pg_uuid_t *set_id, Reservation **out);

// The reservations of a series in time order (each occurrence's first row
// before its other calendars'); in a palloc'd array. Returns how many.
int find_series(const CallContext *ctx, const pg_uuid_t *series_id, Reservation **out);

// Cancels every confirmed reservation of the series starting at or after
// from, with reason, each with its "cancelled" audit row; returns how many
// occurrences were cancelled, their first rows in time order in *out.
// *known says whether the series has any row at all in the tenant.
int cancel_series_from(const CallContext *ctx, const pg_uuid_t *series_id, TimestampTz from,
                       const char *reason, Reservation **out, bool *known);

// What happened to one row of a set, to do to the others.
enum class SetChange {
    confirm,   // confirm_hold (contact_id, service_type)
    verify,    // a matching code (contact_id, service_type; verified_at)
    release,   // release_hold, a moved claim (reason)
    extend,    // extend_hold (expires_at)
    lock,      // the last wrong code: requires_manual_followup
    expire,    // a lapsed hold met in the way
    cancel,    // cancel_appointment (reason)
    erase,     // cancel_appointment with erase_pii (also of a cancelled set)
};
struct SetChangeArgs {
    const pg_uuid_t *contact_id = nullptr;
    const char *service_type = nullptr;
    const char *reason = nullptr;
    TimestampTz expires_at = 0;
};
BOOKING_PLAIN_DATA(SetChangeArgs);
// Applies change to the other rows of r's set (none when r has no set),
// each with its audit row of action (details: its calendar, range and set);
// returns how many changed.
int follow_set(const CallContext *ctx, const Reservation &r, SetChange change,
               const SetChangeArgs &args, Action action);

// Status changes; each returns whether the row changed.
bool mark_expired(const CallContext *ctx, const pg_uuid_t *id);  // only if still a stale hold
void mark_confirmed(const CallContext *ctx, const pg_uuid_t *id, const pg_uuid_t *contact_id,
                    const char *service_type, Jsonb *metadata);
void mark_released(const CallContext *ctx, const pg_uuid_t *id, const char *reason);
void mark_cancelled(const CallContext *ctx, const pg_uuid_t *id, const char *reason,
                    bool erase_pii);
void set_expires_at(const CallContext *ctx, const pg_uuid_t *id, TimestampTz expires_at);
// Moves a reservation, taking the calendar's current buffers and capacity
// with it; false when another reservation is now in the way.
bool move_reservation(const CallContext *ctx, const pg_uuid_t *id, TimestampTz starts_at,
                      TimestampTz ends_at, core::Micros buffer_before, core::Micros buffer_after,
                      int capacity);
// After a calendar's capacity was raised: its live reservations (blocking
// ranges ending after now) with fewer places get the new capacity, so new
// reservations may join them. Returns how many changed.
int raise_capacity(const CallContext *ctx, const char *calendar_id, int capacity);

struct LapsedHold {
    pg_uuid_t org_id;
    pg_uuid_t id;
    char *calendar_id;
    TimestampTz starts_at;
    TimestampTz ends_at;
    bool has_set;
    pg_uuid_t set_id;
    bool has_series;
    pg_uuid_t series_id;
};
BOOKING_PLAIN_DATA(LapsedHold);

// Expires up to batch_size lapsed holds across all tenants (or one, when
// org_id is given), skipping rows other transactions hold. Returns the count
// and a palloc'd array of what was expired.
int expire_lapsed_holds(const CallContext *ctx, const pg_uuid_t *org_id, int batch_size,
                        LapsedHold **expired);

// A hold's verification.
// A code was sent: stores it, replacing any earlier one, counts the send on
// the hold and writes the audit row, in one statement.
void record_code_sent(const CallContext *ctx, const pg_uuid_t *hold_id, const StoredCode &code,
                      PendingAudit *sent);
// A code whose SMS could not be sent is taken back: deletes it, puts the
// hold's sends as after says (the core's give_back_send) and writes the
// audit row, in one statement. Needs release 0.3's schema.
void record_code_withdrawn(const CallContext *ctx, const pg_uuid_t *hold_id,
                           const core::otp::SendCount &after, PendingAudit *withdrawn);
// Writes the miss count; lock moves the hold to requires_manual_followup.
void record_otp_misses(const CallContext *ctx, const pg_uuid_t *hold_id, int misses, bool lock);
// Misses so far: the row's count, or the shared ledger's when a rolled-back
// transaction hid misses from the row (shared/shared_state.hpp).
int misses_so_far(const CallContext *ctx, const Reservation &r);
// A matching code: the hold becomes the appointment, with verified_at; the
// code is deleted; the attempt's and the confirmation's audit rows (of one
// actor) are written; in one statement.
void record_code_match(const CallContext *ctx, const pg_uuid_t *hold_id,
                       const pg_uuid_t *contact_id, const char *service_type,
                       PendingAudit *attempt, PendingAudit *confirmed);

}  // namespace booking::pg
