#!/usr/bin/env bash
# The run command (`npm start`): brings up the local stack and every service, loads market data,
# and keeps the system running until Ctrl-C (then stops what it started).
#
#   npm start                      # use ../shared/data/market if present, else the data folder below
#   npm start -- --data <folder>   # your own MT5 exports (CSV files named like EURUSD_M1.csv)
#   npm start -- --live            # no history replay: the simulator's own price feed drives the system
#   npm start -- --detach          # leave everything running and return (stop: bash tools/stack.sh down)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$MT5_ROOT/tools/lib/common.sh"
cd "$MT5_ROOT"

DATA_DIR="" LIVE=0 DETACH=0
while (($#)); do
  case "$1" in
    --data) DATA_DIR="${2:?--data needs a folder}"; shift 2 ;;
    --live) LIVE=1; shift ;;
    --detach) DETACH=1; shift ;;
    -h | --help) sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (try --help)" ;;
  esac
done

if [[ -z "$DATA_DIR" && -d "$MT5_ROOT/../shared/data/market" ]]; then
  DATA_DIR="$(cd "$MT5_ROOT/../shared/data/market" && pwd)"
fi
export MT5_DATA_FOLDER="$DATA_DIR"

ensure_node_modules
bash tools/stack.sh up all

MD_CLI="$MT5_ROOT/dist/apps/market-data/src/cli.js"
if ((LIVE == 0)); then
  if [[ -z "$DATA_DIR" ]]; then
    warn "no market data folder: running on the simulator's own price feed."
    warn "to import your MT5 history: export bars from the MT5 terminal (View → Symbols → Bars → Export),"
    warn "put the CSV files in a folder and run: npm start -- --data <folder>"
  elif [[ -f "$MD_CLI" ]]; then
    info "━━ importing market data from $DATA_DIR"
    for symbol in EURUSD GBPUSD USDJPY; do
      file="$(find "$DATA_DIR" -maxdepth 1 -iname "${symbol}_M1*.csv" | head -1)"
      [[ -n "$file" ]] && node "$MD_CLI" import "$file" --symbol "$symbol"
    done
  else
    warn "market-data CLI not built: skipping the import"
  fi
fi

info ""
ok "the platform is running"
info "  ops gateway:   http://127.0.0.1:$(service_port ops-gateway)/api/v1/health"
info "  NATS monitor:  ${NATS_MONITOR_URL}/jsz?streams=true"
info "  logs:          bash tools/stack.sh logs <service>"
info "  stop:          bash tools/stack.sh down"

if ((DETACH)); then exit 0; fi
trap 'info ""; bash tools/stack.sh down; exit 0' INT TERM
info "press Ctrl-C to stop"
while true; do sleep 3600 & wait $!; done
