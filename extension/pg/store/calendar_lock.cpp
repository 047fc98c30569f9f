#include "pg/store/calendar_lock.hpp"

#include "core/lock_keys.hpp"
#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/lock_budget.hpp"
#include "pg/kernel/subtransaction.hpp"
#include "pg/settings/settings.hpp"
#include "pg/shared/stats.hpp"

namespace booking::pg {

namespace {

void calendar_locktag(LOCKTAG *tag, const pg_uuid_t *org_id, const char *calendar_id, int len) {
    std::uint64_t key = core::calendar_lock_key(
        org_id->data, std::string_view(calendar_id, static_cast<std::size_t>(len)));
    SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, static_cast<uint32>(key >> 32),
                         static_cast<uint32>(key), kCalendarLockTagField4);
}

// Waits in the lock manager's queue (fair, no polling) with the lock timeout
// set to our bound. A timeout is an ERROR, so the wait runs in an internal
// subtransaction that absorbs it as "false"; the lock, once granted, passes
// to the parent transaction when the subtransaction is kept. Any other error
// (a deadlock, a cancel) propagates.
bool wait_for_lock(const LOCKTAG *tag) {
    int saved_lock_timeout = LockTimeout;
    return in_subtransaction(
        ERRCODE_LOCK_NOT_AVAILABLE,
        [&] {
            LockTimeout = settings::lock_wait_timeout_ms;
            (void)LockAcquire(tag, ExclusiveLock, false, false);
            return true;
        },
        [&] { LockTimeout = saved_lock_timeout; });
}

// A function's acquisition: the uncontended case costs one lock-table probe
// and no subtransaction; else the bounded wait, measured for booking.stats(),
// granted or not (a wait that ends in an error is not recorded).
bool acquire_bounded(const LOCKTAG *tag) {
    if (LockAcquire(tag, ExclusiveLock, false, true) != LOCKACQUIRE_NOT_AVAIL) {
        stats::record_lock_wait(0, false);
        return true;
    }
    instr_time started;
    INSTR_TIME_SET_CURRENT(started);
    bool acquired = wait_for_lock(tag);
    instr_time waited;
    INSTR_TIME_SET_CURRENT(waited);
    INSTR_TIME_SUBTRACT(waited, started);
    stats::record_lock_wait(static_cast<int64>(INSTR_TIME_GET_MICROSEC(waited)), true);
    return acquired;
}

}  // namespace

CalendarHold lock_calendar_for_row(const pg_uuid_t *org_id, const char *calendar_id,
                                   int calendar_len) {
    LOCKTAG tag;
    calendar_locktag(&tag, org_id, calendar_id, calendar_len);
    if (lock_budget::held_for_less(&tag) || compat::lock_held_by_me(&tag, ExclusiveLock))
        return CalendarHold::held_before;
    if (!lock_budget::room_to_keep()) {
        // The previous row's lock goes: that row is in the index by now (a
        // row's BEFORE trigger fires after the row before it is written,
        // COPY's included: a trigger like this one keeps COPY from batching).
        lock_budget::take_for_row(&tag);
        return CalendarHold::for_row;
    }
    (void)LockAcquire(&tag, ExclusiveLock, false, false);
    lock_budget::kept_one();
    return CalendarHold::to_commit;
}

void let_go_for_row(const pg_uuid_t *org_id, const char *calendar_id, int calendar_len,
                    CalendarHold how) {
    if (how == CalendarHold::to_commit) {
        LOCKTAG tag;
        calendar_locktag(&tag, org_id, calendar_id, calendar_len);
        lock_budget::let_go_of_kept(&tag);
    } else if (how == CalendarHold::for_row) {
        lock_budget::let_go_of_row();
    }
}

void statement_rows_written() { lock_budget::let_go_of_row(); }

bool lock_calendar(const pg_uuid_t *org_id, const char *calendar_id, int calendar_len) {
    LOCKTAG tag;
    calendar_locktag(&tag, org_id, calendar_id, calendar_len);
    if (lock_budget::held_for_less(&tag)) {
        // A direct write's row lock, held until the statement ends: the call's now.
        lock_budget::adopt_for_call(&tag);
        return true;
    }
    if (compat::lock_held_by_me(&tag, ExclusiveLock))
        return true;
    if (!lock_budget::room_to_keep() && lock_budget::call_has_room())
        return lock_budget::take_for_call(&tag, acquire_bounded);
    if (!acquire_bounded(&tag))
        return false;
    lock_budget::kept_one();
    return true;
}

bool lock_event_positions(bool wait) {
    LOCKTAG tag;
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, 0, 0, kEventLockTagField4);
    if (LockAcquire(&tag, ExclusiveLock, false, true) != LOCKACQUIRE_NOT_AVAIL)
        return true;
    return wait && wait_for_lock(&tag);
}

}  // namespace booking::pg
