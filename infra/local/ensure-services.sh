#!/usr/bin/env bash
# Makes sure the real services the test suite talks to are up (see test/support/services.ts):
# Redis on 127.0.0.1:6379, PostgreSQL on 127.0.0.1:5432 with database `test`, a Prometheus
# Pushgateway on 127.0.0.1:9091, VictoriaMetrics on 127.0.0.1:8428 (the second metrics push target,
# data under .data/victoria-metrics), PgBouncer on 127.0.0.1:6432 (transaction pooling in front of that
# PostgreSQL, as Neon's pooled `-pooler` endpoint is), plus the tools `promtool` and `unzip` (package test)
# the Lambda runtime client (infra/lambda-runtime/, the zips' runtime test) and Debian's Chromium at
# /usr/bin/chromium with an emoji font (the web dashboard's browser tests drive it with playwright-core; no
# browser download; the font only makes the screenshots show sources' emoji). Starts what is installed but stopped, installs
# what is missing when it can (root on Debian), otherwise says exactly what to do. Idempotent and
# quick when everything already runs, so `npm test` can call it every time.
#
# Usage: ensure-services.sh [redis] [postgres] [pushgateway] [victoria-metrics] [pgbouncer] [promtool] [unzip] [lambda-runtime] [chromium]   (default: all)
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_DIR="$ROOT/.data"
HOST=127.0.0.1
REDIS_PORT=6379
PG_PORT=5432
PUSHGATEWAY_PORT=9091
PGBOUNCER_PORT=6432
PGBOUNCER_DIR="$DATA_DIR/pgbouncer"
VICTORIA_METRICS_PORT=8428
WAIT_SECONDS=15
POLICY_RC=/usr/sbin/policy-rc.d

# Debian package that provides each service (promtool ships in `prometheus`).
# The Lambda runtime client is built from npm with the machine's toolchain (autoconf… for its curl).
declare -A PACKAGE=([redis]=redis-server [postgres]=postgresql [pushgateway]=prometheus-pushgateway [victoria-metrics]=victoria-metrics [pgbouncer]=pgbouncer [promtool]=prometheus [unzip]=unzip
  [lambda-runtime]="autoconf automake libtool cmake make g++ python3" [chromium]="chromium fonts-noto-color-emoji")

die() {
  printf 'ensure-services: %s\n' "$*" >&2
  exit 1
}

port_open() {
  # bash's /dev/tcp needs no extra tool; a closed local port is refused at once.
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

redis_up() {
  if command -v redis-cli >/dev/null; then
    [[ "$(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
  else
    port_open "$REDIS_PORT"
  fi
}

postgres_up() {
  # An open port is not enough: during startup PostgreSQL listens but refuses queries.
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h "$HOST" -p "$PG_PORT"
  else
    port_open "$PG_PORT"
  fi
}

pushgateway_up() { port_open "$PUSHGATEWAY_PORT"; }

pgbouncer_up() { port_open "$PGBOUNCER_PORT"; }

lambda-runtime_up() { bash "$ROOT/infra/lambda-runtime/ensure.sh" --check; }

victoria-metrics_up() { port_open "$VICTORIA_METRICS_PORT"; }

promtool_up() { command -v promtool >/dev/null; }

unzip_up() { command -v unzip >/dev/null; }

chromium_up() { [[ -x /usr/bin/chromium ]]; }

installed() {
  case "$1" in
    redis) command -v redis-server >/dev/null ;;
    postgres) command -v pg_ctlcluster >/dev/null && [[ -n "$(ls -A /etc/postgresql 2>/dev/null)" ]] ;;
    pushgateway) command -v prometheus-pushgateway >/dev/null ;;
    pgbouncer) command -v pgbouncer >/dev/null ;;
    lambda-runtime) command -v autoreconf >/dev/null && command -v libtoolize >/dev/null && command -v cmake >/dev/null && command -v g++ >/dev/null ;;
    victoria-metrics) command -v victoria-metrics >/dev/null ;;
    promtool) command -v promtool >/dev/null ;;
    unzip) command -v unzip >/dev/null ;;
    chromium) [[ -x /usr/bin/chromium && -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]] ;;
  esac
}

install_packages() {
  [[ -f /etc/debian_version && "$(id -u)" -eq 0 ]] ||
    die "missing: $*. Install them (\`sudo apt-get install -y $*\` on Debian/Ubuntu; promtool ships in prometheus, /usr/bin/chromium in chromium) or rerun this script as root, which installs them."
  # Keep the packages' own init scripts from starting services: in a container without an init
  # system that start fails and aborts the install. We start each service ourselves below.
  if [[ ! -e "$POLICY_RC" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC"
    chmod +x "$POLICY_RC"
    trap 'rm -f "$POLICY_RC"' EXIT
  fi
  apt-get update -qq
  # Nothing the suite needs comes from Recommends; skipping them keeps the install small.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Called only right after we installed PostgreSQL ourselves, never on an existing setup: a fresh
# Debian cluster wants a password over TCP, while this throw-away test database uses trust auth.
trust_local_connections() {
  local hba
  hba="/etc/postgresql/$(pg_version)/main/pg_hba.conf"
  printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' 'host all all ::1/128 trust' >"$hba"
  # Only if a package script already started it; otherwise the start below reads the new file.
  if postgres_up; then pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main reload; fi
}

pg_version() {
  # The newest installed major version, should an upgrade have left an older one behind.
  ls /etc/postgresql | sort -V | tail -n 1
}

start() {
  case "$1" in
    redis)
      mkdir -p /var/lib/redis /var/log/redis &&
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
          --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
      ;;
    postgres)
      pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main start
      ;;
    pushgateway)
      mkdir -p "$DATA_DIR" || return
      # Detached in its own session, output to a file: it must outlive this script and must not
      # hold the caller's stdout open (npm and CI would wait on it forever).
      setsid nohup prometheus-pushgateway --web.listen-address="$HOST:$PUSHGATEWAY_PORT" \
        --persistence.file="$DATA_DIR/pushgateway.data" --web.enable-admin-api \
        >>"$DATA_DIR/pushgateway.log" 2>&1 </dev/null &
      PUSHGATEWAY_PID=$!
      ;;
    pgbouncer)
      start_pgbouncer
      ;;
    lambda-runtime)
      bash "$ROOT/infra/lambda-runtime/ensure.sh"
      ;;
    victoria-metrics)
      mkdir -p "$DATA_DIR/victoria-metrics" || return
      # Its own data dir under .data/ (Debian's default is /var/lib); samples queryable at once
      # (no 30 s latency offset), a week kept: tests and the simulation read what they just pushed.
      setsid nohup victoria-metrics -httpListenAddr="$HOST:$VICTORIA_METRICS_PORT" \
        -storageDataPath="$DATA_DIR/victoria-metrics" -retentionPeriod=7d -search.latencyOffset=0s \
        >>"$DATA_DIR/victoria-metrics.log" 2>&1 </dev/null &
      VICTORIA_METRICS_PID=$!
      ;;
  esac
}

# Neon's pooled endpoint is PgBouncer in transaction mode; this one is configured alike (a server
# connection per transaction, no startup parameter beyond the ones PgBouncer tracks) so what works
# through it works through Neon's. PgBouncer refuses to run as root: it runs as `postgres`.
start_pgbouncer() {
  mkdir -p "$PGBOUNCER_DIR" || return
  printf '"postgres" ""\n' >"$PGBOUNCER_DIR/users.txt"
  cat >"$PGBOUNCER_DIR/pgbouncer.ini" <<INI
[databases]
* = host=$HOST port=$PG_PORT

[pgbouncer]
listen_addr = $HOST
listen_port = $PGBOUNCER_PORT
auth_type = trust
auth_file = $PGBOUNCER_DIR/users.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 10
query_wait_timeout = 120
logfile = $PGBOUNCER_DIR/pgbouncer.log
pidfile = $PGBOUNCER_DIR/pgbouncer.pid
INI
  chown -R postgres "$PGBOUNCER_DIR" 2>/dev/null || true
  local as_user=()
  if [[ "$(id -u)" -eq 0 ]]; then as_user=(-u postgres); fi
  pgbouncer -d -q "${as_user[@]}" "$PGBOUNCER_DIR/pgbouncer.ini"
}

how_to_start() {
  case "$1" in
    redis) echo "redis-server --daemonize yes --bind 127.0.0.1 --port $REDIS_PORT --save ''" ;;
    postgres) echo "sudo pg_ctlcluster --skip-systemctl-redirect $(pg_version) main start" ;;
    pushgateway) echo "prometheus-pushgateway --web.listen-address=$HOST:$PUSHGATEWAY_PORT &" ;;
    pgbouncer) echo "bash infra/local/ensure-services.sh pgbouncer (as root), or pgbouncer -d with $PGBOUNCER_DIR/pgbouncer.ini" ;;
    lambda-runtime) echo "bash infra/lambda-runtime/ensure.sh (needs autoconf automake libtool cmake g++ python3)" ;;
    victoria-metrics) echo "victoria-metrics -httpListenAddr=$HOST:$VICTORIA_METRICS_PORT -storageDataPath=.data/victoria-metrics -search.latencyOffset=0s &" ;;
  esac
}

wait_until_up() {
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "${1}_up"; do
    if [[ "$1" == pushgateway ]] && ! kill -0 "$PUSHGATEWAY_PID" 2>/dev/null; then
      die "pushgateway exited at once; see $DATA_DIR/pushgateway.log"
    fi
    if [[ "$1" == victoria-metrics ]] && ! kill -0 "$VICTORIA_METRICS_PID" 2>/dev/null; then
      die "victoria-metrics exited at once; see $DATA_DIR/victoria-metrics.log"
    fi
    ((SECONDS < deadline)) || die "$1 did not answer within ${WAIT_SECONDS}s; start it with: $(how_to_start "$1")"
    sleep 0.2
  done
}

ensure_test_database() {
  local query="select 1 from pg_database where datname='test'" found
  # A server in a container may come without a local client; the suite then reports the database.
  if ! command -v psql >/dev/null; then
    CREATED_DB=", database test not checked (no psql)"
    return
  fi
  found="$(psql -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -tAc "$query")" ||
    die "PostgreSQL refuses user postgres on $HOST:$PG_PORT; allow it with 'host all all 127.0.0.1/32 trust' in pg_hba.conf."
  if [[ "$found" != 1 ]]; then
    psql -q -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -c 'create database test'
    CREATED_DB=", created database test"
  fi
}

main() {
  local wanted=("$@") missing=() service
  ((${#wanted[@]})) || wanted=(redis postgres pushgateway victoria-metrics pgbouncer promtool unzip lambda-runtime chromium)
  for service in "${wanted[@]}"; do
    [[ -n "${PACKAGE[$service]:-}" ]] || die "unknown service '$service' (known: redis postgres pushgateway victoria-metrics pgbouncer promtool unzip lambda-runtime chromium)"
  done

  # Install everything missing in one apt run, so `apt-get update` happens at most once.
  for service in "${wanted[@]}"; do
    # shellcheck disable=SC2206 # a service may need several packages, space-separated
    if ! "${service}_up" && ! installed "$service"; then missing+=(${PACKAGE[$service]}); fi
  done
  # An `if`, not `||`: bash ignores `set -e` inside a function called from an `||` list.
  if ((${#missing[@]})); then install_packages "${missing[@]}"; fi

  for service in "${wanted[@]}"; do
    local status="ok (already running)" fresh=""
    CREATED_DB=""
    if [[ " ${missing[*]} " == *" ${PACKAGE[$service]%% *} "* ]]; then fresh="installed, "; fi
    if [[ "$service" == postgres && -n "$fresh" ]]; then trust_local_connections; fi
    if [[ "$service" == promtool || "$service" == unzip || "$service" == chromium ]]; then
      status="ok"
    elif ! "${service}_up"; then
      start "$service" || die "could not start $service; start it with: $(how_to_start "$service")"
      wait_until_up "$service"
      status="started"
      if [[ "$service" == pushgateway ]]; then status+=" (pid $PUSHGATEWAY_PID)"; fi
      if [[ "$service" == victoria-metrics ]]; then status+=" (pid $VICTORIA_METRICS_PID)"; fi
    fi
    if [[ "$service" == postgres ]]; then ensure_test_database; fi
    echo "$service: $fresh$status$CREATED_DB"
  done
}

main "$@"
