#!/usr/bin/env bash
# A hot standby, and its promotion: a primary with booking preloaded streams
# to a standby made by pg_basebackup; on the standby booking's readers answer
# from the replicated rows, its writers refuse as read-only (25006) and change
# nothing, and no worker of booking runs; once promoted, the launcher and the
# expiry worker start, sweep the hold that lapsed on the primary (with its
# audit row), the code sent on the primary confirms its hold, and new
# bookings are guarded against the ones made there. Clusters of its own, on
# sockets in a directory of its own; the binaries on PATH (pg_config). Run as
# the unprivileged user that runs PostgreSQL. TAP lines, then "# pass N" and
# "# fail N".
set -uo pipefail
ORG=e0000000-0000-0000-0000-000000000001
BIN=$(pg_config --bindir)
WORK=$(mktemp -d /tmp/booking-standby.XXXXXX)
passed=0 failed=0 n=0

check() { # check DESCRIPTION WANT GOT
    n=$((n + 1))
    if [ "$2" = "$3" ]; then
        passed=$((passed + 1)); echo "ok $n - $1"
    else
        failed=$((failed + 1)); echo "not ok $n - $1"
        echo "#   want: $2"; echo "#   got:  $3" | head -5
    fi
}

free_port() {
    local p=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || [ -e "$WORK/.s.PGSQL.$p" ]; do p=$((p + 1)); done
    echo "$p"
}
PRIMARY=$(free_port 56300)
q() { # q PORT SQL: the answer, or "ERROR <sqlstate>" (psql's VERBOSITY sqlstate)
    psql -XAtq -h "$WORK" -p "$1" -d postgres -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate -c "$2" 2>&1 |
        sed -E 's/^ERROR: +([0-9A-Z]{5})$/ERROR \1/'
}
wait_for() { # wait_for PORT SQL WANT: polls for up to 30 s; prints the last answer
    local got i
    for i in $(seq 150); do
        got=$(q "$1" "$2")
        [ "$got" = "$3" ] && break
        sleep 0.2
    done
    echo "$got"
}
stop() { [ ! -d "$WORK/$1" ] || "$BIN/pg_ctl" -D "$WORK/$1" -m fast -w stop >/dev/null 2>&1; }
trap 'stop standby; stop primary; rm -rf "$WORK"' EXIT

# The primary's expiry worker idles (booking.database is empty), so a hold
# that lapses there is left for the promoted standby to sweep.
"$BIN/initdb" -D "$WORK/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$WORK/primary/postgresql.conf" <<CONF
port = $PRIMARY
listen_addresses = ''
unix_socket_directories = '$WORK'
shared_preload_libraries = 'booking'
booking.database = ''
booking.expiry_interval = '200ms'
booking.otp_key = 'standby-test-key-0123456789abcdef'
timezone = 'UTC'
lc_messages = 'C'
CONF
"$BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null
q "$PRIMARY" "CREATE EXTENSION booking" >/dev/null
q "$PRIMARY" "SELECT booking.book('$ORG', 'room', '2031-03-03 09:00Z')" >/dev/null
q "$PRIMARY" "SELECT booking.claim_slot('$ORG', 'room', '2031-03-03 11:00Z', caller_ref => 'lapsed', ttl => '1 second')" >/dev/null
code=$(q "$PRIMARY" "SET booking.otp_ttl = '1h';
    SELECT booking.issue_otp('$ORG', (booking.claim_slot('$ORG', 'room', '2031-03-03 10:00Z', caller_ref => 'sent',
                                                        patient_phone => '+15550100', ttl => '1 hour')->>'hold_id')::uuid)
           ->> 'code'")
sleep 1.2

STANDBY=$(free_port $((PRIMARY + 1)))
"$BIN/pg_basebackup" -h "$WORK" -p "$PRIMARY" -U postgres -D "$WORK/standby" -R >/dev/null
printf "port = %s\nbooking.database = 'postgres'\n" "$STANDBY" >>"$WORK/standby/postgresql.conf"
"$BIN/pg_ctl" -D "$WORK/standby" -l "$WORK/standby.log" -w start >/dev/null
# A booking made after the copy arrives by streaming.
q "$PRIMARY" "SELECT booking.book('$ORG', 'room', '2031-03-03 12:00Z')" >/dev/null
lsn=$(q "$PRIMARY" "SELECT pg_current_wal_lsn()")

check "the standby is in recovery" t "$(q "$STANDBY" "SELECT pg_is_in_recovery()")"
check "the standby replays a booking made after its copy" t \
    "$(wait_for "$STANDBY" "SELECT pg_last_wal_replay_lsn() >= '$lsn'" t)"
check "on the standby, the appointments made on the primary are read" 2 \
    "$(q "$STANDBY" "SELECT count(*) FROM booking.appointments WHERE org_id = '$ORG'")"
check "on the standby, hold_status answers the lapsed hold as expired" expired \
    "$(q "$STANDBY" "SELECT booking.hold_status('$ORG', id) ->> 'status' FROM booking.reservations WHERE caller_ref = 'lapsed'")"
check "on the standby, free_slots offers the times around the booked one, not it" "08:30|09:30" \
    "$(q "$STANDBY" "SELECT string_agg(to_char(starts_at, 'HH24:MI'), '|' ORDER BY starts_at)
                     FROM booking.free_slots('$ORG', 'room', '2031-03-03 08:30Z', '2031-03-03 10:00Z', '30 minutes')")"
check "on the standby, booking.stats() reads" t "$(q "$STANDBY" "SELECT (booking.stats()).preloaded")"
check "on the standby, book refuses as read-only (25006)" "ERROR 25006" \
    "$(q "$STANDBY" "SELECT booking.book('$ORG', 'room', '2031-03-04 09:00Z')")"
check "on the standby, claim_slot refuses as read-only (25006)" "ERROR 25006" \
    "$(q "$STANDBY" "SELECT booking.claim_slot('$ORG', 'room', '2031-03-04 10:00Z')")"
check "on the standby, no worker of booking runs" 0 \
    "$(q "$STANDBY" "SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'booking%'")"
check "on the standby, the lapsed hold is still unswept" held \
    "$(q "$STANDBY" "SELECT status FROM booking.reservations WHERE caller_ref = 'lapsed'")"

stop primary
"$BIN/pg_ctl" -D "$WORK/standby" -w promote >/dev/null
check "promoted" f "$(wait_for "$STANDBY" "SELECT pg_is_in_recovery()" f)"
check "after promotion, the launcher and the expiry worker start" 2 \
    "$(wait_for "$STANDBY" "SELECT count(*) FROM pg_stat_activity WHERE backend_type IN ('booking launcher', 'booking expiry worker')" 2)"
check "after promotion, the worker expires the hold that lapsed on the primary" expired \
    "$(wait_for "$STANDBY" "SELECT status FROM booking.reservations WHERE caller_ref = 'lapsed'" expired)"
check "with its audit row" 1 \
    "$(q "$STANDBY" "SELECT count(*) FROM booking.audit_log a JOIN booking.reservations r ON r.id = a.entity_id
                     WHERE r.caller_ref = 'lapsed' AND a.action = 'expired'")"
check "after promotion, the code sent on the primary confirms its hold" confirmed \
    "$(q "$STANDBY" "SELECT booking.verify_otp('$ORG', id, '$code') ->> 'status' FROM booking.reservations WHERE caller_ref = 'sent'")"
check "after promotion, a booking over one made on the primary is refused" slot_unavailable \
    "$(q "$STANDBY" "SELECT booking.book('$ORG', 'room', '2031-03-03 12:10Z') ->> 'error'")"
check "after promotion, a free slot books" true \
    "$(q "$STANDBY" "SELECT booking.book('$ORG', 'room', '2031-03-04 09:00Z') ->> 'success'")"

if [ "$failed" -gt 0 ]; then
    for log in primary standby; do
        echo "# $log server's log:"
        sed 's/^/#   /' "$WORK/$log.log" | tail -15
    done
fi
echo "# pass $passed"
echo "# fail $failed"
[ "$failed" -eq 0 ]
