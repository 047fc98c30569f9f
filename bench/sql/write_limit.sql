-- Comparison point 3: the write limit. The same two rows as a booking (the
-- appointment and its audit row), written in one round trip by one SQL
-- statement (a data-modifying CTE, in the pgbench scripts), with no checks at
-- all: no lock, no overlap query, no exclusion constraint, no function call,
-- no trigger, no index but the primary key.
--
-- write_limit: the rows booking writes, in tables of booking's shape (LIKE
-- booking.reservations and booking.audit_log: the same columns and types,
-- uuid keys (org_id, id)), so the ratio prices the checks and nothing else.
-- write_limit_narrow: a leaner design's rows (the textbook's tables: bigint
-- identity keys, eleven columns), for reference: what a different schema
-- costs, not the checks.
CREATE SCHEMA IF NOT EXISTS write_limit;

CREATE TABLE write_limit.appointments (LIKE booking.reservations INCLUDING DEFAULTS);
ALTER TABLE write_limit.appointments ADD PRIMARY KEY (org_id, id);

CREATE TABLE write_limit.audit_log (LIKE booking.audit_log INCLUDING DEFAULTS);
ALTER TABLE write_limit.audit_log ADD PRIMARY KEY (org_id, id);

CREATE SCHEMA IF NOT EXISTS write_limit_narrow;

-- The textbook's tables (textbook.sql, loaded before) without their checks.
CREATE TABLE write_limit_narrow.appointments (LIKE textbook.appointments INCLUDING DEFAULTS INCLUDING IDENTITY);
ALTER TABLE write_limit_narrow.appointments ADD PRIMARY KEY (id);

CREATE TABLE write_limit_narrow.audit_log (LIKE textbook.audit_log INCLUDING DEFAULTS INCLUDING IDENTITY);
ALTER TABLE write_limit_narrow.audit_log ADD PRIMARY KEY (id);
