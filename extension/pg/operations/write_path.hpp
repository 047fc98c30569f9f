// The one path every write that adds blocking time takes: claim_slot, book,
// reschedule_appointment and book_series' occurrences. A booking touches one
// calendar or several (with_calendars); one calendar is a set of one, and
// each step is the same for both:
//
// 1. The calendars and each one's rules (new_set, existing_set). Every
//    calendar of a set gets its own reservation row, with its own buffers and
//    capacity, linked by set_id (the first row's id), so the per-calendar
//    guarantee, the views and every reader keep working unchanged.
// 2. The gate (check_and_lock): a start in the past, inside a calendar's
//    minimum notice, beyond its booking horizon (max_advance) or outside its
//    working hours is refused; then every
//    calendar's lock is taken, in the canonical order of core/resource_set.hpp,
//    so two bookings of the same calendars never deadlock and never both win;
//    busy past booking.lock_wait_timeout.
// 3. Under the locks the rows are written optimistically, whole or not at all
//    (write_rows: several in one subtransaction). When something stands in the
//    way, the operation finds out what: its caller's earlier hold or booking,
//    or a calendar with no place left once the stale holds in the way are
//    cleared (full_member); it answers, or tries again. Since every writer
//    through these functions holds the calendar locks, a repeated refusal
//    means a writer that bypassed them got in between: the call then fails
//    with 40001 (raise_concurrent_writer) rather than answer from a state it
//    cannot trust. The database's guarantee is never in doubt either way.
// 4. A refusal is a value (Refusal) until refused_answer() speaks it, with
//    the nearest slots free on every calendar.
//
// The rules a clinic sets, and the calendars a pool offers, are steps of this
// path: a new rule is a check of the gate (or of full_member) and a kind of
// Refusal. The limits per day and week count rows, so they are checked after
// the write, inside it (write_rows; see limit_refusal for the locks).
#pragma once

#include "core/resource_set.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/rules.hpp"
#include "pg/call/args.hpp"
#include "pg/kernel/subtransaction.hpp"
#include "pg/store/overlap_guard.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

constexpr int kMaxWriteAttempts = 3;

struct SetMember {
    CalendarRules rules;
    NewReservation row;  // id, calendar, slot, the calendar's buffers and capacity, set_id
};
BOOKING_PLAIN_DATA(SetMember);

struct ResourceSet {
    int n;  // member[0] is calendar_id, then with_calendars in the caller's order
    SetMember member[core::kMaxSetCalendars];
    pg_uuid_t set_id;  // member[0].row.id; the rows carry it when n > 1
    // The members in the canonical order (core/resource_set.hpp): their locks
    // are taken, and their rows written, in this order, so the overlap guard
    // too takes the locks in it wherever it runs (on a Citus coordinator the
    // guard on the shard's node is what locks).
    int order[core::kMaxSetCalendars];
};
BOOKING_PLAIN_DATA(ResourceSet);

// Per member, the reservation that must not count against it (the caller's
// own, when a hold moves or an appointment is rescheduled); null for none.
struct SetExcludes {
    const pg_uuid_t *id[core::kMaxSetCalendars] = {};
};
BOOKING_PLAIN_DATA(SetExcludes);

// Why a booking is refused, and the calendar to blame (a member's index, or
// -1 for none). The answer is built from it by refused_answer().
enum class RefusalKind {
    none,
    in_past,
    too_soon,
    too_far_ahead,
    outside_hours,
    busy,
    full,
    limit_reached,
    contact_limit,  // the contact holds max_active_per_contact already
};
struct Refusal {
    RefusalKind kind = RefusalKind::none;
    int member = -1;
    core::Period period = core::Period::day;  // the limit reached, for limit_reached
    explicit operator bool() const { return kind != RefusalKind::none; }
};
BOOKING_PLAIN_DATA(Refusal);

// The calendars of a new booking: calendar_id and the n others of
// with_calendars (n may be 0), each with its rules and a new row for slot
// (fresh ids; set_id the first's when there are several).
void new_set(const CallContext *ctx, const char *calendar_id, const TextArg *with, int n,
             core::TimeRange slot, ResourceSet *set);

// An existing booking's rows (its one row, or find_set's), as members for a
// move to slot: anchor (the row the call names) first, ids kept, each
// calendar's current rules. Also sets excludes to each row itself.
void existing_set(const CallContext *ctx, const Reservation &anchor, const Reservation *rows,
                  int n, core::TimeRange slot, ResourceSet *set, SetExcludes *excludes);

// Whom a new booking is for, as the contact cap (max_active_per_contact)
// counts: its contact_id, else its phone's digits; neither, not capped. A
// claim's own live hold (its caller_ref) does not count against it: the
// claim reuses or moves it.
struct Contact {
    const pg_uuid_t *contact_id = nullptr;
    const char *phone = nullptr;
    const char *caller_ref = nullptr;
    // A retried booking's key: what it booked before is answered again (or
    // the key refused), never counted against it.
    const char *idempotency_key = nullptr;
    // The organisation's cap when the caller has read its policy already
    // (on a Citus node without the shard each read is a query); -1: read it
    // here, once the contact is known to be one.
    int cap = -1;
    // Whether the caller holds the contact's lock already (a confirm takes
    // it before its hold's row): on Citus the lock is a statement.
    bool locked = false;
    // A hold being confirmed for the contact (its id, or its set's): it
    // becomes the booking counted, so it does not count against itself.
    const pg_uuid_t *confirming = nullptr;
};
BOOKING_PLAIN_DATA(Contact);

// Before a confirm for a contact locks its hold's row: the contact's lock,
// when a cap is set. A claim takes the contact's lock and then (moving its
// caller's live hold) the hold's row; a confirm takes them in the same
// order, so the two never deadlock. Answers the cap it locked under, for
// confirm_refused (0: no contact named, or no cap; nothing locked).
int lock_confirming_contact(const CallContext *ctx, const pg_uuid_t *contact_id);

// Step 2: the refusal, or none with every lock held. With a contact, the
// contact's lock comes before the calendars' (contact_refusal).
Refusal check_and_lock(const CallContext *ctx, const ResourceSet &set, core::TimeRange slot,
                       const Contact *contact = nullptr);
// The contact cap: takes the contact's lock, then counts its blocking
// reservations starting after now (a set once) and refuses when adding more
// would pass the cap. The lock (store/contact_locks.hpp: an advisory lock
// with the tables on one node, the contact's row on the tenant's shard when
// distributed) makes callers of one contact take turns on every calendar
// and every Citus node; it is always taken before any calendar lock, here
// and in book_series, so the two never deadlock. The count
// (store/contact_bookings.hpp) reads after the lock is granted, with the
// latest committed data: it sees what the previous holder committed.
Refusal contact_refusal(const CallContext *ctx, const Contact &contact, int adding);
// A confirm that names a contact (confirm_hold, verify_otp) makes the hold
// that contact's booking, which the cap counts as a claim's or a booking's:
// contact_refusal with the hold not counted. Null when the contact may have
// it; else contact_limit_reached, audited as refused naming the hold, and
// nothing changed. The contact's lock was taken before the hold's row
// (lock_confirming_contact); no calendar lock follows (a confirm adds no
// blocking time), so "contact before hold, contact before calendars" holds.
Jsonb *confirm_refused(const CallContext *ctx, const Reservation &hold,
                       const pg_uuid_t *contact_id, int cap);
// Its rules alone, before any lock (book_series checks every occurrence so):
// in_past, too_soon, too_far_ahead or outside_hours, or none.
Refusal rule_refusal(const CallContext *ctx, const ResourceSet &set, core::TimeRange slot);
// A rule's refusal as its answer code.
const char *refusal_code(RefusalKind kind);
// The clinic's rule a refusal names in its refused audit row (e.g.
// "max_advance", "max_per_day"), or null for a refusal that is not audited
// (the past, the notice, the hours, a taken slot).
const char *refusal_rule(const Refusal &refusal);
// Its locks alone: false when one was not granted within booking.lock_wait_timeout.
bool lock_set(const CallContext *ctx, const ResourceSet &set);

// Step 3, under the locks: expires the stale holds in the set's way and
// answers full with the first member that has no place left, or none;
// *conflicting is the first live reservation in its way.
Refusal full_member(const CallContext *ctx, const ResourceSet &set, core::TimeRange slot,
                    const SetExcludes &excludes, Reservation *conflicting);

// Step 3's write: write_row(i) writes member i's row (true when it went in),
// in the canonical order; several rows are linked to their set and kept only
// all together (a subtransaction), one row is written as it is unless a
// calendar has limits per day or week: then the rows are counted once
// written and kept only within them (a subtransaction too), *limited saying
// which was reached. True when every row went in and stays.
template <typename WriteRow>
bool write_rows(const CallContext *ctx, const ResourceSet &set, WriteRow &&write_row,
                Refusal *limited);

// Whether any member of the set has limits per day or week that the write
// must be counted against: none when, counted before it under the locks
// held here, every such member has room for one more (see limits_to_count).
bool set_has_limits(const ResourceSet &set);
bool limits_to_count(const CallContext *ctx, const ResourceSet &set);

// After this call's rows starting at start are written, before commit: the
// first member whose day or week now holds more reservations than its limit,
// or none. The caller undoes the write when it answers one.
Refusal limit_refusal(const CallContext *ctx, const ResourceSet &set, TimestampTz start);

// Step 4: the answer to a refusal, offering slots near requested that every
// calendar has free (the excluded reservations not counting); a set's answer
// names the calendar to blame. conflicting, when given, is reported too.
Jsonb *refused_answer(const CallContext *ctx, const Refusal &refusal, const ResourceSet &set,
                      core::TimeRange requested, const SetExcludes &excludes,
                      const Reservation *conflicting);

// A write that met its own refusal again under the locks.
[[noreturn]] void raise_concurrent_writer();

// A set in an answer: "set_id" and "calendars": [{calendar_id, reservation_id}].
void put_set(JsonOut *j, const ResourceSet &set);
void put_set_rows(JsonOut *j, const pg_uuid_t *set_id, const Reservation *rows, int n);

// Whether an existing booking (its rows: one, or its set's) is the one asked
// for again: the same first calendar, range and calendars, and a set exactly
// when several.
bool is_same_set(const Reservation *rows, int n, const ResourceSet &set);

// Links every row of a new set to it (store's link_reservations).
void link_set(const CallContext *ctx, const ResourceSet &set);

template <typename WriteRow>
bool write_rows(const CallContext *ctx, const ResourceSet &set, WriteRow &&write_row,
                Refusal *limited) {
    *limited = Refusal{};
    // A row the guard skipped for a writer in flight (overlap_guard.hpp):
    // busy, as for a lock held, not taken.
    auto written = [&](int i) {
        if (write_row(i))
            return true;
        if (overlap_skip_met_writer())
            *limited = Refusal{RefusalKind::busy, i};
        return false;
    };
    const bool limits = limits_to_count(ctx, set);
    if (set.n == 1 && !limits)
        return written(0);
    return all_or_nothing([&] {
        for (int k = 0; k < set.n; ++k) {
            if (!written(set.order[k]))
                return false;
        }
        if (set.n > 1)
            link_set(ctx, set);
        if (limits)
            *limited = limit_refusal(ctx, set, set.member[0].row.slot.start);
        return !*limited;
    });
}

}  // namespace booking::pg
