// A contact's lock, which serialises that contact's callers (the contact
// cap), and the rows of booking.contact_locks, one per phone whose SMS sends
// the SMS cost guard records (and, distributed, per contact the cap locks).
//
// The contact cap takes the contact's lock before any calendar lock, then
// counts the contact's bookings on a fresh snapshot
// (store/contact_bookings.hpp): of two callers of one contact, the second
// counts what the first committed. lock_contact() is the one place that says
// which lock serialises them:
//
// - Booking's tables on this node alone (no Citus, or Citus installed and
//   the tables not distributed): every call of the organisation runs here,
//   and a transaction-scoped advisory lock keyed by (org_id, contact key)
//   (kContactLockTagField4 in store/calendar_lock.hpp) excludes them all for
//   one probe of the lock table. The row it replaces cost an upsert per
//   booking (for a contact seen first, an insert into a table and two
//   indexes): 14% of book()'s instructions when every call names a new
//   contact, as a voice receptionist's do (bench/clinic_rules).
// - Distributed with Citus: a call runs delegated on its tenant's shard
//   node, or on the coordinator (in a transaction block, or sent to another
//   node), whose advisory locks do not exclude the shard node's. A row of a
//   table distributed by tenant is locked on the shard's node whichever way
//   the call came, as the overlap guard's calendar lock is; so every call of
//   a distributed organisation locks the contact's row, a delegated one
//   too: two callers exclude each other only if they take the same lock.
//
// The choice follows distributed_by_tenant(), which every backend of every
// node answers alike once Citus's metadata says so (Citus invalidates it
// when it distributes the tables); a call in flight while
// distribute_by_tenant() runs may take the other lock than one after it, so
// the cap is exact from the distribution's commit on.
//
// Keys: "c:<contact_id>" or "p:<digits>" (the cap), "sms:<digits>" (the
// guard, always a row, which records its sends: issue_otp locks it after the
// hold's row, while a claim locks the contact's before any hold's).
#pragma once

#include "pg/call/call_scope.hpp"

namespace booking::pg {

// The longest key: "sms:" and 32 digits, or "c:" and a UUID's text.
constexpr int kContactKeyLength = 48;

// Serialises the callers of the contact (its contact_key) to the end of the
// transaction: the advisory lock, or distributed the contact's row (see
// above). Waits as long as a row lock would (lock_timeout applies).
void lock_contact(const CallContext *ctx, const char *key);

// lock_contact without waiting: false, nothing locked, when another
// transaction holds the contact's lock now. For a writer that already
// holds calendar locks (a waitlist offer, made by the write that freed the
// time), where waiting would take the locks against a claim's order
// (contact, then calendars). Distributed, a contact's row not there yet is
// made first, which waits only for another transaction making the same row.
bool try_lock_contact(const CallContext *ctx, const char *key);

// Locks the key's row to the end of the transaction (making it on first
// use); answers the sends it records (a palloc'd array, in any order, with
// room for one more) and how many.
int lock_contact_row(const CallContext *ctx, const char *key, TimestampTz **sends);
// Replaces the sends the locked row records.
void record_phone_sends(const CallContext *ctx, const char *key, const TimestampTz *sends, int n);
// Gives back one send at sent_at (a code whose SMS could not be sent).
void give_back_phone_send(const CallContext *ctx, const char *key, TimestampTz sent_at);
// Deletes up to limit rows nobody touched for a day (of one organisation,
// or all); a row locked right now is skipped.
int delete_idle_contact_locks(const CallContext *ctx, const pg_uuid_t *org_id, int limit);

// The key of a phone's SMS row (out: kContactKeyLength + 1 bytes); false
// when the phone is null or has no digits, which no guard counts.
bool sms_key(const char *phone, char *out);
// The key of a contact for the cap: its contact_id, else its phone's
// digits; false with neither.
bool contact_key(const pg_uuid_t *contact_id, const char *phone, char *out);

}  // namespace booking::pg
