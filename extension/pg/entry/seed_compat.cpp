// The seed design's RPC names, with the seeds' argument order and result
// keys, as thin wrappers over the same operations: an application written
// against the seed switches by installing the extension.
#include "core/input_limits.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"
#include "pg/settings/settings.hpp"

using namespace booking;
using namespace booking::pg;

namespace {

// The seed booked into one conflict space per organisation.
constexpr const char *kSeedCalendar = "primary";
constexpr core::Micros kSeedHoldDuration = 30 * core::kMicrosPerMinute;

TextArg seed_calendar() {
    TextArg t;
    t.str = kSeedCalendar;
    t.len = static_cast<int>(strlen(kSeedCalendar));
    return t;
}

bool answer_succeeded(Jsonb *answer) {
    JsonbValue *v = getKeyJsonValueFromContainer(&answer->root, "success", 7, nullptr);
    return v != nullptr && v->type == jbvBool && v->val.boolean;
}

// Adds the seed's "message" to a successful answer (failures carry one).
Jsonb *with_message(Jsonb *answer, const char *message) {
    if (!answer_succeeded(answer))
        return answer;
    JsonbParseState *state = nullptr;
    pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr);
    JsonbValue k;
    k.type = jbvString;
    k.val.string.val = const_cast<char *>("message");
    k.val.string.len = 7;
    pushJsonbValue(&state, WJB_KEY, &k);
    JsonbValue v;
    v.type = jbvString;
    v.val.string.val = const_cast<char *>(message);
    v.val.string.len = static_cast<int>(strlen(message));
    pushJsonbValue(&state, WJB_VALUE, &v);
    Jsonb *extra = JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, nullptr));
    return DatumGetJsonbP(
        DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(answer), JsonbPGetDatum(extra)));
}

}  // namespace

BOOKING_SQL_FUNCTION(booking_claim_slot_atomic) {
    ClaimRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.calendar_id = text_arg(fcinfo, 1, "calendar_id", core::limits::kCalendarId);
    req.starts_at = timestamp_arg(fcinfo, 2, "slot_time");
    req.duration = kSeedHoldDuration;
    req.caller_ref = optional_text_arg(fcinfo, 3, "call_id", core::limits::kCallerRef);
    req.ttl = std::min(settings::hold_ttl(), settings::max_hold_ttl());
    req.ttl_given = false;
    req.with_calendars = nullptr;
    req.n_with = 0;
    PG_RETURN_JSONB_P(with_message(claim_slot(req), "Slot atomically reserved"));
}

BOOKING_SQL_FUNCTION(booking_confirm_held_slot) {
    ConfirmRequest req;
    req.hold_id = uuid_arg(fcinfo, 0, "hold_id");
    req.org_id = uuid_arg(fcinfo, 1, "org_id");
    req.contact_id = optional_uuid_arg(fcinfo, 2);
    req.service_type = optional_text_arg(fcinfo, 3, "service_type", core::limits::kServiceType);
    req.metadata = nullptr;
    PG_RETURN_JSONB_P(with_message(confirm_hold(req), "Hold confirmed as appointment"));
}

BOOKING_SQL_FUNCTION(booking_book_appointment_with_lock) {
    BookRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "p_org_id");
    req.contact_id = optional_uuid_arg(fcinfo, 1);
    req.starts_at = timestamp_arg(fcinfo, 2, "p_scheduled_at");
    // Argument 3, p_lock_key, is accepted and not needed: the calendar lock
    // covers every overlapping range, not one start time.
    int32 longest = static_cast<int32>(settings::max_duration() / core::kMicrosPerMinute);
    int32 minutes = int_arg(fcinfo, 4, "p_duration_minutes", 1, longest);
    req.duration = static_cast<core::Micros>(minutes) * core::kMicrosPerMinute;
    req.service_id = optional_uuid_arg(fcinfo, 5);
    req.notes = optional_text_arg(fcinfo, 6, "p_notes", core::limits::kNotes);
    req.metadata = optional_object_arg(fcinfo, 7, "p_metadata", core::limits::kMetadataBytes);
    req.calendar_id = seed_calendar();
    req.idempotency_key = TextArg{};
    req.with_calendars = nullptr;
    req.n_with = 0;
    PG_RETURN_JSONB_P(book(req));
}

BOOKING_SQL_FUNCTION(booking_cleanup_expired_holds) {
    PG_RETURN_INT32(expire_holds(core::limits::kMaxBatch));
}
