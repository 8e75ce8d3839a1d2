# shellcheck shell=bash
# Small helpers shared by tools/stack.sh and tools/test.sh: messages, ports, pid files, system
# packages, npm install, build and migrations. Expects tools/lib/env.sh to be sourced first.

if [[ -t 1 ]]; then
  C_OK=$'\e[32m' C_WARN=$'\e[33m' C_ERR=$'\e[31m' C_DIM=$'\e[2m' C_OFF=$'\e[0m'
else
  C_OK='' C_WARN='' C_ERR='' C_DIM='' C_OFF=''
fi
info() { printf '%s\n' "$*"; }
note() { printf '%s%s%s\n' "$C_DIM" "$*" "$C_OFF"; }
ok() { printf '%s✓%s %s\n' "$C_OK" "$C_OFF" "$*"; }
warn() { printf '%s!%s %s\n' "$C_WARN" "$C_OFF" "$*" >&2; }
fail() { printf '%s✗%s %s\n' "$C_ERR" "$C_OFF" "$*" >&2; }
die() { fail "$*"; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# port_open <host> <port>: true when something accepts TCP connections there.
port_open() {
  timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# wait_port <host> <port> <seconds>
wait_port() {
  local deadline=$((SECONDS + $3))
  until port_open "$1" "$2"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

is_loopback() { [[ "$1" == 127.* || "$1" == localhost || "$1" == "::1" || "$1" == "[::1]" ]]; }

# http_code <url>: the HTTP status, or 000 when nothing answers.
http_code() {
  if command -v curl >/dev/null; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
  else
    node -e 'fetch(process.argv[1],{signal:AbortSignal.timeout(2000)}).then(r=>console.log(r.status),()=>console.log("000"))' "$1"
  fi
}

http_body() {
  if command -v curl >/dev/null; then
    curl -s --max-time 2 "$1" 2>/dev/null || true
  else
    node -e 'fetch(process.argv[1],{signal:AbortSignal.timeout(2000)}).then(r=>r.text()).then(t=>process.stdout.write(t),()=>{})' "$1"
  fi
}

# pid_alive <pidfile> <cmdline pattern>: prints the pid when the file names a live process whose
# command line matches the pattern (so a stale file with a recycled pid is never trusted).
pid_alive() {
  local file="$1" pattern="$2" pid
  [[ -s "$file" ]] || return 1
  pid="$(head -n1 "$file" | tr -dc '0-9')"
  [[ -n "$pid" ]] && proc_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$pattern" || return 1
  echo "$pid"
}

# proc_alive <pid>: running and not a zombie (an exited child that init has not reaped yet).
proc_alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# stop_pid <pid> <seconds>: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local pid="$1" deadline=$((SECONDS + $2))
  kill -TERM "$pid" 2>/dev/null || return 0
  while proc_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      warn "pid $pid ignored SIGTERM for $2 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
      return 0
    fi
    sleep 0.2
  done
}

# record_started <component>: tools/test.sh passes STACK_STARTED_LOG so that it stops only what
# its own run started, never servers that were already up.
record_started() {
  if [[ -n "${STACK_STARTED_LOG:-}" ]]; then echo "$1" >>"$STACK_STARTED_LOG"; fi
}

pg_bin_dir() {
  local dir
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; return; fi
  if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then pg_config --bindir; return; fi
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
  return 1
}

find_nats_server() {
  if [[ -n "${NATS_SERVER_BIN:-}" ]]; then [[ -x "$NATS_SERVER_BIN" ]] && echo "$NATS_SERVER_BIN"; return; fi
  PATH="$PATH:/usr/sbin:/usr/local/sbin:/usr/local/bin" command -v nats-server
}

find_redis_server() {
  PATH="$PATH:/usr/sbin:/usr/local/bin" command -v redis-server
}

# ensure_packages <nats|redis|postgres>...: installs the Debian packages for the servers that are
# needed and missing. As root: apt-get (services are not auto-started: policy-rc.d says no). As
# anyone else: say what to install and fail.
ensure_packages() {
  local wanted=() component
  for component in "$@"; do
    case "$component" in
      nats) find_nats_server >/dev/null || wanted+=(nats-server) ;;
      redis) find_redis_server >/dev/null || wanted+=(redis-server) ;;
      postgres) pg_bin_dir >/dev/null || wanted+=(postgresql) ;;
    esac
  done
  ((${#wanted[@]})) || return 0
  if ! is_root; then
    die "missing servers: ${wanted[*]}. Install them (Debian/Ubuntu): sudo apt-get update && sudo apt-get install -y ${wanted[*]}"
  fi
  info "installing ${wanted[*]} (apt-get)…"
  local policy=/usr/sbin/policy-rc.d made_policy=0
  # Debian's postinst scripts would otherwise start a system-wide Redis/Postgres that nothing
  # here would stop again.
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  local status=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
  } || status=$?
  ((made_policy)) && rm -f "$policy"
  ((status == 0)) || die "apt-get install ${wanted[*]} failed (exit $status)"
  ok "installed ${wanted[*]}"
}

ensure_node_modules() {
  if [[ ! -d "$MT5_ROOT/node_modules" ]]; then
    info "node_modules missing: npm install (with the committed lock)…"
    (cd "$MT5_ROOT" && npm install --no-audit --no-fund)
  fi
}

# Prisma's generated client is not committed; generate it when missing or older than the schema.
ensure_prisma_client() {
  local script="$MT5_ROOT/tools/prisma-generate.sh" generated="$MT5_ROOT/libs/infra/src/prisma/generated"
  [[ -f "$script" ]] || return 0
  if [[ ! -f "$generated/client.ts" ]] ||
    [[ -n "$(find "$MT5_ROOT/prisma" -name '*.prisma' -newer "$generated/client.ts" -print -quit 2>/dev/null)" ]]; then
    info "prisma client: generating…"
    (cd "$MT5_ROOT" && bash tools/prisma-generate.sh)
  fi
}

build() {
  ensure_node_modules
  ensure_prisma_client
  (cd "$MT5_ROOT" && node tools/build.mjs)
}

migrate() {
  local script="$MT5_ROOT/dist/tools/migrate.js"
  if [[ ! -f "$script" ]]; then
    warn "migrations skipped: dist/tools/migrate.js does not exist (tools/migrate.ts not written yet)"
    return 0
  fi
  info "migrations: node dist/tools/migrate.js"
  (cd "$MT5_ROOT" && DATABASE_URL="$DATABASE_URL" node --enable-source-maps "$script") ||
    die "migrations failed. If the project's own database holds migrations that no longer exist (renamed or edited), start from empty: bash tools/stack.sh reset"
  ok "migrations applied"
}
