#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server:
#
#   scripts/with-postgres.sh swift test --filter ChatStoreTests
#
# Installs Debian's `postgresql` when missing (apt-get; sudo when not root), creates a cluster in
# a temporary directory, starts it on a free port of 127.0.0.1 (unix socket in the same
# directory), creates role kchat (password kchat) and database kchat, exports
#   KCHAT_TEST_POSTGRES_URL=postgres://kchat:kchat@127.0.0.1:PORT/kchat?sslmode=disable
# runs the command, then stops the server and deletes the directory, whatever happens.
# Exits with the command's status. Root is fine (the server runs as the `postgres` user).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

log() { echo "with-postgres: $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else log "need root or sudo to install postgresql"; exit 1
    fi
}

find_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/psql" ]; then
        echo "$dir"
    fi
}

BINDIR=$(find_bindir)
if [ -z "$BINDIR" ]; then
    log "installing postgresql (apt-get)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    BINDIR=$(find_bindir)
    [ -n "$BINDIR" ] || { log "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"; exit 1; }
fi

# The server refuses to run as root: as root it runs as the `postgres` system user (created by
# the Debian package), in a directory under /tmp that this user can reach.
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { log "no 'postgres' system user (is the postgresql package installed?)"; exit 1; }
    WORK=$(mktemp -d /tmp/kchat-pg.XXXXXX)
    chown postgres: "$WORK"
    as_pg() { (cd "$WORK" && runuser -u postgres -- "$@"); }
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/kchat-pg.XXXXXX")
    as_pg() { (cd "$WORK" && "$@"); }
fi
chmod 700 "$WORK"

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ -f "$WORK/data/postmaster.pid" ]; then
        as_pg "$BINDIR/pg_ctl" -D "$WORK/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || as_pg "$BINDIR/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo kchat-superuser > "$WORK/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres: "$WORK/pwfile"
as_pg "$BINDIR/initdb" -D "$WORK/data" -U postgres --pwfile="$WORK/pwfile" --no-locale --encoding=UTF8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; log "initdb failed"; exit 1; }
as_pg mkdir -p "$WORK/socket"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PORT=""
for _ in $(seq 1 20); do
    candidate=$((20000 + RANDOM % 40000))
    port_in_use "$candidate" && continue
    if as_pg "$BINDIR/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 60 start -o \
        "-p $candidate -k $WORK/socket -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null 2>&1; then
        PORT=$candidate
        break
    fi
    # Most likely the port was taken between the check and the start: try another one.
    as_pg "$BINDIR/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
done
if [ -z "$PORT" ]; then
    cat "$WORK/server.log" >&2 2>/dev/null || true
    log "could not start the server"
    exit 1
fi

as_pg "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$WORK/socket" -p "$PORT" -U postgres -d postgres \
    -c "CREATE ROLE kchat LOGIN PASSWORD 'kchat'" -c "CREATE DATABASE kchat OWNER kchat" >/dev/null

export KCHAT_TEST_POSTGRES_URL="postgres://kchat:kchat@127.0.0.1:$PORT/kchat?sslmode=disable"
log "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data in $WORK)"

set +e
"$@"
status=$?
set -e
exit "$status"
