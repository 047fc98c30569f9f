// The operations behind the SQL functions, each taking arguments already read
// and checked. The SQL entry points (pg/entry) and the seed-compatible
// wrappers share them, so a seed RPC behaves exactly as its modern twin.
#pragma once

#include "core/pool_choice.hpp"
#include "pg/call/args.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/compat/pg_includes.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/policy/org_policy.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

struct ClaimRequest {
    const pg_uuid_t *org_id;
    TextArg calendar_id;
    TimestampTz starts_at;
    core::Micros duration;
    TextArg caller_ref;
    TextArg patient_phone;
    TextArg patient_name;
    core::Micros ttl;
    bool ttl_given;  // false: the organisation's hold_ttl, within its max_hold_ttl
    const TextArg *with_calendars;  // the set's other calendars
    int n_with;                     // 0: one calendar
};
BOOKING_PLAIN_DATA(ClaimRequest);
Jsonb *claim_slot(const ClaimRequest &req);

struct BookRequest {
    const pg_uuid_t *org_id;
    TextArg calendar_id;
    TimestampTz starts_at;
    core::Micros duration;
    const pg_uuid_t *contact_id;
    const pg_uuid_t *service_id;
    TextArg notes;
    Jsonb *metadata;
    TextArg idempotency_key;
    const TextArg *with_calendars;  // the set's other calendars
    int n_with;                     // 0: one calendar
};
BOOKING_PLAIN_DATA(BookRequest);
Jsonb *book(const BookRequest &req);

struct SeriesRequest {
    const pg_uuid_t *org_id;
    TextArg calendar_id;
    TimestampTz first_starts_at;
    core::Micros duration;
    int32 every_months;  // every, as PostgreSQL keeps an interval
    int32 every_days;
    int64 every_micros;
    int count;
    const pg_uuid_t *contact_id;
    const pg_uuid_t *service_id;
    TextArg notes;
    Jsonb *metadata;
    const TextArg *with_calendars;
    int n_with;
    TextArg idempotency_key;
};
BOOKING_PLAIN_DATA(SeriesRequest);
Jsonb *book_series(const SeriesRequest &req);
// from_starts_at 0 with has_from false: from now.
Jsonb *cancel_series(const pg_uuid_t *org_id, const pg_uuid_t *series_id, bool has_from,
                     TimestampTz from_starts_at, TextArg reason);

struct ConfirmRequest {
    const pg_uuid_t *org_id;
    const pg_uuid_t *hold_id;
    const pg_uuid_t *contact_id;
    TextArg service_type;
    Jsonb *metadata;
};
BOOKING_PLAIN_DATA(ConfirmRequest);
Jsonb *confirm_hold(const ConfirmRequest &req);

Jsonb *extend_hold(const pg_uuid_t *org_id, const pg_uuid_t *hold_id, core::Micros ttl);
Jsonb *release_hold(const pg_uuid_t *org_id, const pg_uuid_t *hold_id, TextArg reason);
Jsonb *hold_status(const pg_uuid_t *org_id, const pg_uuid_t *hold_id);

Jsonb *issue_otp(const pg_uuid_t *org_id, const pg_uuid_t *hold_id);
// code: as issue_otp answered it (core::otp::is_issued_form).
Jsonb *withdraw_otp(const pg_uuid_t *org_id, const pg_uuid_t *hold_id, const char *code);

struct VerifyRequest {
    const pg_uuid_t *org_id;
    const pg_uuid_t *hold_id;
    TextArg code;
    const pg_uuid_t *contact_id;
    TextArg service_type;
};
BOOKING_PLAIN_DATA(VerifyRequest);
Jsonb *verify_otp(const VerifyRequest &req);

Jsonb *cancel_appointment(const pg_uuid_t *org_id, const pg_uuid_t *appointment_id,
                          TextArg reason, bool erase_pii, bool force);

struct RescheduleRequest {
    const pg_uuid_t *org_id;
    const pg_uuid_t *appointment_id;
    TimestampTz new_starts_at;
    core::Micros new_duration;  // 0: keep the current duration
    bool force;                 // a person's decision: past the change notice too
};
BOOKING_PLAIN_DATA(RescheduleRequest);
Jsonb *reschedule_appointment(const RescheduleRequest &req);

Jsonb *check_availability(const pg_uuid_t *org_id, TextArg calendar_id, TimestampTz starts_at,
                          core::Micros duration);

struct FreeSlotsRequest {
    const pg_uuid_t *org_id;
    TextArg calendar_id;
    TimestampTz from_ts;
    TimestampTz until_ts;
    core::Micros duration;
    int max_results;
};
BOOKING_PLAIN_DATA(FreeSlotsRequest);
// Writes the free slots, in time order, to a palloc'd array, and the places
// each has left to another; returns how many.
int free_slots(const FreeSlotsRequest &req, core::TimeRange **out, int **places);

int expire_holds(int batch_size);

struct CalendarSettings {
    const pg_uuid_t *org_id;
    TextArg calendar_id;
    const char *time_zone;
    bool has_step;
    core::Micros step;
    core::Micros buffer_before;
    core::Micros buffer_after;
    core::Micros min_notice;
    Jsonb *working_hours;  // null: open at all hours
    int capacity;          // reservations it accepts at one instant
    bool has_max_advance;  // false: no booking horizon
    core::Micros max_advance;
    bool has_change_notice;  // false: no change notice
    core::Micros change_notice;
    int max_per_day;   // 0: no limit per local day
    int max_per_week;  // 0: no limit per ISO week
};
BOOKING_PLAIN_DATA(CalendarSettings);
Jsonb *set_calendar(const CalendarSettings &req);

// set_pool's arguments (operations/pools.cpp), checked for shape by the
// entry: 2 to core::kMaxPoolMembers calendars, a known strategy, weights an
// object or null.
struct PoolSettings {
    const pg_uuid_t *org_id;
    TextArg pool_id;
    const TextArg *calendars;
    int n;
    core::PoolStrategy strategy;
    Jsonb *weights;  // null: none
};
BOOKING_PLAIN_DATA(PoolSettings);
Jsonb *set_pool(const PoolSettings &req);

// import_appointments(source) (operations/import.cpp).
Jsonb *import_appointments(const char *source);
Jsonb *drop_pool(const pg_uuid_t *org_id, TextArg pool_id);

struct OutsideHoursRequest {
    const pg_uuid_t *org_id;
    TextArg calendar_id;
    TimestampTz from_ts;
    TimestampTz until_ts;
};
BOOKING_PLAIN_DATA(OutsideHoursRequest);
// The live reservations starting in the window that lie outside the
// calendar's working hours; a palloc'd array, in time order.
int appointments_outside_hours(const OutsideHoursRequest &req, LiveReservation **out);

struct JoinWaitlistRequest {
    const pg_uuid_t *org_id;
    TextArg calendar_id;
    TimestampTz from_ts;
    TimestampTz until_ts;
    core::Micros duration;
    TextArg patient_phone;
    TextArg patient_name;
    const pg_uuid_t *contact_id;
    TextArg caller_ref;
};
BOOKING_PLAIN_DATA(JoinWaitlistRequest);
// The waitlist (operations/waitlist.hpp says when offers are made).
Jsonb *join_waitlist(const JoinWaitlistRequest &req);
Jsonb *leave_waitlist(const pg_uuid_t *org_id, const pg_uuid_t *waitlist_id);
Jsonb *waitlist_status(const pg_uuid_t *org_id, const pg_uuid_t *waitlist_id);

// Event consumers (org_id null: of every organisation, the owner's).
Jsonb *create_event_consumer(const pg_uuid_t *org_id, TextArg consumer);
Jsonb *drop_event_consumer(const pg_uuid_t *org_id, TextArg consumer);
Jsonb *read_events(const pg_uuid_t *org_id, TextArg consumer, int max_events);
Jsonb *ack_events(const pg_uuid_t *org_id, TextArg consumer, int64 up_to);
// The outbox's chores, inside a call: queued events get their positions
// (of one organisation, or of all when org_id is null; wait: for the
// position lock, up to booking.lock_wait_timeout; else only
// if no other transaction holds it), and up to limit events every consumer
// has handled are deleted. Each returns how many rows it moved.
int position_queued_events(const CallContext *ctx, const pg_uuid_t *org_id, bool wait);
int delete_handled_events(const CallContext *ctx, int limit);

// Grants role (quoted) the profile of that name, or revokes every profile;
// answers the statements run, as text[].
ArrayType *grant_access(const char *role, const char *profile);
ArrayType *revoke_access(const char *role);
// Runs one GRANT statement as the caller, as a grant of the database even
// inside an extension script (the upgrade scripts give back replaced
// functions' grants with it).
void grant_as_database(const char *statement);

// Binds a role to one organisation (the owner's call), or unbinds it.
Jsonb *bind_role(Oid role, const pg_uuid_t *org_id);
Jsonb *unbind_role(Oid role);

// An organisation's own limits (policy/org_policy.hpp): given as
// set_org_policy's arguments; both answer the effective values.
Jsonb *set_org_policy(const pg_uuid_t *org_id, const PolicyValues &given);
Jsonb *org_policy(const pg_uuid_t *org_id);

}  // namespace booking::pg
