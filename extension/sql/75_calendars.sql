-------------------------------------------------------------------------------
-- Calendars: time zone, step grid, buffers, minimum notice, booking horizon,
-- change notice, limits per day and week, working hours, capacity.
-------------------------------------------------------------------------------

CREATE TABLE booking.calendars (
    org_id        uuid        NOT NULL,
    calendar_id   text        NOT NULL,
    time_zone     text        NOT NULL DEFAULT 'UTC',
    slot_step     interval,
    buffer_before interval    NOT NULL DEFAULT '0',
    buffer_after  interval    NOT NULL DEFAULT '0',
    min_notice    interval    NOT NULL DEFAULT '0',
    working_hours jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    capacity      integer     NOT NULL DEFAULT 1,
    max_advance   interval,
    change_notice interval,
    max_per_day   integer,
    max_per_week  integer,
    CONSTRAINT calendars_pkey PRIMARY KEY (org_id, calendar_id)
);
COMMENT ON TABLE booking.calendars IS
    'The settings of calendars that have any, written by set_calendar. A calendar with no row is open at all hours in UTC on the booking.slot_step grid.';
COMMENT ON COLUMN booking.calendars.working_hours IS
    'Local opening intervals per ISO weekday: {"mon": [["09:00","12:00"],["13:00","17:00"]], "sat": []}; a weekday left out is closed; NULL means open at all hours.';
COMMENT ON COLUMN booking.calendars.capacity IS
    'How many blocking reservations the calendar accepts at one instant (1 to 1000): 1 for a clinician or a room, N for a class or a waiting room. Each reservation keeps the capacity it was made with (booking.reservations.capacity).';
COMMENT ON COLUMN booking.calendars.max_advance IS
    'The booking horizon: nothing may start later than now plus this (claim_slot, book, reschedule_appointment and book_series answer too_far_ahead, with alternatives inside it; free_slots and alternatives offer nothing beyond it). 0 to 36525 days; NULL, the default, means no horizon.';
COMMENT ON COLUMN booking.calendars.change_notice IS
    'How long before its start an appointment may still be cancelled or moved by a caller: cancel_appointment and reschedule_appointment of one that starts sooner than this from now answer too_late_to_change (ESCALATE_TO_HUMAN), unless a person passes force (recorded as details.forced in the audit row). 0 to 36525 days; NULL, the default, means none.';
COMMENT ON COLUMN booking.calendars.max_per_day IS
    'At most this many blocking reservations (live holds, appointments awaiting staff, confirmed ones; each counts once, whatever the capacity) start on one local day of the calendar''s time zone: the next claim_slot, book, reschedule_appointment or book_series occurrence answers limit_reached (limit "max_per_day", OFFER_ALTERNATIVES, alternatives on days with room); free_slots and alternatives offer nothing on a full day. 1 to 100000; NULL, the default, means no limit.';
COMMENT ON COLUMN booking.calendars.max_per_week IS
    'The same per ISO week (Monday to Sunday, local days of the calendar''s time zone): limit_reached with limit "max_per_week", alternatives in weeks with room. 1 to 100000; NULL, the default, means no limit.';
COMMENT ON COLUMN booking.calendars.slot_step IS
    'The grid of alternatives and free slots, anchored at each opening''s local start (local midnight when open at all hours); NULL means booking.slot_step.';
SELECT pg_catalog.pg_extension_config_dump('booking.calendars', '');

CREATE TRIGGER calendars_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking.calendars
    FOR EACH STATEMENT EXECUTE FUNCTION booking.cached_table_changed();
ALTER TABLE booking.calendars ENABLE ALWAYS TRIGGER calendars_changed;
COMMENT ON TRIGGER calendars_changed ON booking.calendars IS
    'Keeps the per-backend cache of calendar rules in step with the table.';

ALTER TABLE booking.calendars ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendars_own_organisation ON booking.calendars
    FOR SELECT USING (org_id = booking.current_org_id());
COMMENT ON POLICY calendars_own_organisation ON booking.calendars IS
    'A tenant role sees only the calendars of the organisation it acts in.';

CREATE FUNCTION booking.set_calendar(org_id uuid, calendar_id text, time_zone text DEFAULT 'UTC',
                                     slot_step interval DEFAULT NULL,
                                     buffer_before interval DEFAULT '0',
                                     buffer_after interval DEFAULT '0',
                                     min_notice interval DEFAULT '0',
                                     working_hours jsonb DEFAULT NULL,
                                     capacity integer DEFAULT 1,
                                     max_advance interval DEFAULT NULL,
                                     change_notice interval DEFAULT NULL,
                                     max_per_day integer DEFAULT NULL,
                                     max_per_week integer DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_set_calendar'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.set_calendar(uuid, text, text, interval, interval, interval, interval, jsonb, integer, interval, interval, integer, integer) IS
    'Creates or updates a calendar''s settings: IANA time zone, step grid (NULL: booking.slot_step), buffers kept between neighbours, minimum notice, working hours per ISO weekday in local time (NULL: open at all hours), capacity, how many blocking reservations it accepts at one instant (1 to 1000), and max_advance, the booking horizon (0 to 36525 days; NULL: none): nothing may start later than now plus it (too_far_ahead), and change_notice (0 to 36525 days; NULL: none): an appointment starting sooner than that from now is not cancelled or moved without force (too_late_to_change); max_per_day and max_per_week (1 to 100000; NULL: none): at most that many blocking reservations start on one local day, or in one ISO week (Monday first), of its time zone (limit_reached). Answers {success, calendar_id, time_zone, capacity (when not 1), max_advance, change_notice, max_per_day and max_per_week (when set)}. Changing them never moves or cancels existing reservations; appointments_outside_hours() lists those left outside; a raised capacity applies to the live reservations too, a lowered one leaves them their places. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog.';

CREATE FUNCTION booking.appointments_outside_hours(org_id uuid, calendar_id text,
                                                   from_ts timestamptz DEFAULT now(),
                                                   until_ts timestamptz DEFAULT now() + interval '90 days')
RETURNS TABLE (appointment_id uuid, starts_at timestamptz, ends_at timestamptz, status text)
AS 'MODULE_PATHNAME', 'booking_appointments_outside_hours'
LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION booking.appointments_outside_hours(uuid, text, timestamptz, timestamptz) IS
    'The live reservations (appointments, holds) starting in the window that lie outside the calendar''s current working hours: what staff move or cancel after changing the hours. The window is at most 366 days. Security: runs as the caller (not SECURITY DEFINER); after checking that the caller may act in the organisation it names (42501 otherwise), it works as the tables'' owner with search_path pinned to pg_catalog. STABLE, so that PostgREST may call it with GET in a read-only transaction; it reads the latest committed data rather than the statement''s snapshot, so two calls in one statement can differ.';
