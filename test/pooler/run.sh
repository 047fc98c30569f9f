#!/usr/bin/env bash
# Tenant binding through a real PgBouncer (Debian's package) in transaction
# mode, with node-postgres, against the running cluster named by PGHOST /
# PGPORT (superuser PGUSER). Sets up the roles the way docs/postgrest.md
# does, plus a login role bound with booking.bind_role(), runs
# binding_through_pgbouncer.mjs and prints its TAP lines; the exit status is
# 0 only when every check passed.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d /tmp/booking-pooler.XXXXXX)
DB=booking_pooler
ORGS="f1000000-0000-0000-0000-000000000001,f1000000-0000-0000-0000-000000000002,f1000000-0000-0000-0000-000000000003,f1000000-0000-0000-0000-000000000004"

port=6432
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

cleanup() {
    [ -f "$WORK/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer.pid")" 2>/dev/null || true
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    psql -qX -d postgres -c "DROP ROLE IF EXISTS pool_authenticator, pool_clinic2, pool_staff" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" >/dev/null
psql -qX -v ON_ERROR_STOP=1 -d "$DB" >/dev/null <<SQL
CREATE EXTENSION booking CASCADE;
-- As docs/postgrest.md: an authenticator that becomes a staff role per request.
CREATE ROLE pool_authenticator LOGIN NOINHERIT;
CREATE ROLE pool_staff NOLOGIN;
GRANT pool_staff TO pool_authenticator;
SELECT booking.grant_access('pool_staff', 'staff');
-- A clinic's own login role, bound by the owner to organisation 2.
CREATE ROLE pool_clinic2 LOGIN;
GRANT pool_staff TO pool_clinic2;
SELECT booking.grant_access('pool_clinic2', 'staff');
SELECT booking.bind_role('pool_clinic2', split_part('$ORGS', ',', 2)::uuid);
-- Appointments in each organisation.
SELECT booking.book(split_part('$ORGS', ',', o)::uuid, 'room', '2032-01-01'::timestamptz + i * interval '1 hour')
FROM generate_series(1, 4) o, generate_series(1, 50) i;
SQL

cat >"$WORK/users.txt" <<TXT
"pool_authenticator" ""
"pool_clinic2" ""
TXT
cat >"$WORK/pgbouncer.ini" <<INI
[databases]
$DB = host=$PGHOST port=$PGPORT dbname=$DB

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $WORK/users.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 200
; the default: transaction mode runs no reset query between clients
server_reset_query_always = 0
ignore_startup_parameters = extra_float_digits
logfile = $WORK/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
INI
pgbouncer -d "$WORK/pgbouncer.ini"
for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

(cd "$HERE" && PGBOUNCER_PORT=$port PGDATABASE=$DB ORGS=$ORGS node binding_through_pgbouncer.mjs)
