#!/usr/bin/env bash
# Moving to a new major, as users do it: a PostgreSQL 15 database with
# bookings, holds (one with a code sent, one lapsed and not yet swept), audit
# rows, an event consumer and a bound role holding a profile, moved with
# pg_dumpall --roles-only and pg_dump into 17 or 18, where the dump creates
# the extension. Run as the unprivileged user that runs PostgreSQL.
#
#   run.sh source DUMPFILE     on 15 (PGHOST/PGPORT/PGUSER: a running cluster
#                              reachable on 127.0.0.1 too): makes the database
#                              booking_migrate and writes its dump by 15's
#                              pg_dump to DUMPFILE, what must be found again
#                              to DUMPFILE.expected
#   run.sh target PORT DUMPFILE   on the new major (PATH: its binaries): a
#                              cluster of its own; the 15 database dumped by
#                              this major's pg_dump over 127.0.0.1:PORT (what
#                              PostgreSQL advises) and restored, and DUMPFILE
#                              restored beside it (and DUMPFILE.expected
#                              read); then, where 15's server is installed,
#                              the same moved by pg_upgrade (skipped, saying
#                              why, when the new server refuses a column
#                              option the old one writes: then PostgreSQL's
#                              pg_upgrade fails for any table); the checks as
#                              TAP lines and "# pass N" / "# fail N"
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DB=booking_migrate
ORG=f0000000-0000-0000-0000-000000000001
# The code key both servers are configured with (postgresql.conf), so a code
# sent before the move still verifies after it.
OTP_KEY='migrate-test-key-0123456789abcdef'

# fill DB [PSQL OPTION...]: the database made and filled; its expectations
# (expect.sql's two lines, then the code sent) on standard output.
fill() {
    local db=$1 code
    shift
    code=$(psql -XAtq -v ON_ERROR_STOP=1 -v org="'$ORG'" "$@" -d "$db" -f "$HERE/fill.sql" | tail -1) || return 1
    psql -XAtq -v ON_ERROR_STOP=1 -v org="'$ORG'" "$@" -d "$db" -f "$HERE/expect.sql" || return 1
    echo "$code"
}

source_side() {
    local dumpfile=$1
    set -e
    psql -qX -d postgres -c "ALTER SYSTEM SET booking.otp_key = '$OTP_KEY'" -c "SELECT pg_reload_conf()" >/dev/null
    dropdb --if-exists $DB
    psql -qX -d postgres -c "DROP ROLE IF EXISTS migrate_clinic" >/dev/null
    createdb $DB
    fill $DB >"$dumpfile.expected"
    pg_dump -Fc -f "$dumpfile" $DB
    echo "booking_migrate filled on PostgreSQL $(psql -XAt -d $DB -c 'SHOW server_version'), dumped by its pg_dump"
}

passed=0 failed=0 skipped=0 n=0
check() { # check DESCRIPTION COMMAND...: passes when the command succeeds;
    # what it printed is shown when it fails
    local what=$1 out
    shift
    n=$((n + 1))
    if out=$("$@" 2>&1); then passed=$((passed + 1)); echo "ok $n - $what"
    else
        failed=$((failed + 1))
        echo "not ok $n - $what"
        [ -z "$out" ] || sed 's/^/#   /' <<<"$out" | tail -15
    fi
}
skip() { # skip DESCRIPTION REASON: a check this pair of servers cannot make
    n=$((n + 1)); skipped=$((skipped + 1))
    echo "ok $n - $1 # SKIP $2"
}
same() { # same WANT GOT: equal, and no error on either side
    if [ "$1" = "$2" ] && ! grep -qiE '(^|: )(ERROR|FATAL|error):' <<<"$1$2"; then return 0; fi
    echo "want: $1"
    echo "got:  $2"
    return 1
}

free_port() {
    local p=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
    echo "$p"
}
q() { psql -XAtq -v ON_ERROR_STOP=1 -d "$1" -c "$2" 2>&1; }

# new_cluster DIR BINDIR: a cluster of that major with the library preloaded,
# its worker idling in postgres, the code key of the source, on a socket in
# DIR only.
new_cluster() { # new_cluster DIR BINDIR [INITDB OPTION...]
    local dir=$1 bin=$2
    shift 2
    "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 "$@" >/dev/null
    cat >>"$dir/data/postgresql.conf" <<CONF
shared_preload_libraries = 'booking'
port = $(free_port 55900)
listen_addresses = ''
unix_socket_directories = '$dir'
timezone = 'UTC'
lc_messages = 'C'
booking.database = 'postgres'
booking.expiry_interval = '200ms'
booking.otp_key = '$OTP_KEY'
CONF
}
start() { # start DIR BINDIR: and point libpq at it
    "$2/pg_ctl" -D "$1/data" -l "$1/server.log" -w start >/dev/null
    export PGHOST=$1 PGPORT
    PGPORT=$(sed -nE 's/^port = ([0-9]+)$/\1/p' "$1/data/postgresql.conf" | tail -1)
}
stop() { [ ! -d "$2/data" ] || "$1/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null 2>&1; }

# The rows and the guard of a moved database (LABEL says how it came).
check_rows() { # check_rows DB LABEL VERSION EXPECTED
    local db=$1 label=$2 version=$3 expected=$4
    check "$label: booking $version, as on 15" \
        same "$version" "$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = 'booking'")"
    check "$label: every row kept (reservations, audit, calendars, bindings, consumers, queue)" \
        same "$(sed -n 1p "$expected")" \
             "$(psql -XAtq -v org="'$ORG'" -d "$db" -f "$HERE/expect.sql" 2>&1 | sed -n 1p)"
    check "$label: the guard refuses a booking over a moved one" \
        same slot_unavailable "$(q "$db" "SELECT booking.book('$ORG', 'room', '2031-03-03 09:10Z')->>'error'")"
    check "$label: and a direct INSERT over it (23P01)" \
        same 23P01 "$(q "$db" "DO \$\$ BEGIN
            INSERT INTO booking.reservations (org_id, id, calendar_id, starts_at, ends_at, status)
            VALUES ('$ORG', gen_random_uuid(), 'room', '2031-03-03 09:10Z', '2031-03-03 09:40Z', 'confirmed');
          EXCEPTION WHEN exclusion_violation THEN RAISE EXCEPTION '23P01'; END \$\$" | sed -nE 's/.*ERROR: +//p')"
}

# What lives on in a moved database: the consumer, the code sent (kept by
# pg_upgrade; a dump leaves codes out by design, and the caller is asked for
# a new one), the worker, the bound role and its grants.
check_live() { # check_live DB LABEL dump|pg_upgrade EXPECTED
    local db=$1 label=$2 road=$3 expected=$4 swept=0 tries
    local sent="(SELECT id FROM booking.reservations WHERE caller_ref = 'call-1')"
    local lapsed="(SELECT id FROM booking.reservations WHERE caller_ref = 'call-2')"
    local code
    code=$(sed -n 3p "$expected")
    check "$label: the consumer reads the events recorded on 15" \
        same "$(sed -n 2p "$expected")" \
             "$(q "$db" "SELECT string_agg(e->>'event', ',' ORDER BY e->>'event')
                         FROM jsonb_array_elements(booking.read_events('$ORG', 'front-desk')->'events') e")"
    if [ "$road" = pg_upgrade ]; then
        check "$label: the code sent on 15 confirms its hold" \
            same confirmed "$(q "$db" "SELECT booking.verify_otp('$ORG', $sent, '$code') ->> 'status'")"
    else
        check "$label: the code sent on 15 was not dumped: the caller is asked for a new one" \
            same "otp_not_issued|RESEND_OTP" "$(q "$db" "SELECT a->>'error', a->>'action'
                FROM booking.verify_otp('$ORG', $sent, '$code') a")"
        check "$label: a new code confirms the hold" \
            same confirmed "$(q "$db" "SELECT booking.verify_otp('$ORG', $sent, booking.issue_otp('$ORG', $sent) ->> 'code')
                                       ->> 'status'")"
    fi
    # The hold that lapsed on 15 unswept: the worker, once pointed at the
    # moved database (a reload: it idled while the rows were compared),
    # expires it and writes its audit row.
    q postgres "ALTER SYSTEM SET booking.database = '$db'" >/dev/null
    q postgres "SELECT pg_reload_conf()" >/dev/null
    for tries in $(seq 1 50); do
        swept=$(q "$db" "SELECT count(*) FROM booking.reservations WHERE id = $lapsed AND status = 'expired'")
        [ "$swept" = 1 ] && break
        sleep 0.2
    done
    check "$label: the worker expires the hold that lapsed on 15" same 1 "$swept"
    check "$label: with its audit row" \
        same 1 "$(q "$db" "SELECT count(*) FROM booking.audit_log WHERE entity_id = $lapsed AND action = 'expired'")"
    check "$label: the bound role acts in its organisation only, with its profile's grants" \
        same "t|0|$(q "$db" "SELECT count(*) FROM booking.appointments WHERE org_id = '$ORG'")" \
             "$(q "$db" "SET ROLE migrate_clinic;
                         SELECT booking.current_org_id() = '$ORG', count(*) FILTER (WHERE org_id <> '$ORG'),
                                count(*) FILTER (WHERE org_id = '$ORG') FROM booking.appointments")"
    check "$label: and books there" \
        same true "$(q "$db" "SET ROLE migrate_clinic; SELECT booking.book('$ORG', 'room', '2031-03-04 09:00Z')->>'success'")"
}
# The dump's road: pg_dumpall --roles-only and pg_dump of this major over
# TCP, and 15's own dump beside it.
by_dump() { # by_dump SOURCE_PORT OLD_DUMP VERSION WORK MAJOR
    local source_port=$1 old_dump=$2 version=$3 work=$4 major=$5
    local src=(-h 127.0.0.1 -p "$source_port" -U postgres)
    mkdir -p "$work/dump"
    new_cluster "$work/dump" "$BIN"
    start "$work/dump" "$BIN"
    # The roles first (the one error, "role postgres already exists", is
    # every such move's).
    pg_dumpall "${src[@]}" --roles-only | psql -qX -d postgres >/dev/null 2>&1
    check "pg_dumpall --roles-only of 15 made the roles on $major" \
        same 1 "$(q postgres "SELECT count(*) FROM pg_roles WHERE rolname = 'migrate_clinic'")"
    pg_dump "${src[@]}" -Fc -f "$work/new.dump" $DB
    createdb $DB
    check "pg_dump $major of the 15 database restores (pg_restore --exit-on-error)" \
        pg_restore --exit-on-error -d $DB "$work/new.dump"
    createdb ${DB}_old
    check "15's pg_dump of it restores into $major too" \
        pg_restore --exit-on-error -d ${DB}_old "$old_dump"
    check_rows $DB "dump of $major" "$version" "$old_dump.expected"
    check_rows ${DB}_old "dump of 15" "$version" "$old_dump.expected"
    check_live $DB "dump of $major" dump "$old_dump.expected"
    q ${DB}_old "SELECT booking.unbind_role('migrate_clinic'); SELECT booking.revoke_access('migrate_clinic')" >/dev/null
    q $DB "SELECT booking.unbind_role('migrate_clinic'); SELECT booking.revoke_access('migrate_clinic')" >/dev/null
    check "after revoke_access in both, the role can be dropped" same "" "$(q postgres "DROP ROLE migrate_clinic")"
    stop "$BIN" "$work/dump"
}

# pg_upgrade's road, where this environment has 15's server and booking
# built for it (as a Debian system keeps postgresql-15 after its upgrade).
by_pg_upgrade() { # by_pg_upgrade OLD_BIN VERSION WORK MAJOR
    local old_bin=$1 version=$2 work=$3 major=$4
    mkdir -p "$work/old" "$work/new" "$work/run"
    new_cluster "$work/old" "$old_bin"
    start "$work/old" "$old_bin"
    "$old_bin/createdb" $DB
    fill $DB >"$work/old.expected"
    local old_version options
    old_version=$(q $DB "SHOW server_version")
    options=$(q $DB "SELECT DISTINCT o.option_name FROM pg_attribute a, pg_options_to_table(a.attoptions) o
                     WHERE a.attrelid = 'booking.reservations'::regclass")
    stop "$old_bin" "$work/old"
    # 18's initdb turns data checksums on; pg_upgrade needs the old cluster's
    # setting (off, as 15's initdb left it).
    local checksums=()
    [ "$major" -lt 18 ] || checksums=(--no-data-checksums)
    new_cluster "$work/new" "$BIN" "${checksums[@]}"
    # pg_upgrade restores every column's attribute options; an option the old
    # minor writes on every column and the new one does not know fails it for
    # any database with a table, booking's or not (15.20's pg_attver, which
    # forky's 18.6 refuses). Asked of the new server before, not guessed
    # from a failure after.
    local refused
    refused=$(refused_options "$work/new" "$options")
    if [ -n "$refused" ]; then
        skip "pg_upgrade from 15 to $major" "PostgreSQL $(server_version "$work/new") refuses the column option(s) $refused that $old_version writes on every column of every table: PostgreSQL's pg_upgrade between these minors fails for any database with a table"
        return 0
    fi
    check "pg_upgrade from 15 to $major" \
        bash -c "cd '$work/run' && '$BIN/pg_upgrade' -b '$old_bin' -B '$BIN' -d '$work/old/data' -D '$work/new/data' \
                 -U postgres >'$work/pg_upgrade.log' 2>&1 ||
                 { tail -4 '$work/pg_upgrade.log'; grep -ahE -B1 'ERROR|FATAL' '$work/new/data/pg_upgrade_output.d/'*/log/* | tail -8; exit 1; }"
    start "$work/new" "$BIN"
    check_rows $DB "pg_upgrade" "$version" "$work/old.expected"
    check_live $DB "pg_upgrade" pg_upgrade "$work/old.expected"
    q $DB "SELECT booking.unbind_role('migrate_clinic'); SELECT booking.revoke_access('migrate_clinic')" >/dev/null
    check "pg_upgrade: after revoke_access the role can be dropped" same "" "$(q postgres "DROP ROLE migrate_clinic")"
    stop "$BIN" "$work/new"
}

# refused_options DIR OPTIONS: those of the column options (one a line) a
# table of the server in DIR refuses.
refused_options() {
    local dir=$1 options=$2 option refused=()
    start "$dir" "$BIN"
    for option in $options; do
        q postgres "CREATE TEMP TABLE probe (a int); ALTER TABLE probe ALTER COLUMN a SET ($option = 1)" \
            >/dev/null || refused+=("$option")
    done
    stop "$BIN" "$dir"
    echo "${refused[*]}"
}
server_version() { "$BIN/postgres" --version | sed -E 's/^postgres \(PostgreSQL\) //'; }

target_side() {
    local source_port=$1 old_dump=$2 work major version old_bin=/usr/lib/postgresql/15/bin
    work=$(mktemp -d /tmp/booking-migrate.XXXXXX)
    BIN=$(pg_config --bindir)
    major=$(pg_config --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
    trap 'for d in dump new; do stop "$BIN" "$work/$d"; done; stop "$old_bin" "$work/old"; rm -rf "$work"' EXIT
    version=$(psql -XAt -h 127.0.0.1 -p "$source_port" -U postgres -d $DB \
        -c "SELECT extversion FROM pg_extension WHERE extname = 'booking'")
    by_dump "$source_port" "$old_dump" "$version" "$work" "$major"
    if [ -x "$old_bin/postgres" ] && [ -f /usr/lib/postgresql/15/lib/booking.so ]; then
        by_pg_upgrade "$old_bin" "$version" "$work" "$major"
    else
        echo "# no PostgreSQL 15 with booking here: pg_upgrade not tried"
    fi
    if [ "$failed" -gt 0 ]; then
        for d in dump old new; do
            [ -f "$work/$d/server.log" ] || continue
            echo "# $d server's log:"
            sed 's/^/#   /' "$work/$d/server.log" | tail -15
        done
    fi
    echo "# pass $passed"
    echo "# fail $failed"
    echo "# skip $skipped"
    [ "$failed" -eq 0 ]
}

case ${1:-} in
source) source_side "$2" ;;
target) target_side "$2" "$3" ;;
*) echo "usage: $0 source DUMPFILE | target PORT DUMPFILE" >&2; exit 2 ;;
esac
