#include "pg/store/calendar_lock.hpp"

#include "core/lock_keys.hpp"
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

}  // namespace

void lock_calendar_unbounded(const pg_uuid_t *org_id, const char *calendar_id, int calendar_len) {
    LOCKTAG tag;
    calendar_locktag(&tag, org_id, calendar_id, calendar_len);
    (void)LockAcquire(&tag, ExclusiveLock, false, false);
}

bool lock_calendar(const pg_uuid_t *org_id, const char *calendar_id, int calendar_len) {
    LOCKTAG tag;
    calendar_locktag(&tag, org_id, calendar_id, calendar_len);
    // The uncontended case costs one lock-table probe and no subtransaction.
    if (LockAcquire(&tag, ExclusiveLock, false, true) != LOCKACQUIRE_NOT_AVAIL) {
        stats::record_lock_wait(0, false);
        return true;
    }
    // The wait is measured for booking.stats(), granted or not (a wait that
    // ends in an error is not recorded).
    instr_time started;
    INSTR_TIME_SET_CURRENT(started);
    bool acquired = wait_for_lock(&tag);
    instr_time waited;
    INSTR_TIME_SET_CURRENT(waited);
    INSTR_TIME_SUBTRACT(waited, started);
    stats::record_lock_wait(static_cast<int64>(INSTR_TIME_GET_MICROSEC(waited)), true);
    return acquired;
}

bool lock_event_positions(bool wait) {
    LOCKTAG tag;
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, 0, 0, kEventLockTagField4);
    if (LockAcquire(&tag, ExclusiveLock, false, true) != LOCKACQUIRE_NOT_AVAIL)
        return true;
    return wait && wait_for_lock(&tag);
}

}  // namespace booking::pg
