-- booking 0.4 -> 0.5. Every statement may run again on a database already at
-- 0.5 (IF NOT EXISTS, ON CONFLICT DO NOTHING, COMMENT), since Citus workers
-- run upgrade scripts too; the upgrade suite runs it a second time, after
-- the upgrade scripts before it, outside ALTER EXTENSION.
-- What it brings: nothing yet (the release is opened; its changes follow).
\echo Use "ALTER EXTENSION booking UPDATE TO '0.5'" to load this file. \quit
