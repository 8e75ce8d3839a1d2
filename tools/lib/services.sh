# shellcheck shell=bash
# The platform's services as background Node processes: `node dist/apps/<svc>/src/main.js`,
# pid in .run/<svc>.pid, log in .run/logs/<svc>.log, ready when /health/ready answers 200.

READY_TIMEOUT_S="${READY_TIMEOUT_S:-60}"
STOP_TIMEOUT_S="${STOP_TIMEOUT_S:-15}"

svc_main() { echo "$MT5_ROOT/dist/apps/$1/src/main.js"; }
svc_pid_file() { echo "$MT5_RUN_DIR/$1.pid"; }
svc_log() { echo "$MT5_RUN_DIR/logs/$1.log"; }
svc_pid() { pid_alive "$(svc_pid_file "$1")" "dist/apps/$1/src/main.js"; }
svc_ready_url() { echo "http://127.0.0.1:$(service_port "$1")/health/ready"; }

# services_up <svc>...: starts what is not running, then waits for every one to be ready.
# Returns non-zero when any service is missing, failed to start or is not ready in time.
services_up() {
  local svc main port pid failed=0
  local -A result=() pids=() since=() already=()
  mkdir -p "$MT5_RUN_DIR/logs"
  for svc in "$@"; do
    main="$(svc_main "$svc")"
    port="$(service_port "$svc")"
    if [[ ! -f "$main" ]]; then
      result[$svc]="missing: ${main#"$MT5_ROOT"/} not built (no apps/$svc/src/main.ts?)"
      failed=1
      continue
    fi
    if pid="$(svc_pid "$svc")"; then
      pids[$svc]="$pid" already[$svc]=1
      continue
    fi
    if port_open 127.0.0.1 "$port"; then
      result[$svc]="port $port is taken by a process that is not this service"
      failed=1
      continue
    fi
    local env_pairs=()
    mapfile -t env_pairs < <(service_env "$svc")
    {
      echo "---- $(date -u +%FT%TZ) starting $svc (HTTP_PORT=$port)"
    } >>"$(svc_log "$svc")"
    # setsid + nohup: the service outlives this script and ignores the terminal's Ctrl-C.
    (cd "$MT5_ROOT" && exec env "${env_pairs[@]}" setsid nohup node --enable-source-maps "$main" \
      </dev/null >>"$(svc_log "$svc")" 2>&1 9>&-) &
    pids[$svc]=$!
    echo "${pids[$svc]}" >"$(svc_pid_file "$svc")"
    record_started "$svc"
  done

  local deadline=$((SECONDS + READY_TIMEOUT_S)) started=$SECONDS pending=1
  while ((pending)); do
    pending=0
    for svc in "${!pids[@]}"; do
      [[ -n "${result[$svc]:-}" ]] && continue
      if ! proc_alive "${pids[$svc]}"; then
        result[$svc]="exited: see ${C_DIM}$(svc_log "$svc")${C_OFF}"
        rm -f "$(svc_pid_file "$svc")"
        failed=1
      elif [[ "$(http_code "$(svc_ready_url "$svc")")" == 200 ]]; then
        result[$svc]=ready
        since[$svc]=$((SECONDS - started))
      elif ((SECONDS >= deadline)); then
        result[$svc]="not ready after ${READY_TIMEOUT_S} s ($(svc_ready_url "$svc"))"
        failed=1
      else
        pending=1
      fi
    done
    ((pending)) && sleep 0.5
  done

  printf '\n%-14s %-8s %-6s %s\n' SERVICE PID PORT STATE
  for svc in "$@"; do
    printf '%-14s %-8s %-6s %s\n' "$svc" "${pids[$svc]:--}" "$(service_port "$svc")" \
      "${result[$svc]}${since[$svc]:+ (${since[$svc]} s)}${already[$svc]:+, already running: not restarted}"
  done
  for svc in "$@"; do
    if [[ "${result[$svc]}" == exited* ]]; then
      fail "$svc exited; its log since this start (last 20 lines):"
      awk '/^---- .* starting /{n=0; delete l} {l[n++]=$0} END {for (i = (n > 20 ? n - 20 : 0); i < n; i++) print "    " l[i]}' \
        "$(svc_log "$svc")" >&2
    fi
  done
  return "$failed"
}

# services_down <svc>...: SIGTERM to all at once, SIGKILL to whatever is left after the timeout.
services_down() {
  local svc pid
  local -A pids=()
  for svc in "$@"; do
    if pid="$(svc_pid "$svc")"; then
      pids[$svc]="$pid"
      kill -TERM "$pid" 2>/dev/null || true
    fi
    rm -f "$(svc_pid_file "$svc")"
  done
  ((${#pids[@]})) || return 0
  local deadline=$((SECONDS + STOP_TIMEOUT_S)) alive
  while :; do
    alive=()
    for svc in "${!pids[@]}"; do proc_alive "${pids[$svc]}" && alive+=("$svc"); done
    ((${#alive[@]})) || break
    if ((SECONDS >= deadline)); then
      for svc in "${alive[@]}"; do
        warn "$svc (pid ${pids[$svc]}) still running after ${STOP_TIMEOUT_S} s: SIGKILL"
        kill -KILL "${pids[$svc]}" 2>/dev/null || true
      done
      break
    fi
    sleep 0.2
  done
  for svc in "$@"; do [[ -n "${pids[$svc]:-}" ]] && ok "$svc: stopped (pid ${pids[$svc]})"; done
  return 0
}

service_status_row() {
  local svc="$1" pid state owner=project note=''
  if pid="$(svc_pid "$svc")"; then
    if [[ "$(http_code "$(svc_ready_url "$svc")")" == 200 ]]; then state=ready; else state=up note=' (not ready)'; fi
  else
    state=down owner=- pid=-
    [[ -f "$(svc_main "$svc")" ]] || note=' (not built)'
  fi
  printf '%-14s %-6s %-8s %-8s %s\n' "$svc" "$state" "$owner" "$pid" "127.0.0.1:$(service_port "$svc")$note"
}
