#include "pg/kernel/lock_budget.hpp"

#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg::lock_budget {

namespace {

// A call locks at most a set's calendars and a pool's members at once.
constexpr int kMaxCallLocks = 128;

struct Budget {
    LocalTransactionId transaction;
    int kept;       // locks taken to the transaction's end
    bool row_held;  // a row's lock past the budget
    LOCKTAG row_tag;
    int n_call;  // a call's locks past the budget
    LOCKTAG call_tags[kMaxCallLocks];
};
BOOKING_PLAIN_DATA(Budget);
Budget budget = {InvalidLocalTransactionId, 0, false, {}, 0, {}};

Budget &this_transaction() {
    const LocalTransactionId now = compat::local_transaction_id();
    if (budget.transaction != now) {
        budget.transaction = now;
        budget.kept = 0;
        budget.row_held = false;
        budget.n_call = 0;
    }
    return budget;
}

bool same_tag(const LOCKTAG &a, const LOCKTAG &b) { return memcmp(&a, &b, sizeof(LOCKTAG)) == 0; }

// A step run under the transaction's resource owner.
template <typename Step>
void as_transaction(Step &&step) {
    static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Step>>,
                  "the step must be plain data: ereport(ERROR) longjmps over it");
    ResourceOwner saved = CurrentResourceOwner;
    CurrentResourceOwner = TopTransactionResourceOwner;
    PG_TRY();
    {
        step();
    }
    PG_FINALLY();
    {
        CurrentResourceOwner = saved;
    }
    PG_END_TRY();
}

void release_for_transaction(const LOCKTAG &tag) {
    as_transaction([&] { (void)LockRelease(&tag, ExclusiveLock, false); });
}

}  // namespace

bool room_to_keep() { return this_transaction().kept < Max(max_locks_per_xact / 2, 1); }

void kept_one() { ++this_transaction().kept; }

void let_go_of_kept(const LOCKTAG *tag) {
    (void)LockRelease(tag, ExclusiveLock, false);
    --this_transaction().kept;
}

bool held_for_less(const LOCKTAG *tag) {
    const Budget &b = this_transaction();
    if (b.row_held && same_tag(b.row_tag, *tag))
        return true;
    for (int i = 0; i < b.n_call; ++i) {
        if (same_tag(b.call_tags[i], *tag))
            return true;
    }
    return false;
}

void take_for_row(const LOCKTAG *tag) {
    let_go_of_row();
    as_transaction([&] { (void)LockAcquire(tag, ExclusiveLock, false, false); });
    Budget &b = this_transaction();
    b.row_held = true;
    b.row_tag = *tag;
}

void let_go_of_row() {
    Budget &b = this_transaction();
    if (b.row_held)
        release_for_transaction(b.row_tag);
    b.row_held = false;
}

bool call_has_room() { return this_transaction().n_call < kMaxCallLocks; }

bool take_for_call(const LOCKTAG *tag, bool (*acquire)(const LOCKTAG *)) {
    bool acquired = false;
    as_transaction([&] { acquired = acquire(tag); });
    Budget &b = this_transaction();
    if (acquired)
        b.call_tags[b.n_call++] = *tag;
    return acquired;
}

void adopt_for_call(const LOCKTAG *tag) {
    Budget &b = this_transaction();
    if (b.row_held && same_tag(b.row_tag, *tag) && b.n_call < kMaxCallLocks) {
        b.row_held = false;
        b.call_tags[b.n_call++] = *tag;
    }
}

void let_go_of_call_locks() {
    Budget &b = this_transaction();
    for (int i = 0; i < b.n_call; ++i)
        release_for_transaction(b.call_tags[i]);
    b.n_call = 0;
}

}  // namespace booking::pg::lock_budget
