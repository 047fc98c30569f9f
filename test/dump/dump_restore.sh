#!/usr/bin/env bash
# pg_dump / pg_restore of a database keeps every reservation and audit row:
# the extension's tables are marked with pg_extension_config_dump. Checked in
# the custom format (pg_restore) and the plain format (psql), by comparing a
# digest of every row, and by booking against the restored data.
# Connection: PGHOST/PGPORT/PGUSER.
set -euo pipefail
src=booking_dump_src
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for db in $src booking_dump_custom booking_dump_plain; do dropdb --if-exists "$db" >/dev/null 2>&1 || true; done
createdb $src
psql -qX -v ON_ERROR_STOP=1 -d $src <<'SQL' >/dev/null
CREATE EXTENSION booking CASCADE;
SELECT booking.book(('d0000000-0000-0000-0000-00000000000' || (n % 3))::uuid, 'cal-' || (n % 4),
                    '2030-01-07 08:00Z'::timestamptz + n * interval '1 hour', '45 minutes',
                    notes => 'note ' || n, metadata => jsonb_build_object('n', n))
FROM generate_series(1, 200) n;
SELECT booking.claim_slot('d0000000-0000-0000-0000-000000000001', 'cal-9',
                          '2030-02-01 08:00Z'::timestamptz + n * interval '30 minutes',
                          caller_ref => 'call-' || n, patient_name => 'P' || n)
FROM generate_series(1, 50) n;
SELECT booking.cancel_appointment(org_id, id, 'r', erase_pii => n % 2 = 0)
FROM (SELECT org_id, id, row_number() OVER (ORDER BY id) n FROM booking.reservations WHERE status = 'confirmed' LIMIT 20) a;
SELECT booking.release_hold(org_id, id) FROM booking.reservations WHERE status = 'held' AND caller_ref LIKE 'call-1%';
SQL

digest() {
    psql -X -At -d "$1" -v ON_ERROR_STOP=1 <<'SQL'
SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY org_id, id)) FROM booking.reservations t;
SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY org_id, id)) FROM booking.audit_log t;
SQL
}
want=$(digest $src)

pg_dump -Fc -f "$tmp/db.dump" $src
createdb booking_dump_custom
pg_restore --exit-on-error -d booking_dump_custom "$tmp/db.dump"
pg_dump -Fp -f "$tmp/db.sql" $src
createdb booking_dump_plain
psql -qX -v ON_ERROR_STOP=1 -d booking_dump_plain -f "$tmp/db.sql" >/dev/null

fail=0
for db in booking_dump_custom booking_dump_plain; do
    got=$(digest $db)
    if [ "$got" != "$want" ]; then
        echo "FAIL: $db differs from the source"
        echo "want: $want"
        echo "got:  $got"
        fail=1
    fi
    # The restored rows are live data: the constraint and the functions see them.
    answer=$(psql -X -At -d $db -c "SELECT booking.book('d0000000-0000-0000-0000-000000000001', 'cal-1', '2030-01-07 08:00Z'::timestamptz + 25 * interval '1 hour')->>'error'")
    if [ "$answer" != slot_unavailable ]; then
        echo "FAIL: $db: booking over a restored appointment answered '$answer'"
        fail=1
    fi
done
echo "rows (reservations, audit): $(echo "$want" | cut -d: -f1 | paste -sd, -)"
for db in $src booking_dump_custom booking_dump_plain; do dropdb "$db"; done
[ $fail -eq 0 ] && echo "dump-restore: every row kept, in both formats"
exit $fail
