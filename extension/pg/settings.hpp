// The booking.* settings (GUCs). All are reloadable; values are read at the
// moment of each call, so SET, ALTER ROLE ... SET and a reload all take effect
// on the next call.
#pragma once

#include "pg_includes.hpp"

namespace booking::pg::settings {

extern int hold_ttl_s;
extern int max_hold_ttl_s;
extern int lock_wait_timeout_ms;
extern int slot_step_s;
extern int max_duration_s;
extern int alternatives_count;
extern int search_horizon_s;
extern int otp_max_attempts;
extern char *org_id;  // the tenant a non-owner caller acts in; "" when unset

void define_all();

}  // namespace booking::pg::settings
