# shellcheck shell=bash
# The one place for the local stack's defaults. Sourced by tools/stack.sh, tools/test.sh and
# (through bash) by libs/testing/src/global-setup.mjs. A value already set in the environment
# always wins, so `DATABASE_URL=... npm test` points everything at another server.

MT5_ROOT="${MT5_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
export MT5_ROOT
export MT5_RUN_DIR="${MT5_RUN_DIR:-$MT5_ROOT/.run}"
export MT5_DATA_DIR="${MT5_DATA_DIR:-$MT5_ROOT/.data}"

export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"
export NATS_MONITOR_URL="${NATS_MONITOR_URL:-http://127.0.0.1:8222}"
export DATABASE_URL="${DATABASE_URL:-postgresql://mt5:mt5@127.0.0.1:5432/mt5}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export LOG_LEVEL="${LOG_LEVEL:-info}"
# Telemetry: no OTEL_SDK_DISABLED default. Without OTEL_EXPORTER_OTLP_ENDPOINT the SDK
# (libs/infra/src/telemetry) already exports nothing but still makes spans, so trace ids flow
# through NATS headers into the logs; disabling the SDK would lose them (and fails the
# trace-propagation integration test). Set OTEL_SDK_DISABLED=true yourself to turn it all off.

# Services in start order: producers before consumers, the execution gateway (which listens for
# the bridge) before the simulator (which dials it, as the MT5 Expert Advisor would).
MT5_ALL_SERVICES=(market-data signal-engine risk-guard execution mt5-simulator reporting ops-gateway)
# MT5_SERVICES="risk-guard execution" limits `stack.sh up services` to a subset.
read -r -a MT5_SERVICES_SELECTED <<<"${MT5_SERVICES:-${MT5_ALL_SERVICES[*]}}"

export BRIDGE_HOST="${BRIDGE_HOST:-127.0.0.1}"
export BRIDGE_PORT="${BRIDGE_PORT:-5555}"

# service_port <svc>: its HTTP port; <SVC>_HTTP_PORT (e.g. MARKET_DATA_HTTP_PORT) overrides.
service_port() {
  local svc="$1" default override
  case "$svc" in
    ops-gateway) default=3000 ;;
    market-data) default=3101 ;;
    signal-engine) default=3102 ;;
    risk-guard) default=3103 ;;
    execution) default=3104 ;;
    mt5-simulator) default=3105 ;;
    reporting) default=3106 ;;
    *) echo "unknown service: $svc" >&2; return 1 ;;
  esac
  override="$(echo "${svc}_HTTP_PORT" | tr 'a-z-' 'A-Z_')"
  echo "${!override:-$default}"
}

# service_env <svc>: the extra KEY=VALUE pairs one service gets on top of the shared ones.
service_env() {
  local svc="$1"
  echo "SERVICE_NAME=$svc"
  echo "HTTP_PORT=$(service_port "$svc")"
  case "$svc" in
    execution | mt5-simulator) echo "BRIDGE_HOST=$BRIDGE_HOST"; echo "BRIDGE_PORT=$BRIDGE_PORT" ;;
  esac
}

# url_host / url_port <url> <default port>: enough URL parsing for the addresses above.
url_host() {
  local rest="${1#*://}"
  rest="${rest##*@}"
  rest="${rest%%/*}"
  rest="${rest%%\?*}"
  echo "${rest%%:*}"
}
url_port() {
  local rest="${1#*://}"
  rest="${rest##*@}"
  rest="${rest%%/*}"
  rest="${rest%%\?*}"
  if [[ "$rest" == *:* ]]; then echo "${rest##*:}"; else echo "$2"; fi
}

NATS_PORT="$(url_port "$NATS_URL" 4222)"
NATS_MONITOR_PORT="$(url_port "$NATS_MONITOR_URL" 8222)"
PG_PORT="$(url_port "$DATABASE_URL" 5432)"
REDIS_PORT="$(url_port "$REDIS_URL" 6379)"
export NATS_PORT NATS_MONITOR_PORT PG_PORT REDIS_PORT
