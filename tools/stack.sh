#!/usr/bin/env bash
# The local stack, started by itself: NATS (JetStream), Postgres, Redis and the services.
#
#   bash tools/stack.sh up     [all|infra|services|<component>...]   start (reuses running servers)
#   bash tools/stack.sh down   [all|infra|services|<component>...]   stop what the project started
#   bash tools/stack.sh status [all|infra|services|<component>...]
#   bash tools/stack.sh logs   [all|infra|services|<component>...]   tail (follows on a terminal)
#   bash tools/stack.sh reset                                        down all, then delete .data/
#
# Components: nats postgres redis, and the services market-data signal-engine risk-guard
# execution mt5-simulator reporting ops-gateway. Defaults and ports: tools/lib/env.sh.
# `up` reuses a server already listening on its port and never stops one it did not start.
# `up infra` and `up all` also build (node tools/build.mjs) and migrate (dist/tools/migrate.js).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$MT5_ROOT/tools/lib/common.sh"
source "$MT5_ROOT/tools/lib/infra.sh"
source "$MT5_ROOT/tools/lib/services.sh"

INFRA_ALL=(nats postgres redis)

usage() {
  sed -n '2,/^set /p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

# resolve_targets <word>...: fills INFRA and SERVICES from all|infra|services|component names.
resolve_targets() {
  INFRA=() SERVICES=()
  local word svc known
  (($#)) || set -- all
  for word in "$@"; do
    case "$word" in
      all) INFRA+=("${INFRA_ALL[@]}"); SERVICES+=("${MT5_SERVICES_SELECTED[@]}") ;;
      infra) INFRA+=("${INFRA_ALL[@]}") ;;
      services) SERVICES+=("${MT5_SERVICES_SELECTED[@]}") ;;
      nats | postgres | redis) INFRA+=("$word") ;;
      *)
        known=0
        for svc in "${MT5_ALL_SERVICES[@]}"; do [[ "$svc" == "$word" ]] && known=1; done
        ((known)) || { fail "unknown target: $word"; usage 2; }
        SERVICES+=("$word")
        ;;
    esac
  done
  # keep order, drop duplicates
  mapfile -t INFRA < <(printf '%s\n' "${INFRA[@]}" | awk 'NF && !seen[$0]++')
  mapfile -t SERVICES < <(printf '%s\n' "${SERVICES[@]}" | awk 'NF && !seen[$0]++')
}

# Two `up`s at once (two test runs, say) must not both decide to start the same server. Every
# server and service is started with `9>&-` so that it does not inherit (and hold) this lock.
take_lock() {
  mkdir -p "$MT5_RUN_DIR/logs"
  exec 9>"$MT5_RUN_DIR/stack.lock"
  flock -w 300 9 || die "another tools/stack.sh still holds $MT5_RUN_DIR/stack.lock after 300 s"
}

cmd_up() {
  resolve_targets "$@"
  take_lock
  local c
  for c in "${INFRA[@]}"; do "${c}_up"; done
  info "build: node tools/build.mjs"
  build
  if ((${#INFRA[@]})); then
    if port_open "$(url_host "$DATABASE_URL")" "$PG_PORT"; then migrate; else warn "migrations skipped: Postgres is not up"; fi
  fi
  if ((${#SERVICES[@]})); then
    for c in "${INFRA_ALL[@]}"; do
      [[ "$(infra_status_row "$c" | awk '{print $2}')" == up ]] || warn "$c is down: the services will not get ready (bash tools/stack.sh up infra)"
    done
    services_up "${SERVICES[@]}" || die "not every service is ready (logs: bash tools/stack.sh logs <service>)"
  fi
  ok "stack up: ${INFRA[*]} ${SERVICES[*]}"
}

cmd_down() {
  resolve_targets "$@"
  take_lock
  local before=() c
  # Pids of everything the project started, taken before stopping, to check afterwards.
  for c in "${SERVICES[@]}"; do svc_pid "$c" >/dev/null && before+=("$(svc_pid "$c")"); done
  for c in "${INFRA[@]}"; do
    case "$c" in nats) before+=("$(nats_pid || true)") ;; postgres) before+=("$(pg_pid || true)") ;; redis) before+=("$(redis_pid || true)") ;; esac
  done
  ((${#SERVICES[@]})) && services_down "${SERVICES[@]}"
  # Reverse order of start; reused servers have no pid file of ours and are left alone.
  for ((i = ${#INFRA[@]} - 1; i >= 0; i--)); do "${INFRA[i]}_down"; done

  local left=() pid
  for pid in "${before[@]}"; do [[ -n "$pid" ]] && proc_alive "$pid" && left+=("$pid"); done
  if [[ "${#INFRA[@]}" == "${#INFRA_ALL[@]}" && "${#SERVICES[@]}" -gt 0 ]]; then
    # Anything else still running from this checkout's data or build (a service started by hand?).
    while read -r pid; do [[ -n "$pid" && "$pid" != "$$" ]] && left+=("$pid"); done \
      < <(pgrep -f -- "$MT5_ROOT/(\.data|dist/apps)/" || true)
  fi
  if ((${#left[@]})); then
    fail "project processes still running:"
    ps -o pid=,args= -p "$(IFS=,; echo "${left[*]}")" >&2 || true
    exit 1
  fi
  ok "stack down: nothing the project started is running (servers it reused were left alone)"
}

cmd_status() {
  resolve_targets "$@"
  local c
  printf '%-14s %-6s %-8s %-8s %s\n' COMPONENT STATE OWNER PID ADDRESS
  for c in "${INFRA[@]}"; do infra_status_row "$c"; done
  for c in "${SERVICES[@]}"; do service_status_row "$c"; done
}

cmd_logs() {
  resolve_targets "$@"
  local files=() c
  pg_paths
  for c in "${INFRA[@]}"; do
    case "$c" in nats) files+=("$NATS_LOG") ;; postgres) files+=("$PG_LOG") ;; redis) files+=("$REDIS_LOG") ;; esac
  done
  for c in "${SERVICES[@]}"; do files+=("$(svc_log "$c")"); done
  local existing=()
  for c in "${files[@]}"; do [[ -f "$c" ]] && existing+=("$c"); done
  ((${#existing[@]})) || die "no logs yet for: ${INFRA[*]} ${SERVICES[*]} (in $MT5_RUN_DIR/logs)"
  if [[ -t 1 ]]; then exec tail -n 100 -F "${existing[@]}"; else tail -n 200 "${existing[@]}"; fi
}

# Throws away the project's own data (its Postgres cluster, JetStream store): for a schema that
# changed under already-applied migrations, say. Reused servers are not touched.
cmd_reset() {
  cmd_down all
  pg_paths
  info "deleting $MT5_DATA_DIR"
  rm -rf "$MT5_DATA_DIR"
  if [[ "$PG_DATA" != "$MT5_DATA_DIR"/* ]]; then info "deleting $PG_DATA"; rm -rf "$PG_DATA"; fi
  ok "reset: next \`up\` starts from empty data"
}

command="${1:-}"
(($#)) && shift
case "$command" in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  status) cmd_status "$@" ;;
  logs) cmd_logs "$@" ;;
  reset) cmd_reset ;;
  -h | --help | help) usage 0 ;;
  *) usage 2 ;;
esac
