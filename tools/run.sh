#!/usr/bin/env bash
# The run command (`npm start`): brings up the local stack and every service, imports the shared
# EURUSD, GBPUSD and USDJPY M1 history, enables the default strategies, replays the history
# through market-data, paper-trades it on the MT5 simulator, prints a summary and keeps the
# platform running until Ctrl-C (then stops what the project started). docs/demo.md says more.
#
#   npm start                         # the next day of history per symbol (../shared/data/market)
#   npm start -- --limit-days 3       # three days; --all for the whole history (long on a small machine)
#   npm start -- --from 2021-02-01 --to 2021-02-03
#   npm start -- --data <folder>      # your own MT5 exports (CSV files named like EURUSD_M1.csv)
#   npm start -- --live               # no replay: the simulator's own price feed drives the system
#   npm start -- --detach             # return after the summary, leaving everything running
#   npm start -- --help               # every option
#
# The orchestration is TypeScript: tools/demo/run-demo.ts (built to dist/tools/demo/run-demo.js).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$MT5_ROOT/tools/lib/common.sh"
cd "$MT5_ROOT"

DETACH=0
for arg in "$@"; do [[ "$arg" == --detach ]] && DETACH=1; done

# The orchestrator is compiled with everything else (stack.sh builds again; it takes seconds).
build >/dev/null

stop_stack() {
  trap - INT TERM
  info ""
  bash tools/stack.sh down || true
  exit "${1:-0}"
}

# Ctrl-C during the replay reaches the orchestrator too: it cancels the replay and exits 130;
# this trap then stops the stack.
trap 'stop_stack 130' INT TERM
status=0
node --enable-source-maps dist/tools/demo/run-demo.js "$@" || status=$?
case "$status" in
  0) ;;
  2) trap - INT TERM; exit 2 ;; # usage error: nothing was started
  130) stop_stack 130 ;;
  *)
    trap - INT TERM
    fail "the run command failed (exit $status); what it started is left running for a look:"
    info "  bash tools/stack.sh status · bash tools/stack.sh logs <service> · stop: bash tools/stack.sh down"
    exit "$status"
    ;;
esac
for arg in "$@"; do [[ "$arg" == -h || "$arg" == --help ]] && exit 0; done

info ""
ok "the platform is running"
info "  NATS monitor:  ${NATS_MONITOR_URL}/jsz?streams=true&consumers=true"
info "  logs:          bash tools/stack.sh logs <service>"
info "  stop:          bash tools/stack.sh down"
if ((DETACH)); then
  trap - INT TERM
  exit 0
fi
trap 'stop_stack 0' INT TERM
info "press Ctrl-C to stop"
while true; do sleep 3600 & wait $!; done
