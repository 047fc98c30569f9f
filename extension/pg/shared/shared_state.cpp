#include "pg/shared/shared_state.hpp"

#include "core/attempt_ledger.hpp"
#include "pg/kernel/hooks.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/settings/settings.hpp"
#include "pg/shared/stats.hpp"

namespace booking::pg::shared {

namespace {

constexpr std::size_t kLedgerCapacity = 8192;
constexpr const char *kName = "booking";

constexpr int kListenerDatabases = 64;

struct ListenerCount {
    Oid database;
    int32 listeners;
};
BOOKING_PLAIN_DATA(ListenerCount);

struct SharedState {
    LWLock *lock;
    // Backends listening on booking_events in any database: read without the
    // lock, so that every commit of a cluster nobody listens to skips it.
    pg_atomic_uint32 listening;
    ListenerCount listeners[kListenerDatabases];
    bool listeners_overflowed;
    core::LedgerEntry ledger[kLedgerCapacity];
    stats::Statistics statistics;
};
BOOKING_PLAIN_DATA(SharedState);

SharedState *state = nullptr;
shmem_request_hook_type previous_request_hook = nullptr;
shmem_startup_hook_type previous_startup_hook = nullptr;

void request_memory() {
    if (previous_request_hook != nullptr)
        previous_request_hook();
    RequestAddinShmemSpace(sizeof(SharedState));
    RequestNamedLWLockTranche(kName, 1);
}

void attach_memory() {
    if (previous_startup_hook != nullptr)
        previous_startup_hook();
    LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
    bool found = false;
    state = static_cast<SharedState *>(ShmemInitStruct(kName, sizeof(SharedState), &found));
    if (!found) {
        memset(state, 0, sizeof(SharedState));
        state->lock = &(GetNamedLWLockTranche(kName))->lock;
        pg_atomic_init_u32(&state->listening, 0);
        stats::initialize(&state->statistics);
    }
    LWLockRelease(AddinShmemInitLock);
}

// Misses matter as long as a hold can still be verified: the server-wide
// cap, or a privileged session's longer one; never a tenant session's
// tighter one, which would forget misses it made under the wider cap.
core::AttemptLedger ledger() {
    core::Micros horizon = std::max(
        settings::max_hold_ttl(),
        static_cast<core::Micros>(settings::server_limit(settings::Limit::max_hold_ttl)) *
            core::kMicrosPerSecond);
    return core::AttemptLedger(state->ledger, kLedgerCapacity, horizon);
}

}  // namespace

void request_at_preload() {
    previous_request_hook = shmem_request_hook;
    shmem_request_hook = hooks::shared_memory<request_memory>;
    previous_startup_hook = shmem_startup_hook;
    shmem_startup_hook = hooks::shared_memory<attach_memory>;
}

bool available() { return state != nullptr; }

stats::Statistics *statistics() { return state != nullptr ? &state->statistics : nullptr; }

LWLock *lock() { return state != nullptr ? state->lock : nullptr; }

int listeners_in(Oid database) {
    if (state == nullptr)
        return -1;
    if (pg_atomic_read_u32(&state->listening) == 0)
        return 0;
    LWLockAcquire(state->lock, LW_SHARED);
    int n = state->listeners_overflowed ? -1 : 0;
    for (const ListenerCount &c : state->listeners) {
        if (n >= 0 && c.database == database)
            n = c.listeners;
    }
    LWLockRelease(state->lock);
    return n;
}

void count_listener(Oid database, int delta) {
    if (state == nullptr)
        return;
    LWLockAcquire(state->lock, LW_EXCLUSIVE);
    if (delta > 0)
        pg_atomic_fetch_add_u32(&state->listening, static_cast<uint32>(delta));
    else
        pg_atomic_fetch_sub_u32(&state->listening, static_cast<uint32>(-delta));
    ListenerCount *slot = nullptr;
    for (ListenerCount &c : state->listeners) {
        if (c.database == database) {
            slot = &c;
            break;
        }
    }
    if (slot == nullptr && delta > 0) {
        for (ListenerCount &c : state->listeners) {
            if (c.database == InvalidOid) {
                c.database = database;
                slot = &c;
                break;
            }
        }
        // More databases listen than there are slots: from now on nobody can
        // be ruled out, and every database announces.
        if (slot == nullptr)
            state->listeners_overflowed = true;
    }
    if (slot != nullptr) {
        slot->listeners += delta;
        if (slot->listeners <= 0) {
            slot->listeners = 0;
            slot->database = InvalidOid;
        }
    }
    LWLockRelease(state->lock);
}

int otp_misses(const pg_uuid_t *hold_id, TimestampTz now) {
    if (state == nullptr)
        return 0;
    LWLockAcquire(state->lock, LW_SHARED);
    int n = ledger().misses(hold_id->data, now);
    LWLockRelease(state->lock);
    return n;
}

int record_otp_miss(const pg_uuid_t *hold_id, TimestampTz now) {
    if (state == nullptr)
        return 0;
    LWLockAcquire(state->lock, LW_EXCLUSIVE);
    int n = ledger().record_miss(hold_id->data, now);
    LWLockRelease(state->lock);
    return n;
}

void forget_otp_misses(const pg_uuid_t *hold_id) {
    if (state == nullptr)
        return;
    LWLockAcquire(state->lock, LW_EXCLUSIVE);
    ledger().forget(hold_id->data);
    LWLockRelease(state->lock);
}

}  // namespace booking::pg::shared
