# shellcheck shell=bash
# NATS (JetStream), Postgres and Redis for the local stack. Each `*_up` reuses a server already
# listening on its port, or starts the project's own (data in .data/, pid and log in .run/).
# Each `*_down` stops only a server whose pid file says the project started it.

# ---------------------------------------------------------------- NATS
NATS_PID_FILE="$MT5_RUN_DIR/nats.pid"
NATS_LOG="$MT5_RUN_DIR/logs/nats.log"

nats_pid() { pid_alive "$NATS_PID_FILE" nats-server; }

nats_check_jetstream() {
  local varz
  varz="$(http_body "$NATS_MONITOR_URL/varz")"
  if [[ -z "$varz" ]]; then
    warn "nats: monitor $NATS_MONITOR_URL does not answer: cannot confirm JetStream is enabled"
  elif ! grep -q '"jetstream":{"config"' <<<"$(tr -d ' \n' <<<"$varz")"; then
    die "nats: the server on port $NATS_PORT runs without JetStream; stop it or point NATS_URL elsewhere"
  fi
}

nats_up() {
  local host pid bin
  host="$(url_host "$NATS_URL")"
  if port_open "$host" "$NATS_PORT"; then
    if pid="$(nats_pid)"; then ok "nats: running (started by the project, pid $pid)"; else ok "nats: reusing the server on $host:$NATS_PORT"; fi
    nats_check_jetstream
    return 0
  fi
  is_loopback "$host" || die "nats: $NATS_URL does not answer and is not local, so it cannot be started here"
  ensure_packages nats
  bin="$(find_nats_server)"
  mkdir -p "$MT5_DATA_DIR/nats" "$MT5_RUN_DIR/logs"
  # setsid: a Ctrl-C in the terminal (or in a test run) must not take the server down with it.
  setsid nohup "$bin" -js -sd "$MT5_DATA_DIR/nats" -a 127.0.0.1 -p "$NATS_PORT" -m "$NATS_MONITOR_PORT" \
    -P "$NATS_PID_FILE" -l "$NATS_LOG" </dev/null >>"$NATS_LOG" 2>&1 9>&- &
  local deadline=$((SECONDS + 30))
  until [[ "$(http_code "http://127.0.0.1:$NATS_MONITOR_PORT/healthz?js-enabled-only=true")" == 200 ]]; do
    ((SECONDS < deadline)) || { tail -n 20 "$NATS_LOG" >&2; die "nats: not healthy after 30 s (log: $NATS_LOG)"; }
    sleep 0.2
  done
  wait_port 127.0.0.1 "$NATS_PORT" 10 || die "nats: port $NATS_PORT not open"
  record_started nats
  ok "nats: started (pid $(nats_pid || echo '?'), JetStream store $MT5_DATA_DIR/nats)"
}

nats_down() {
  local pid
  if pid="$(nats_pid)"; then
    stop_pid "$pid" 15
    ok "nats: stopped (pid $pid)"
  fi
  rm -f "$NATS_PID_FILE"
}

# ---------------------------------------------------------------- Postgres
PG_MARK_FILE="$MT5_RUN_DIR/postgres.pid"

as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Where our own cluster lives. initdb refuses root, so as root the cluster belongs to the
# postgres OS user; when that user cannot reach the checkout (say it is under /root), the
# cluster goes to /var/tmp instead, one per checkout.
pg_paths() {
  PG_DATA="${MT5_PG_DATA:-$MT5_DATA_DIR/postgres}"
  PG_SOCK="$MT5_RUN_DIR/pg"
  PG_LOG="$MT5_RUN_DIR/logs/postgres.log"
  if is_root && ! runuser -u postgres -- test -x "$MT5_ROOT" 2>/dev/null; then
    local alt
    alt="/var/tmp/mt5-pg-$(printf '%s' "$MT5_ROOT" | md5sum | cut -c1-8)"
    PG_DATA="$alt/data" PG_SOCK="$alt/run" PG_LOG="$alt/postgres.log"
  fi
  # A unix socket path may not exceed 107 bytes.
  if ((${#PG_SOCK} > 90)); then PG_SOCK="/tmp/mt5-pg-$(printf '%s' "$MT5_ROOT" | md5sum | cut -c1-8)"; fi
}

pg_pid() { pg_paths; pid_alive "$PG_MARK_FILE" "-D $PG_DATA"; }

pg_url_parts() {
  local rest="${DATABASE_URL#*://}" creds
  [[ "$rest" == *@* ]] || die "DATABASE_URL must name a user and password (postgresql://user:pass@host:port/db)"
  creds="${rest%%@*}"
  PG_USER="${creds%%:*}"
  PG_PASS="${creds#*:}"
  PG_DB="${rest#*/}"
  PG_DB="${PG_DB%%\?*}"
}

pg_can_login() {
  local psql
  psql="$(pg_bin_dir)/psql" 2>/dev/null || psql=psql
  PGCONNECT_TIMEOUT=3 "$psql" "$DATABASE_URL" -tAqc 'select 1' >/dev/null 2>&1
}

pg_find_socket_dir() {
  local dir
  for dir in /var/run/postgresql /run/postgresql /tmp; do
    [[ -S "$dir/.s.PGSQL.$PG_PORT" ]] && { echo "$dir"; return 0; }
  done
  return 1
}

# Creates the project's role and database when missing. $1 = own|reused.
pg_ensure_role() {
  local mode="$1" psql
  pg_url_parts
  psql="$(pg_bin_dir)/psql"
  [[ -x "$psql" ]] || psql="$(command -v psql || true)"
  [[ -n "$psql" ]] || { warn "postgres: no psql here, cannot check role $PG_USER"; return 0; }
  if [[ "$mode" == reused ]] && pg_can_login; then ok "postgres: role $PG_USER and database $PG_DB ok"; return 0; fi
  local admin=()
  if [[ "$mode" == own ]]; then
    admin=(as_pg "$psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres)
  elif is_root && id postgres >/dev/null 2>&1 && pg_find_socket_dir >/dev/null; then
    # A server from the distribution (or another checkout): its superuser over its unix socket.
    admin=(runuser -u postgres -- "$psql" -h "$(pg_find_socket_dir)" -p "$PG_PORT" -d postgres)
  else
    die "postgres: the server on port $PG_PORT is not the project's and $PG_USER cannot log in to $PG_DB. As a superuser run:
  CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASS'; CREATE DATABASE $PG_DB OWNER $PG_USER;"
  fi
  # Our own cluster: also reset the password, so a changed DATABASE_URL just works. A reused
  # server's existing role is left alone.
  local alter=''
  [[ "$mode" == own ]] && alter="ALTER ROLE :\"user\" PASSWORD :'pass';"
  if ! "${admin[@]}" -v ON_ERROR_STOP=1 -qAt -v user="$PG_USER" -v pass="$PG_PASS" -v db="$PG_DB" >/dev/null <<SQL; then
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'pass')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
$alter
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
    die "postgres: could not create role $PG_USER / database $PG_DB on the server at port $PG_PORT (see the error above)"
  fi
  pg_can_login || die "postgres: role $PG_USER exists but cannot log in with the password in DATABASE_URL"
  ok "postgres: role $PG_USER and database $PG_DB ok"
}

postgres_up() {
  local host pid bin
  host="$(url_host "$DATABASE_URL")"
  pg_paths
  if port_open "$host" "$PG_PORT"; then
    if pid="$(pg_pid)"; then
      ok "postgres: running (started by the project, pid $pid)"
      pg_ensure_role own
    else
      ok "postgres: reusing the server on $host:$PG_PORT"
      pg_ensure_role reused
    fi
    return 0
  fi
  is_loopback "$host" || die "postgres: $DATABASE_URL does not answer and is not local, so it cannot be started here"
  ensure_packages postgres
  bin="$(pg_bin_dir)"
  mkdir -p "$PG_DATA" "$PG_SOCK" "$(dirname "$PG_LOG")" "$MT5_RUN_DIR"
  touch "$PG_LOG"
  if is_root; then chown postgres: "$PG_DATA" "$PG_SOCK" "$PG_LOG"; fi
  chmod 700 "$PG_DATA"
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    info "postgres: initdb $PG_DATA"
    find "$PG_DATA" -mindepth 1 -delete # leftovers of an interrupted initdb
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >>"$PG_LOG" 2>&1 || { tail -n 20 "$PG_LOG" >&2; die "postgres: initdb failed"; }
  fi
  # Loopback only; extra connections because every service pools. Commits are durable
  # (synchronous_commit on, Postgres' default): execution commits an order row before it sends
  # the order, and that row must survive a crash of Postgres or the machine. Measured here, the
  # WAL flush adds about 0.15 ms to a commit (p50 0.57-0.66 ms on, 0.39-0.51 ms off).
  local opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCK -c max_connections=200"
  local runas=()
  if is_root; then runas=(runuser -u postgres --); fi
  # setsid: pg_ctl leaves the postmaster in our process group, where a Ctrl-C would reach it.
  setsid -w "${runas[@]}" "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -o "$opts" start >/dev/null 9>&- ||
    { tail -n 20 "$PG_LOG" >&2; die "postgres: pg_ctl start failed (log: $PG_LOG)"; }
  head -n1 "$PG_DATA/postmaster.pid" >"$PG_MARK_FILE"
  record_started postgres
  ok "postgres: started (pid $(head -n1 "$PG_MARK_FILE"), data $PG_DATA)"
  pg_ensure_role own
}

postgres_down() {
  local pid
  pg_paths
  if pid="$(pg_pid)"; then
    as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null || stop_pid "$pid" 15
    ok "postgres: stopped (pid $pid)"
  fi
  rm -f "$PG_MARK_FILE"
}

# ---------------------------------------------------------------- Redis
REDIS_PID_FILE="$MT5_RUN_DIR/redis.pid"
REDIS_LOG="$MT5_RUN_DIR/logs/redis.log"

# Redis rewrites its process title to "redis-server 127.0.0.1:<port>".
redis_pid() { pid_alive "$REDIS_PID_FILE" "redis-server.*:$REDIS_PORT"; }

redis_up() {
  local host pid bin
  host="$(url_host "$REDIS_URL")"
  if port_open "$host" "$REDIS_PORT"; then
    if pid="$(redis_pid)"; then ok "redis: running (started by the project, pid $pid)"; else ok "redis: reusing the server on $host:$REDIS_PORT"; fi
    return 0
  fi
  is_loopback "$host" || die "redis: $REDIS_URL does not answer and is not local, so it cannot be started here"
  ensure_packages redis
  bin="$(find_redis_server)"
  mkdir -p "$MT5_DATA_DIR/redis" "$MT5_RUN_DIR/logs"
  # No persistence: Redis only holds what can be rebuilt (quotes, caches, windows, locks).
  "$bin" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_LOG" --dir "$MT5_DATA_DIR/redis" >/dev/null 9>&- ||
    die "redis: redis-server failed to start (log: $REDIS_LOG)"
  wait_port 127.0.0.1 "$REDIS_PORT" 15 || { tail -n 20 "$REDIS_LOG" >&2; die "redis: port $REDIS_PORT not open after 15 s"; }
  local deadline=$((SECONDS + 5))
  until redis_pid >/dev/null; do ((SECONDS < deadline)) || break; sleep 0.1; done
  record_started redis
  ok "redis: started (pid $(redis_pid || echo '?'))"
}

redis_down() {
  local pid
  if pid="$(redis_pid)"; then
    stop_pid "$pid" 15
    ok "redis: stopped (pid $pid)"
  fi
  rm -f "$REDIS_PID_FILE"
}

# infra_status_row <component>: prints "name state owner pid address".
infra_status_row() {
  local c="$1" host port pid owner state
  case "$c" in
    nats) host="$(url_host "$NATS_URL")" port="$NATS_PORT"; pid="$(nats_pid || true)" ;;
    postgres) host="$(url_host "$DATABASE_URL")" port="$PG_PORT"; pid="$(pg_pid || true)" ;;
    redis) host="$(url_host "$REDIS_URL")" port="$REDIS_PORT"; pid="$(redis_pid || true)" ;;
  esac
  if port_open "$host" "$port"; then state=up; else state=down; fi
  if [[ -n "$pid" ]]; then owner=project; elif [[ "$state" == up ]]; then owner=reused pid=-; else owner=- pid=-; fi
  local address="$host:$port"
  [[ "$c" == nats ]] && address="$address (monitor $NATS_MONITOR_PORT)"
  printf '%-14s %-6s %-8s %-8s %s\n' "$c" "$state" "$owner" "$pid" "$address"
}

infra_pids() {
  nats_pid || true
  pg_pid || true
  redis_pid || true
}
