// Every SQL statement on booking.reservations, and the row as the layer sees
// it. Callers decide with the core and then call one of these; none of them
// decides anything itself.
#pragma once

#include "core/reservation_state.hpp"
#include "core/time_range.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/call/plain_data.hpp"
#include "pg/store/audit.hpp"

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
};
BOOKING_PLAIN_DATA(Reservation);

// What every new reservation has: an id, a calendar, its time, and the
// buffers its calendar keeps around it (operations/new_reservation.hpp).
struct NewReservation {
    pg_uuid_t id;
    const char *calendar_id;
    core::TimeRange slot;
    core::Micros buffer_before;
    core::Micros buffer_after;
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

// Inserts unless something stands in the way (an overlap, an active hold of
// the caller_ref, a used idempotency key); true when inserted, and then the
// audit row (entity: the new reservation) is written by the same statement.
bool insert_hold(const CallContext *ctx, const NewHold &hold, PendingAudit *audit);
bool insert_appointment(const CallContext *ctx, const NewAppointment &appt, PendingAudit *audit);

// Reads one reservation of the tenant; lock takes a row lock (FOR UPDATE).
bool find_reservation(const CallContext *ctx, const pg_uuid_t *id, bool lock, Reservation *out);
// The caller_ref's hold in held or requires_manual_followup, locked.
bool find_caller_hold(const CallContext *ctx, const char *caller_ref, Reservation *out);
bool find_by_idempotency_key(const CallContext *ctx, const char *key, Reservation *out);

// The reservations in a blocking state (TTLs not considered) whose blocking
// range overlaps range on the calendar, in time order; exclude may be null. Returns a palloc'd array.
Reservation *find_overlapping(const CallContext *ctx, const char *calendar_id,
                              core::TimeRange range, const pg_uuid_t *exclude, int *count);

// The blocking ranges of live reservations overlapping window, for searches.
// Returns a palloc'd array; exclude may be null.
core::TimeRange *load_busy(const CallContext *ctx, const char *calendar_id,
                           core::TimeRange window, const pg_uuid_t *exclude, int *count);

// Status changes; each returns whether the row changed.
bool mark_expired(const CallContext *ctx, const pg_uuid_t *id);  // only if still a stale hold
void mark_confirmed(const CallContext *ctx, const pg_uuid_t *id, const pg_uuid_t *contact_id,
                    const char *service_type, Jsonb *metadata);
void mark_released(const CallContext *ctx, const pg_uuid_t *id, const char *reason);
void mark_cancelled(const CallContext *ctx, const pg_uuid_t *id, const char *reason,
                    bool erase_pii);
void set_expires_at(const CallContext *ctx, const pg_uuid_t *id, TimestampTz expires_at);
// Moves a reservation, taking the calendar's current buffers with it; false
// when another reservation is now in the way.
bool move_reservation(const CallContext *ctx, const pg_uuid_t *id, TimestampTz starts_at,
                      TimestampTz ends_at, core::Micros buffer_before, core::Micros buffer_after);

struct LapsedHold {
    pg_uuid_t org_id;
    pg_uuid_t id;
    char *calendar_id;
    TimestampTz starts_at;
    TimestampTz ends_at;
};
BOOKING_PLAIN_DATA(LapsedHold);

// Expires up to batch_size lapsed holds across all tenants (or one, when
// org_id is given), skipping rows other transactions hold. Returns the count
// and a palloc'd array of what was expired.
int expire_lapsed_holds(const CallContext *ctx, const pg_uuid_t *org_id, int batch_size,
                        LapsedHold **expired);

}  // namespace booking::pg
