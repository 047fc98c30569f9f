// The booking.* settings (GUCs). All are reloadable; values are read at the
// moment of each call, so SET, ALTER ROLE ... SET and a reload all take effect
// on the next call.
//
// The limits that protect a promise (hold and duration caps, the search
// horizon, and every OTP limit) bind every role that acts in one
// organisation: such a role may tighten them, never loosen them past the
// server-wide value (postgresql.conf, ALTER SYSTEM or the default). The
// accessors below answer the value in force for the current role.
#pragma once

#include "core/time_range.hpp"
#include "pg/compat/pg_includes.hpp"

namespace booking::pg::settings {

enum class Limit {
    max_hold_ttl,
    max_duration,
    search_horizon,
    otp_digits,
    otp_ttl,
    otp_max_attempts,
    otp_max_sends,
    otp_resend_interval,
    max_series_count,
    otp_sends_per_phone_hour,
    count_
};

extern int hold_ttl_s;
extern int waitlist_offer_ttl_s;  // how long a waitlist offer's hold lasts
extern int lock_wait_timeout_ms;
extern int slot_step_s;
extern int alternatives_count;
extern char *otp_key;  // superuser-only; "" means the per-database key
extern char *org_id;  // the tenant a non-owner caller acts in; "" when unset
extern char *database;           // where the expiry worker sweeps
extern int expiry_interval_ms;   // the worker's pause between passes
extern int expiry_batch_size;    // holds per worker transaction
extern int expiry_batch_pause_percent;  // the worker's yield between batches, while others book
extern bool events_enabled;      // record state changes for event consumers
extern bool event_notify;        // NOTIFY booking_events when events were recorded
// Blocking reservations one contact may hold in the future per organisation;
// 0, the default, is no cap (an organisation may set one, set_org_policy).
extern int max_active_per_contact;

// Every booking.* setting, defined here and nowhere else, then the prefix
// reserved (a setting defined after that would lose its postgresql.conf
// value at startup).
void define_all();

// A limit as it binds the current role: its setting, tightened to the
// server-wide value unless the role is privileged (owner, superuser,
// BYPASSRLS); in the setting's own unit.
int limit(Limit which);
// The server-wide value of a limit.
int server_limit(Limit which);

// The duration settings in microseconds, as they bind the current role.
core::Micros hold_ttl();
core::Micros waitlist_offer_ttl();
core::Micros max_hold_ttl();
core::Micros max_duration();
core::Micros slot_step();
core::Micros search_horizon();
core::Micros otp_ttl();
core::Micros otp_resend_interval();
int otp_digits();
int otp_max_attempts();
int otp_max_sends();
int max_series_count();
int otp_sends_per_phone_hour();

}  // namespace booking::pg::settings
