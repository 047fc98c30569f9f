# The PostgreSQL majors besides the host's (Debian 12: 15), each in a chroot
# of the Debian release that ships it, made with debootstrap from Debian's
# archive: 17 in trixie (Debian 13), 18 in forky. Sourced by dev/test, which
# runs as root here (debootstrap, chroot and mount need it).
#
# A chroot is made once (about 6 minutes, 2 GB) and kept as a tarball in
# $BOOKING_CHROOT_CACHE (default /var/cache/booking/chroots), named by a hash
# of what it holds (its release, its packages, this recipe, the Citus source):
# a change to any of them makes a new one. Each run unpacks a fresh copy
# (seconds) into memory and drops it at the end, so no run sees another's
# leftovers. Its mounts: its root (a tmpfs), /proc and a tmpfs on /dev/shm
# (PostgreSQL's shared memory); it loses them, and every process still
# running inside it, on every exit path (chroot_discard).

CHROOT_CACHE=${BOOKING_CHROOT_CACHE:-/var/cache/booking/chroots}
CITUS_TARBALL="$ROOT/../shared/vendor/citus-v13.2.2.tar.gz"

# The majors a chroot serves, and the release that ships each.
CHROOT_MAJORS=(17 18)
chroot_release() {
    case $1 in
    17) echo trixie ;;
    18) echo forky ;;
    *) return 1 ;;
    esac
}

# Citus 13.2 supports PostgreSQL 15 to 17; 18 needs Citus 14, not vendored.
citus_supports() { [ "$1" -le 17 ]; }

# What the suites need inside: the server and its headers, pg_buildext (the
# Debian package is built and installed there), pgTAP and pg_prove, the C++
# build, and Citus's build dependencies where the Citus suite runs. (And the
# machine's own major, from the machine's release: chroot_make.)
chroot_packages() {
    local major=$1
    echo "postgresql-$major postgresql-server-dev-$major postgresql-server-dev-all"
    echo "postgresql-$major-pgtap libtap-parser-sourcehandler-pgtap-perl"
    echo "g++ make libboost-dev debhelper dpkg-dev"
    if citus_supports "$major"; then
        echo "autoconf bison flex gcc libicu-dev libkrb5-dev liblz4-dev libpam0g-dev libreadline-dev"
        echo "libselinux1-dev libssl-dev libxml2-dev libxslt1-dev libzstd-dev zlib1g-dev"
    fi
}

# The host's own Debian archive (its apt sources), so the chroots come from
# where the machine's packages come from.
debian_mirror() {
    local uri
    uri=$(grep -hsE '^(URIs:|deb) ' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
        /etc/apt/sources.list.d/*.list 2>/dev/null | grep -oE 'https?://[^ ]+/debian/?' |
        grep -v security | head -1 || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

# And its security archive, where the machine's own major gets its updates.
debian_security_mirror() {
    local uri
    uri=$(grep -hsE '^(URIs:|deb) ' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
        /etc/apt/sources.list.d/*.list 2>/dev/null | grep -oE 'https?://[^ ]+/debian-security/?' |
        head -1 || true)
    echo "${uri:-http://deb.debian.org/debian-security}"
}

chroot_key() { # chroot_key MAJOR: what the chroot's tarball is named by
    local major=$1
    {
        chroot_release "$major"
        chroot_packages "$major"
        declare -f chroot_make chroot_mount
        if citus_supports "$major"; then sha256sum <"$CITUS_TARBALL"; cat "$ROOT/dev/citus-build"; fi
    } | sha256sum | cut -c1-12
}

chroot_tarball() { echo "$CHROOT_CACHE/$(chroot_release "$1")-pg$1-$(chroot_key "$1").tar.zst"; }

chroot_mount() { # chroot_mount DIR
    local dir=$1
    mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
    mountpoint -q "$dir/dev/shm" || mount -t tmpfs -o mode=1777,size=2g shm "$dir/dev/shm"
}

# Stops every process whose root is DIR (a server a suite left running, say),
# unmounts what chroot_mount mounted and DIR's own tmpfs (chroot_root), and
# removes DIR. Safe to call twice.
chroot_discard() { # chroot_discard DIR
    local dir=$1 pid root tries
    [ -d "$dir" ] || return 0
    for tries in 1 2 3 4 5; do
        local left=()
        for pid in /proc/[0-9]*; do
            root=$(readlink "$pid/root" 2>/dev/null) || continue
            [ "$root" = "$dir" ] && left+=("${pid#/proc/}")
        done
        [ ${#left[@]} -eq 0 ] && break
        kill "$([ "$tries" -lt 4 ] && echo -TERM || echo -KILL)" "${left[@]}" 2>/dev/null || true
        sleep 1
    done
    local m
    for m in dev/shm proc; do
        mountpoint -q "$dir/$m" && { umount "$dir/$m" 2>/dev/null || umount -l "$dir/$m"; }
    done
    if mountpoint -q "$dir/proc" || mountpoint -q "$dir/dev/shm"; then
        echo "chroot_discard: $dir still has mounts; left in place" >&2
        return 1
    fi
    mountpoint -q "$dir" && { umount "$dir" 2>/dev/null || umount -l "$dir"; }
    rm -rf --one-file-system "$dir"
}

# A chroot lives in memory: a tmpfs of its own as its root, which unpacks,
# runs its suites and goes away faster than 2 GB on disk (the machine has
# 24 GB), and cannot outlive the run's unmount.
chroot_root() { # chroot_root DIR
    mkdir -p "$1"
    mount -t tmpfs -o mode=755,size=8g "booking-chroot" "$1"
}

# Makes the chroot for MAJOR in DIR from Debian's archive.
chroot_make() { # chroot_make MAJOR DIR
    local major=$1 dir=$2 release script=
    release=$(chroot_release "$major")
    # debootstrap of Debian 12 has no script named forky: it is sid's.
    [ -e "/usr/share/debootstrap/scripts/$release" ] || script=/usr/share/debootstrap/scripts/sid
    debootstrap --variant=minbase "$release" "$dir" "$(debian_mirror)" $script
    # The servers are the suites' own: no cluster made, nothing started, by
    # the packages.
    mkdir -p "$dir/etc/postgresql-common"
    echo "create_main_cluster = false" >"$dir/etc/postgresql-common/createcluster.conf"
    printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
    chmod +x "$dir/usr/sbin/policy-rc.d"
    # The archive reached here may be a dated snapshot, whose testing Release
    # (forky's) is past its Valid-Until: it is still what was signed.
    echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99booking-snapshot"
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    chroot_mount "$dir"
    # shellcheck disable=SC2046
    chroot "$dir" env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 sh -c \
        "apt-get update -qq && apt-get install -y -qq --no-install-recommends $(chroot_packages "$major" | tr '\n' ' ')" \
        </dev/null
    # The machine's own major too, from its own release (as a Debian system
    # keeps its old postgresql-NN through a release upgrade), for pg_upgrade
    # from it: that release's archive, below the chroot's own in priority,
    # with its updates, so its server is the minor release the machine's
    # build of booking was made against (a library built against a later
    # minor may need symbols an earlier one lacks).
    local host_release
    host_release=$(. /etc/os-release && echo "$VERSION_CODENAME")
    {
        echo "deb $(debian_mirror) $host_release main"
        echo "deb $(debian_mirror) $host_release-updates main"
        echo "deb $(debian_security_mirror) $host_release-security main"
    } >"$dir/etc/apt/sources.list.d/$host_release.list"
    printf 'Package: *\nPin: release n=%s\nPin-Priority: 100\n\n' \
        "$host_release" "$host_release-updates" "$host_release-security" \
        >"$dir/etc/apt/preferences.d/$host_release"
    chroot "$dir" env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 sh -c \
        "apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql-$HOST_PG_MAJOR" \
        </dev/null
    if citus_supports "$major"; then
        mkdir -p "$dir/opt/citus-build"
        cp "$ROOT/dev/citus-build" "$CITUS_TARBALL" "$dir/opt/citus-build/"
        chroot "$dir" env PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" \
            /opt/citus-build/citus-build /opt/citus-build/citus-v13.2.2.tar.gz </dev/null
        rm -rf "$dir/opt/citus-build"
    fi
    chroot "$dir" apt-get clean
    rm -rf "$dir/var/lib/apt/lists/"*
    umount "$dir/dev/shm" "$dir/proc"
}

# Puts a fresh chroot for MAJOR in DIR: unpacked from the cache, or made and
# cached first.
chroot_prepare() { # chroot_prepare MAJOR DIR
    local major=$1 dir=$2 tarball
    tarball=$(chroot_tarball "$major")
    if [ ! -f "$tarball" ]; then
        say "making the PostgreSQL $major chroot ($(chroot_release "$major"), once; cached as $tarball)"
        local fresh="$dir.making"
        chroot_discard "$fresh"
        chroot_root "$fresh"
        if ! chroot_make "$major" "$fresh" >"$dir.make.log" 2>&1; then
            tail -30 "$dir.make.log"
            chroot_discard "$fresh"
            return 1
        fi
        mkdir -p "$CHROOT_CACHE"
        rm -f "$CHROOT_CACHE/$(chroot_release "$major")-pg$major-"*.tar.zst
        tar -C "$fresh" --numeric-owner -cf - . | zstd -q -T0 -3 -o "$tarball.part"
        mv "$tarball.part" "$tarball"
        chroot_discard "$fresh"
    fi
    chroot_root "$dir"
    zstd -q -d -c "$tarball" | tar -C "$dir" --numeric-owner -xf -
}
