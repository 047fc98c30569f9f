#include "pg/operations/new_reservation.hpp"

#include "pg/calendar/lock_or_refuse.hpp"
#include "pg/store/ids.hpp"

namespace booking::pg {

Jsonb *open_new_reservation(const CallContext *ctx, TextArg calendar_id, TimestampTz starts_at,
                            core::Micros duration, CalendarRules *rules, NewReservation *out) {
    core::TimeRange slot{starts_at, starts_at + duration};
    *rules = calendar_rules(ctx, calendar_id.str);
    if (Jsonb *refused = lock_or_refuse(ctx, calendar_id.str, *rules, slot, nullptr))
        return refused;
    out->id = new_id(ctx->now);
    out->calendar_id = calendar_id.str;
    out->slot = slot;
    out->buffer_before = rules->buffer_before;
    out->buffer_after = rules->buffer_after;
    out->capacity = rules->capacity;
    out->set_id = nullptr;
    out->series_id = nullptr;
    return nullptr;
}

}  // namespace booking::pg
