# Shared by scripts/setup, scripts/test and Benchmarks/: installs what is missing and runs a
# throwaway PostgreSQL. Source it; it defines functions only.

LAZARUS_PACKAGES=(pkg-config python3 python3-yaml libsqlite3-dev libpq-dev libcairo2-dev fonts-dejavu-core postgresql-15 poppler-utils qpdf sqlite3 prometheus prometheus-alertmanager curl openssl)
LAZARUS_PG_BIN=/usr/lib/postgresql/15/bin

lazarus_log() { printf '==> %s\n' "$*" >&2; }

# Installs the Debian packages the build and tests need, only those missing, with apt-get.
lazarus_install_packages() {
    local missing=()
    for package in "${LAZARUS_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    lazarus_log "installing ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
        sudo=sudo
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Prints a TCP port on 127.0.0.1 that nothing listens on, below the kernel's ephemeral range: a port in that
# range can be taken at any moment by an outgoing connection (a scrape, a libpq session), and a server bound to
# it later fails with "Address already in use" although nothing listened when it was picked.
lazarus_free_port() {
    local port low=32768
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
    [ "$low" -gt 12000 ] || low=32768
    for _ in $(seq 1 200); do
        port=$((10000 + RANDOM % (low - 10000)))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "error: no free port found on 127.0.0.1" >&2
    return 1
}

# Runs a command as the postgres user when we are root (initdb refuses root), as ourselves otherwise.
lazarus_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -s /bin/bash -c "$*"
    else
        bash -c "$*"
    fi
}

# Starts a PostgreSQL 15 cluster in a temporary directory, on a free loopback port, and exports
# LAZARUS_TEST_POSTGRES_URL. The caller must call lazarus_stop_postgres (e.g. from an EXIT trap).
lazarus_start_postgres() {
    LAZARUS_PG_DIR=$(mktemp -d /tmp/lazarus-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$LAZARUS_PG_DIR"
    local port attempt
    lazarus_as_postgres "$LAZARUS_PG_BIN/initdb -D '$LAZARUS_PG_DIR/data' -U postgres -A trust -E UTF8 --no-sync" \
        >"$LAZARUS_PG_DIR/initdb.log" 2>&1 || { cat "$LAZARUS_PG_DIR/initdb.log" >&2; return 1; }
    # Another test may bind the port between the pick and the start: pick again, a few times.
    for attempt in 1 2 3 4 5; do
        port=$(lazarus_free_port) || return 1
        lazarus_log "starting a throwaway PostgreSQL on 127.0.0.1:$port ($LAZARUS_PG_DIR)"
        lazarus_pg_server_start "$LAZARUS_PG_DIR" "$port" 2>"$LAZARUS_PG_DIR/start.err" && break
        grep -q "could not bind\|Address already in use" "$LAZARUS_PG_DIR/start.err" && [ "$attempt" -lt 5 ] && continue
        cat "$LAZARUS_PG_DIR/start.err" >&2
        return 1
    done
    export LAZARUS_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

# Starts the server of a cluster made by lazarus_start_postgres (again, after lazarus_pg_server_stop), on `port`.
# Usage: lazarus_pg_server_start DIR PORT. The exporter's restart test stops and starts its own cluster with these.
lazarus_pg_server_start() {
    local dir=$1 port=$2
    # fsync off: the cluster is thrown away, and tests should not wait on the disk.
    lazarus_as_postgres "$LAZARUS_PG_BIN/pg_ctl -D '$dir/data' -l '$dir/server.log' -w -t 60 \
        -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" \
        >/dev/null || { cat "$dir/server.log" >&2; return 1; }
}

# Stops the server of a cluster as a restart does (fast: sessions are cut, data kept). Usage: lazarus_pg_server_stop DIR.
lazarus_pg_server_stop() {
    lazarus_as_postgres "$LAZARUS_PG_BIN/pg_ctl -D '$1/data' -m fast -w -t 60 stop" >/dev/null
}

lazarus_stop_postgres() {
    [ -n "${LAZARUS_PG_DIR:-}" ] || return 0
    lazarus_as_postgres "$LAZARUS_PG_BIN/pg_ctl -D '$LAZARUS_PG_DIR/data' -m immediate -w stop" >/dev/null 2>&1 || true
    rm -rf "$LAZARUS_PG_DIR"
    LAZARUS_PG_DIR=""
}
