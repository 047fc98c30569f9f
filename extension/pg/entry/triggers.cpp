// SQL entry points of the extension's triggers: the overlap guard on
// booking.reservations, the statement trigger that keeps backends' copies of
// small tables in step, and the refusal of writes to the read views.
#include "pg/kernel/guard.hpp"
#include "pg/store/calendar_lock.hpp"
#include "pg/store/overlap_guard.hpp"

using namespace booking::pg;

namespace {

// The trigger's data; 39P01 when the function was called any other way.
TriggerData *trigger_data(FunctionCallInfo fcinfo) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("%s() must be called as a trigger",
                               get_func_name(fcinfo->flinfo->fn_oid))));
    return reinterpret_cast<TriggerData *>(fcinfo->context);
}

}  // namespace

// BEFORE INSERT OR UPDATE ... FOR EACH ROW on booking.reservations
// (store/overlap_guard.hpp says what it keeps).
BOOKING_SQL_FUNCTION(booking_guard_overlap) {
    TriggerData *trigger = trigger_data(fcinfo);
    if (!TRIGGER_FIRED_BEFORE(trigger->tg_event) || !TRIGGER_FIRED_FOR_ROW(trigger->tg_event) ||
        TRIGGER_FIRED_BY_DELETE(trigger->tg_event))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("guard_overlap() must run BEFORE INSERT OR UPDATE FOR EACH ROW")));
    return guard_reservation_row(trigger);
}

// AFTER INSERT OR UPDATE ... FOR EACH STATEMENT on booking.reservations: the
// statement's rows are in, so the calendar lock the guard held for its last
// row alone, past the transaction's budget, goes (store/calendar_lock.hpp).
BOOKING_SQL_FUNCTION(booking_guard_overlap_end) {
    TriggerData *trigger = trigger_data(fcinfo);
    if (!TRIGGER_FIRED_AFTER(trigger->tg_event) || !TRIGGER_FIRED_FOR_STATEMENT(trigger->tg_event))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("guard_overlap_end() must run AFTER ... FOR EACH STATEMENT")));
    statement_rows_written();
    return PointerGetDatum(nullptr);
}

// Statement-level trigger on a table some backends keep a copy of
// (booking.calendars: calendar rules; booking.otp_secret: the code key;
// role bindings, event consumers): every backend drops its copy when the
// change commits, and this backend at once (and again if the change rolls
// back).
BOOKING_SQL_FUNCTION(booking_cached_table_changed) {
    CacheInvalidateRelcache(trigger_data(fcinfo)->tg_relation);
    return PointerGetDatum(nullptr);
}

// INSTEAD OF trigger on the read views: a role without the privilege never
// gets here (PostgreSQL checks it first, 42501); anyone else is told where
// changes go.
BOOKING_SQL_FUNCTION(booking_refuse_view_write) {
    TriggerData *trigger = trigger_data(fcinfo);
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("booking.%s is read-only", RelationGetRelationName(trigger->tg_relation)),
                    errhint("Change reservations through the booking functions (claim_slot, "
                            "book, confirm_hold, cancel_appointment, ...).")));
    pg_unreachable();
}
