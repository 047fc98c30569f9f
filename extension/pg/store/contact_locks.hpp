// The rows of booking.contact_locks: one per contact or phone a rule counts
// for, whose row lock serialises that contact's callers (the contact cap) or
// that phone's sends (the SMS cost guard).
//
// Why a row and not an advisory lock: distributed with Citus, a call runs
// delegated on its tenant's shard node, or on the coordinator (in a
// transaction block, or sent to another node), whose advisory locks do not
// exclude the worker's. A row of a table distributed by tenant is locked on
// the shard's node whichever way the call came, as the overlap guard's
// calendar lock is. Keys: "c:<contact_id>" or "p:<digits>" (the cap),
// "sms:<digits>" (the guard, its own row: issue_otp locks it after the
// hold's row, while a claim locks the contact's before any hold's).
#pragma once

#include "pg/call/call_scope.hpp"

namespace booking::pg {

// The longest key: "sms:" and 32 digits, or "c:" and a UUID's text.
constexpr int kContactKeyLength = 48;

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

// The contact's blocking reservations starting after now in the
// organisation, a set counted once: by contact_id, else (contact_id NULL on
// the row too) by the phone's digits. The live hold of caller_ref (null:
// none) is left out, and so is the booking except (a reservation's id, or
// its set's; null: none), a hold being confirmed for the contact.
int count_contact_bookings(const CallContext *ctx, const pg_uuid_t *contact_id, const char *phone,
                           const char *caller_ref, const pg_uuid_t *except = nullptr);

// The key of a phone's SMS row (out: kContactKeyLength + 1 bytes); false
// when the phone is null or has no digits, which no guard counts.
bool sms_key(const char *phone, char *out);
// The key of a contact for the cap: its contact_id, else its phone's
// digits; false with neither.
bool contact_key(const pg_uuid_t *contact_id, const char *phone, char *out);

}  // namespace booking::pg
