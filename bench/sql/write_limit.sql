-- Comparison point 3: the write limit. The same two rows as a booking (the
-- appointment and its audit row), written in one round trip by one SQL
-- statement (a data-modifying CTE, in the pgbench scripts), with no checks at
-- all: no lock, no overlap query, no exclusion constraint, no function call.
-- Only primary keys (identity columns), as any table has.
CREATE SCHEMA IF NOT EXISTS write_limit;

CREATE TABLE write_limit.appointments (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      uuid        NOT NULL,
    calendar_id text        NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    status      text        NOT NULL DEFAULT 'confirmed',
    contact_id  uuid,
    service_id  uuid,
    notes       text,
    metadata    jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE write_limit.audit_log (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id    uuid        NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    action    text        NOT NULL,
    entity_id bigint,
    details   jsonb       NOT NULL DEFAULT '{}'::jsonb
);
