-------------------------------------------------------------------------------
-- Direct booking and the appointment life cycle.
-------------------------------------------------------------------------------

CREATE FUNCTION booking.book(org_id uuid, calendar_id text, starts_at timestamptz,
                             duration interval DEFAULT '30 minutes', contact_id uuid DEFAULT NULL,
                             service_id uuid DEFAULT NULL, notes text DEFAULT NULL,
                             metadata jsonb DEFAULT NULL, idempotency_key text DEFAULT NULL,
                             with_calendars text[] DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_book'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.book(uuid, text, timestamptz, interval, uuid, uuid, text, jsonb, text, text[]) IS
    'Books a confirmed appointment in one call. Answers the appointment, or slot_unavailable with conflicting_appointment and alternatives, slot_in_past, busy/RETRY. A retried call with the same idempotency_key answers as the first did (replayed: true). with_calendars: the appointment also blocks each listed calendar of the tenant for the same range (each with its own rules), all or nothing, one reservation per calendar linked by set_id; a refusal names the conflicting_calendar. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.cancel_appointment(org_id uuid, appointment_id uuid,
                                           reason text DEFAULT NULL, erase_pii boolean DEFAULT false,
                                           force boolean DEFAULT false)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_cancel_appointment'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.cancel_appointment(uuid, uuid, text, boolean, boolean) IS
    'Cancels a confirmed appointment (every calendar of its set), freeing its time. With erase_pii the patient''s name, phone, notes, metadata, caller_ref and the reason are removed from the row (also for an appointment cancelled earlier). An appointment that starts sooner than its calendar''s change_notice from now is not cancelled: too_late_to_change (ESCALATE_TO_HUMAN); force, a person''s decision, bypasses it and the audit row says details.forced = true. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.reschedule_appointment(org_id uuid, appointment_id uuid,
                                               new_starts_at timestamptz,
                                               new_duration interval DEFAULT NULL,
                                               force boolean DEFAULT false)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_reschedule_appointment'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.reschedule_appointment(uuid, uuid, timestamptz, interval, boolean) IS
    'Moves an appointment atomically (every calendar of its set, each with its own rules): either it moved, or nothing changed and the answer is slot_unavailable with alternatives. The appointment''s own old range does not count against it. An appointment that starts sooner than its calendar''s change_notice from now is not moved: too_late_to_change (ESCALATE_TO_HUMAN); force, a person''s decision, bypasses it and the audit rows say details.forced = true. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.book_series(org_id uuid, calendar_id text, first_starts_at timestamptz,
                                    duration interval, every interval, count integer,
                                    contact_id uuid DEFAULT NULL, service_id uuid DEFAULT NULL,
                                    notes text DEFAULT NULL, metadata jsonb DEFAULT NULL,
                                    with_calendars text[] DEFAULT NULL,
                                    idempotency_key text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_book_series'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.book_series(uuid, text, timestamptz, interval, interval, integer, uuid, uuid, text, jsonb, text[], text) IS
    'Books a recurring series whole or not at all: count appointments (at most booking.max_series_count), the k-th at first_starts_at + k * every stepped in the calendar''s local time (a weekly 09:00 stays 09:00 across a daylight-saving change), each blocking with_calendars too. Answers {success, series_id, appointments: [{appointment_id, starts_at, ends_at}]}, or slot_unavailable with conflicts: [{starts_at, ends_at, error}] for each occurrence refused, nothing booked (a refusal by a clinic''s rule, too_far_ahead or limit_reached, is audited as one refused row for the call); contact_limit_reached; busy/RETRY. A retried call with the same idempotency_key answers as the first did (replayed: true). Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.cancel_series(org_id uuid, series_id uuid,
                                      from_starts_at timestamptz DEFAULT NULL,
                                      reason text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_cancel_series'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.cancel_series(uuid, uuid, timestamptz, text) IS
    'Cancels the rest of a series: every appointment of it (every calendar of each) starting at or after from_starts_at (NULL: now), each with its audit row. Answers {success, series_id, status: "cancelled", cancelled: [{appointment_id, starts_at, ends_at}]}; series_not_found. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';
