// One booking of several calendars (with_calendars of claim_slot and book;
// book_series, and reschedule_appointment of a set): the steps each takes.
//
// Every calendar of a set gets its own reservation row, with its own
// buffers and capacity, linked by set_id (the first row's id), so the
// per-calendar guarantee, the views and every reader keep working unchanged.
// The set is written whole or not at all:
//
// 1. Each calendar's rules are checked (past, minimum notice, working hours);
//    a refusal names the calendar (conflicting_calendar).
// 2. Every calendar's lock is taken, in the canonical order of
//    core/resource_set.hpp, so two sets of the same calendars never deadlock
//    and never both win.
// 3. The rows go in under one subtransaction (store/subtransaction.hpp):
//    kept when every row went in; otherwise rolled back, and the call finds
//    out which calendar is full (clearing stale holds on the way), answers
//    slot_unavailable naming it, or tries again.
//
// Alternatives for a set are slots on the first calendar's grid that every
// calendar has free, within each one's hours, buffers and notice.
#pragma once

#include "core/resource_set.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/rules.hpp"
#include "pg/call/args.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

struct SetMember {
    CalendarRules rules;
    NewReservation row;  // id, calendar, slot, the calendar's buffers and capacity, set_id
};
BOOKING_PLAIN_DATA(SetMember);

struct ResourceSet {
    int n;  // member[0] is calendar_id, then with_calendars in the caller's order
    SetMember member[core::kMaxSetCalendars];
    pg_uuid_t set_id;  // member[0].row.id
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

// The calendars of a new set: calendar_id and the n others of with_calendars,
// each with its rules and a new row for slot (fresh ids, set_id the first's).
void new_set(const CallContext *ctx, const char *calendar_id, const TextArg *with, int n,
             core::TimeRange slot, ResourceSet *set);

// An existing set's rows (find_set), as members for a move to slot: anchor
// (the row the call names) first, ids kept, each calendar's current rules.
// Also sets excludes to each row itself.
void existing_set(const CallContext *ctx, const Reservation &anchor, const Reservation *rows,
                  int n, core::TimeRange slot, ResourceSet *set, SetExcludes *excludes);

// Step 2 alone: every calendar's lock, in the canonical order; false when
// one was not granted within booking.lock_wait_timeout.
bool lock_set(const CallContext *ctx, const ResourceSet &set);

// Steps 1 and 2: the refusal to answer, or null with every lock held.
Jsonb *lock_or_refuse_set(const CallContext *ctx, const ResourceSet &set, core::TimeRange slot,
                          const SetExcludes &excludes);

// Under the locks: expires the stale holds in the set's way and answers the
// index of the first member with no place left, or -1; *conflicting is the
// first live reservation in its way.
int full_member(const CallContext *ctx, const ResourceSet &set, core::TimeRange slot,
                const SetExcludes &excludes, Reservation *conflicting);

// A refusal that names the calendar (member `at`, or none when -1) and offers
// slots free on every calendar; conflicting may be null.
Jsonb *set_unavailable(const CallContext *ctx, const char *code, const char *message,
                       const ResourceSet &set, core::TimeRange requested, int at,
                       const SetExcludes &excludes, const Reservation *conflicting);

// Links every row of a new set to it (store's link_reservations), in the
// subtransaction that writes them.
void link_set(const CallContext *ctx, const ResourceSet &set);

// The set in an answer: "set_id" and "calendars": [{calendar_id, reservation_id}].
void put_set(JsonOut *j, const ResourceSet &set);
void put_set_rows(JsonOut *j, const pg_uuid_t *set_id, const Reservation *rows, int n);

// Whether an existing set (its rows) is the one asked for again: the same
// first calendar, range and calendars.
bool is_same_set(const Reservation *rows, int n, const ResourceSet &set);

// Up to capacity slots near requested that every member has free (nearest
// first, as find_alternatives); returns how many.
int find_set_alternatives(const CallContext *ctx, const ResourceSet &set,
                          core::TimeRange requested, const SetExcludes &excludes,
                          core::TimeRange *out, int capacity);

}  // namespace booking::pg
