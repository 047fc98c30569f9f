// The booking.* settings (GUCs). All are reloadable; values are read at the
// moment of each call, so SET, ALTER ROLE ... SET and a reload all take effect
// on the next call.
#pragma once

#include "pg_includes.hpp"

#include "core/time_range.hpp"

namespace booking::pg::settings {

extern int hold_ttl_s;
extern int max_hold_ttl_s;
extern int lock_wait_timeout_ms;
extern int slot_step_s;
extern int max_duration_s;
extern int alternatives_count;
extern int search_horizon_s;
extern int otp_max_attempts;
extern int otp_digits;
extern int otp_ttl_ms;
extern int otp_max_sends;
extern int otp_resend_interval_ms;
extern char *otp_key;  // superuser-only; "" means the per-database key
extern char *org_id;  // the tenant a non-owner caller acts in; "" when unset
extern char *database;           // where the expiry worker sweeps
extern int expiry_interval_ms;   // the worker's pause between passes
extern int expiry_batch_size;    // holds per worker transaction

void define_all();

// The duration settings in microseconds.
core::Micros hold_ttl();
core::Micros max_hold_ttl();
core::Micros max_duration();
core::Micros slot_step();
core::Micros search_horizon();
core::Micros otp_ttl();
core::Micros otp_resend_interval();

}  // namespace booking::pg::settings
