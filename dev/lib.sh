# Shared by dev/run and dev/test: packages, the unprivileged user that runs
# PostgreSQL (initdb refuses root), and throwaway clusters.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The major this machine's packages serve (Debian 12: 15); dev/test runs the
# others in chroots (dev/chroot.sh), where BOOKING_PG_MAJOR names theirs.
HOST_PG_MAJOR=15
PG_MAJOR=${BOOKING_PG_MAJOR:-$HOST_PG_MAJOR}
# BOOKING_PG_BIN: another (relocated) PostgreSQL installation to build, install
# and test against, so two worktrees can run their suites side by side. The
# suites' own scripts read it too.
PG_BIN=${BOOKING_PG_BIN:-/usr/lib/postgresql/$PG_MAJOR/bin}
export BOOKING_PG_BIN=$PG_BIN
export PATH="$PG_BIN:$PATH"
export PG_CONFIG="$PG_BIN/pg_config"

# Debian 12 packages: the build, the server and its headers, the suites' tools,
# and what dev/package builds the Debian package with (installed here, once,
# before anything runs).
PACKAGES=(
    g++ make cmake pkg-config
    "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR"
    libboost-dev libgtest-dev
    "postgresql-$PG_MAJOR-pgtap" libtap-parser-sourcehandler-pgtap-perl
    pgbouncer clang-tidy-14
    build-essential debhelper dpkg-dev postgresql-server-dev-all
)

say() { printf '\n==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    local missing=() p
    # A chroot of dev/chroot.sh was made with what its suites need.
    if [ -n "${BOOKING_IN_CHROOT:-}" ]; then
        return 0
    fi
    for p in "${PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    # Node.js and npm for the suites written against node-postgres; the
    # machine's own Node.js (20) is used when present.
    command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
    if [ ${#missing[@]} -eq 0 ]; then
        echo "all packages present"
        return
    fi
    say "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

# Builds booking warning-free and installs it: with make install, or, with
# BOOKING_INSTALL=package (the chroots of the other majors), as the Debian
# package a user installs (dev/package, then dpkg -i).
build_and_install() {
    if [ "${BOOKING_INSTALL:-}" = package ]; then
        install_package "$ROOT/build-debs"
        return
    fi
    say "building the extension"
    make -C "$ROOT" -j"$(nproc)" WERROR=1 >"$ROOT/build.log" 2>&1 || { cat "$ROOT/build.log"; return 1; }
    if grep -q "warning:" "$ROOT/build.log"; then
        grep "warning:" "$ROOT/build.log"
        echo "the build has warnings"
        return 1
    fi
    say "installing the extension"
    as_root make -C "$ROOT" install >/dev/null
}

install_package() { # install_package OUTDIR
    local out=$1
    say "building and installing the Debian package postgresql-$PG_MAJOR-booking"
    rm -rf "$out"
    "$ROOT/dev/package" "$out" >"$out.log" 2>&1 || { tail -40 "$out.log"; return 1; }
    as_root env DEBIAN_FRONTEND=noninteractive dpkg -i "$out"/postgresql-"$PG_MAJOR"-booking_*.deb
}

# PostgreSQL must not run as root: root hands the work to the postgres user
# (created by the server package); anyone else runs it themselves.
test_user() {
    if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

as_test_user() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- env PATH="$PATH" "$@"
    else
        "$@"
    fi
}

# A copy of the tree the test user owns, so suites can write results anywhere.
make_workdir() {
    local dir
    dir=$(mktemp -d /tmp/booking-work.XXXXXX)
    tar -C "$ROOT" --exclude=./.git --exclude=./build --exclude=./build-asan --exclude=node_modules \
        --exclude=./tool-server/dist -cf - . | tar -C "$dir" -xf -
    chown -R "$(test_user)" "$dir"
    echo "$dir"
}

free_port() {
    local port=${1:-54320}
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

# start_cluster DIR PORT: a throwaway cluster with the library preloaded,
# listening on a Unix socket in DIR and on localhost.
start_cluster() {
    local dir=$1 port=$2
    as_test_user initdb -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat "$ROOT/test/temp.conf" >>"$dir/data/postgresql.conf"
    {
        echo "port = $port"
        echo "unix_socket_directories = '$dir'"
        echo "listen_addresses = 'localhost'"
    } >>"$dir/data/postgresql.conf"
    as_test_user pg_ctl -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
}

stop_cluster() {
    local dir=$1
    [ -d "$dir/data" ] && as_test_user pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
