#include "pg/store/waitlist.hpp"

#include "pg/kernel/datums.hpp"
#include "pg/kernel/statement.hpp"

namespace booking::pg {

namespace {

using core::waitlist::Status;

#define ENTRY_COLUMNS                                                                        \
    "id, calendar_id, from_ts, until_ts, duration, status, patient_phone, patient_name, "    \
    "hold_id, offer_starts_at, offer_ends_at, offer_expires_at"

Statement insert_entry = {
    "INSERT INTO booking.waitlist (org_id, id, calendar_id, from_ts, until_ts, duration, "
    "patient_phone, patient_name, contact_id, caller_ref, status, created_at, changed_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'waiting', $11, $11) "
    "ON CONFLICT DO NOTHING",
    11,
    {UUIDOID, UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INTERVALOID, TEXTOID, TEXTOID,
     UUIDOID, TEXTOID, TIMESTAMPTZOID},
    nullptr};

Statement expire_closed_of_caller = {
    "UPDATE booking.waitlist SET status = 'expired', changed_at = $3 "
    "WHERE org_id = $1 AND caller_ref = $2 AND status = 'waiting' AND until_ts <= $3",
    3,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID},
    nullptr};

Statement live_of_caller = {"SELECT " ENTRY_COLUMNS " FROM booking.waitlist "
                            "WHERE org_id = $1 AND caller_ref = $2 "
                            "AND status IN ('waiting', 'offered')",
                            2,
                            {UUIDOID, TEXTOID},
                            nullptr};

Statement find_entry = {"SELECT " ENTRY_COLUMNS " FROM booking.waitlist "
                        "WHERE org_id = $1 AND id = $2",
                        2,
                        {UUIDOID, UUIDOID},
                        nullptr};

Statement find_entry_locked = {"SELECT " ENTRY_COLUMNS " FROM booking.waitlist "
                               "WHERE org_id = $1 AND id = $2 FOR UPDATE",
                               2,
                               {UUIDOID, UUIDOID},
                               nullptr};

Statement position_of = {
    "SELECT count(*) FROM booking.waitlist WHERE org_id = $1 AND calendar_id = $2 "
    "AND status IN ('waiting', 'offered') AND id < $3 "
    "AND (status = 'offered' OR until_ts > $4)",
    4,
    {UUIDOID, TEXTOID, UUIDOID, TIMESTAMPTZOID},
    nullptr};

Statement waiting_for_range = {
    "SELECT " ENTRY_COLUMNS " FROM booking.waitlist "
    "WHERE org_id = $1 AND status = 'waiting' AND calendar_id = ANY (array_prepend($2, ARRAY("
    "SELECT pool_id FROM booking.pool_members WHERE org_id = $1 AND calendar_id = $2))) "
    "AND from_ts < $4 AND until_ts > $3 AND until_ts > $5 ORDER BY id LIMIT $6",
    6,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT4OID},
    nullptr};

Statement lock_waiting = {"SELECT 1 FROM booking.waitlist WHERE org_id = $1 AND id = $2 "
                          "AND status = 'waiting' FOR UPDATE SKIP LOCKED",
                          2,
                          {UUIDOID, UUIDOID},
                          nullptr};

Statement set_offered = {
    "UPDATE booking.waitlist SET status = 'offered', hold_id = $3, offer_starts_at = $4, "
    "offer_ends_at = $5, offer_expires_at = $6, changed_at = $7 "
    "WHERE org_id = $1 AND id = $2 AND status = 'waiting'",
    7,
    {UUIDOID, UUIDOID, UUIDOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID},
    nullptr};

Statement set_status = {"UPDATE booking.waitlist SET status = $3, changed_at = $4 "
                        "WHERE org_id = $1 AND id = $2",
                        4,
                        {UUIDOID, UUIDOID, TEXTOID, TIMESTAMPTZOID},
                        nullptr};

Statement settle_offer = {"UPDATE booking.waitlist SET status = $3, changed_at = $4 "
                          "WHERE org_id = $1 AND hold_id = $2 AND status = 'offered'",
                          4,
                          {UUIDOID, UUIDOID, TEXTOID, TIMESTAMPTZOID},
                          nullptr};

Datum org(const CallContext *ctx) { return uuid_datum(ctx->org_id); }

WaitlistEntry read_entry(uint64 row) {
    WaitlistEntry e;
    e.id = column_uuid(row, 1);
    e.calendar_id = column_text(row, 2);
    e.window = {column_timestamp(row, 3), column_timestamp(row, 4)};
    bool isnull;
    e.duration = DatumGetIntervalP(column(row, 5, &isnull))->time;
    char *status = column_text(row, 6);
    if (!core::waitlist::parse_status(status, &e.status))
        elog(ERROR, "booking.waitlist holds an unknown status \"%s\"", status);
    e.patient_phone = column_text(row, 7);
    e.patient_name = column_text(row, 8);
    e.has_offer = !column_is_null(row, 9);
    e.hold_id = e.has_offer ? column_uuid(row, 9) : pg_uuid_t{};
    e.offered = {column_timestamp(row, 10), column_timestamp(row, 11)};
    e.offer_expires_at = column_timestamp(row, 12);
    return e;
}

}  // namespace

bool insert_waitlist_entry(const CallContext *ctx, const NewWaitlistEntry &entry) {
    char nulls[12] = "           ";
    Datum values[11] = {org(ctx),
                        uuid_datum(&entry.id),
                        CStringGetTextDatum(entry.calendar_id),
                        TimestampTzGetDatum(entry.window.start),
                        TimestampTzGetDatum(entry.window.end),
                        interval_datum(entry.duration),
                        text_or_null(entry.patient_phone, &nulls[6]),
                        text_or_null(entry.patient_name, &nulls[7]),
                        entry.contact_id ? uuid_datum(entry.contact_id) : (Datum)0,
                        text_or_null(entry.caller_ref, &nulls[9]),
                        TimestampTzGetDatum(ctx->now)};
    if (entry.contact_id == nullptr)
        nulls[8] = 'n';
    return run(insert_entry, values, nulls) == 1;
}

bool find_live_by_caller_ref(const CallContext *ctx, const char *caller_ref, WaitlistEntry *out) {
    Datum closed[3] = {org(ctx), CStringGetTextDatum(caller_ref), TimestampTzGetDatum(ctx->now)};
    (void)run(expire_closed_of_caller, closed, nullptr);
    Datum values[2] = {org(ctx), CStringGetTextDatum(caller_ref)};
    if (run(live_of_caller, values, nullptr, 1) != 1)
        return false;
    *out = read_entry(0);
    return true;
}

bool find_waitlist_entry(const CallContext *ctx, const pg_uuid_t *id, bool lock,
                         WaitlistEntry *out) {
    Datum values[2] = {org(ctx), uuid_datum(id)};
    if (run(lock ? find_entry_locked : find_entry, values, nullptr, 1) != 1)
        return false;
    *out = read_entry(0);
    return true;
}

int waitlist_position(const CallContext *ctx, const char *calendar_id, const pg_uuid_t *id) {
    Datum values[4] = {org(ctx), CStringGetTextDatum(calendar_id), uuid_datum(id),
                       TimestampTzGetDatum(ctx->now)};
    (void)run(position_of, values, nullptr, 1);
    bool isnull;
    return static_cast<int>(DatumGetInt64(column(0, 1, &isnull))) + 1;
}

int waiting_overlapping(const CallContext *ctx, const char *calendar_id, core::TimeRange range,
                        int max, WaitlistEntry **out) {
    Datum values[6] = {org(ctx),
                       CStringGetTextDatum(calendar_id),
                       TimestampTzGetDatum(range.start),
                       TimestampTzGetDatum(range.end),
                       TimestampTzGetDatum(ctx->now),
                       Int32GetDatum(max)};
    int n = static_cast<int>(run(waiting_for_range, values, nullptr));
    if (n == 0)
        return 0;
    *out = static_cast<WaitlistEntry *>(palloc(sizeof(WaitlistEntry) * n));
    for (int i = 0; i < n; ++i)
        (*out)[i] = read_entry(static_cast<uint64>(i));
    return n;
}

bool lock_waiting_entry(const CallContext *ctx, const pg_uuid_t *id) {
    Datum values[2] = {org(ctx), uuid_datum(id)};
    return run(lock_waiting, values, nullptr, 1) == 1;
}

void mark_waitlist_offered(const CallContext *ctx, const pg_uuid_t *id, const pg_uuid_t *hold_id,
                           core::TimeRange slot, TimestampTz expires_at) {
    Datum values[7] = {org(ctx),
                       uuid_datum(id),
                       uuid_datum(hold_id),
                       TimestampTzGetDatum(slot.start),
                       TimestampTzGetDatum(slot.end),
                       TimestampTzGetDatum(expires_at),
                       TimestampTzGetDatum(ctx->now)};
    (void)run(set_offered, values, nullptr);
}

void mark_waitlist_entry(const CallContext *ctx, const pg_uuid_t *id, Status status) {
    Datum values[4] = {org(ctx), uuid_datum(id),
                       CStringGetTextDatum(core::waitlist::status_name(status)),
                       TimestampTzGetDatum(ctx->now)};
    (void)run(set_status, values, nullptr);
}

bool settle_waitlist_offer(const CallContext *ctx, const pg_uuid_t *hold_id, Status status) {
    Datum values[4] = {org(ctx), uuid_datum(hold_id),
                       CStringGetTextDatum(core::waitlist::status_name(status)),
                       TimestampTzGetDatum(ctx->now)};
    return run(settle_offer, values, nullptr) > 0;
}

}  // namespace booking::pg
