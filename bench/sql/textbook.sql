-- Comparison point 2: the textbook. A plain table whose exclusion constraint
-- (btree_gist) keeps the blocking appointments of a calendar apart, and a
-- PL/pgSQL function that inserts the appointment and its audit row and turns
-- the constraint's violation (23P01) into an answer. No lock of its own: two
-- overlapping inserters meet inside the constraint check, where the later one
-- waits for the earlier to commit or roll back (and two can deadlock: 40P01,
-- which the textbook does not catch, is reported as an SQL error).
-- Ids come from identity columns (sequences), the textbook default.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE SCHEMA IF NOT EXISTS textbook;

CREATE TABLE textbook.appointments (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      uuid        NOT NULL,
    calendar_id text        NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    status      text        NOT NULL DEFAULT 'confirmed'
                CHECK (status IN ('held', 'confirmed', 'cancelled', 'completed')),
    contact_id  uuid,
    service_id  uuid,
    notes       text,
    metadata    jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    CONSTRAINT appointments_no_overlap EXCLUDE USING gist
        (org_id WITH =, calendar_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
        WHERE (status IN ('held', 'confirmed'))
);

CREATE TABLE textbook.audit_log (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id    uuid        NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    action    text        NOT NULL,
    entity_id bigint,
    details   jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE FUNCTION textbook.book(p_org_id uuid, p_calendar_id text, p_starts_at timestamptz,
                              p_duration interval, p_contact_id uuid DEFAULT NULL,
                              p_service_id uuid DEFAULT NULL, p_notes text DEFAULT NULL,
                              p_metadata jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    v_id bigint;
    v_ends_at timestamptz := p_starts_at + p_duration;
BEGIN
    INSERT INTO textbook.appointments
        (org_id, calendar_id, starts_at, ends_at, status, contact_id, service_id, notes, metadata)
    VALUES
        (p_org_id, p_calendar_id, p_starts_at, v_ends_at, 'confirmed', p_contact_id, p_service_id,
         p_notes, p_metadata)
    RETURNING id INTO v_id;

    INSERT INTO textbook.audit_log (org_id, action, entity_id, details)
    VALUES (p_org_id, 'booked', v_id,
            jsonb_build_object('calendar_id', p_calendar_id, 'starts_at', p_starts_at,
                               'ends_at', v_ends_at));

    RETURN jsonb_build_object('success', true, 'appointment_id', v_id,
                              'starts_at', p_starts_at, 'ends_at', v_ends_at);
EXCEPTION WHEN exclusion_violation THEN
    RETURN jsonb_build_object('success', false, 'error', 'slot_unavailable');
END;
$$;
