-- booking 0.3 -> 0.4. Every statement may run again on a database already at
-- 0.4 (IF NOT EXISTS, ON CONFLICT DO NOTHING, COMMENT), since Citus workers
-- run upgrade scripts too; the upgrade suite runs it a second time, after
-- booking--0.1--0.2.sql and booking--0.2--0.3.sql, outside ALTER EXTENSION.
-- What it brings: nothing yet (the release is opened; its changes follow).
\echo Use "ALTER EXTENSION booking UPDATE TO '0.4'" to load this file. \quit
