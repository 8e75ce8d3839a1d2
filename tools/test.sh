#!/usr/bin/env bash
# The project's test command (`npm test`, and CI through .ci/run). Works on a fresh clone with
# nothing running: installs dependencies if missing, generates the Prisma client, builds, lints,
# type-checks, runs unit tests, then integration tests (whose global setup starts or reuses NATS,
# Postgres and Redis). Whatever this run started is stopped on exit; servers that were already
# running are left alone. Prints per-step timings and a test count; exits non-zero on any failure.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$MT5_ROOT/tools/lib/common.sh"
cd "$MT5_ROOT"

# No Nx daemon or cloud: nothing may outlive the run, and there is no network to talk to.
export NX_DAEMON=false NX_NO_CLOUD=true
# tools/stack.sh appends each component it starts here (through the integration global setup).
STACK_STARTED_LOG="$(mktemp -t mt5-stack-started.XXXXXX)"
REPORTS="$(mktemp -d -t mt5-test-reports.XXXXXX)"
export STACK_STARTED_LOG

# Stops the components this run started (if any); returns non-zero if something stayed up.
stop_started() {
  [[ -s "$STACK_STARTED_LOG" ]] || return 0
  local started
  started="$(sort -u "$STACK_STARTED_LOG" | tr '\n' ' ')"
  : >"$STACK_STARTED_LOG"
  info ""
  info "━━ stopping what this run started: $started"
  # shellcheck disable=SC2086 # one word per component
  bash tools/stack.sh down $started
}

cleanup() {
  local status=$?
  stop_started || status=1
  rm -rf "$STACK_STARTED_LOG" "$REPORTS"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

STEP_NAMES=() STEP_RESULTS=() STEP_SECONDS=()
FAILED=0

# step <name> <required: yes|no> <command>...: runs and times one step. A failed required step
# (install, build) ends the run, since nothing after it could mean anything.
step() {
  local name="$1" required="$2" start end status=0
  shift 2
  info ""
  info "━━ $name: $*"
  start="$(date +%s%N)"
  "$@" || status=$?
  end="$(date +%s%N)"
  STEP_NAMES+=("$name")
  STEP_SECONDS+=("$(awk -v ns="$((end - start))" 'BEGIN { printf "%.1f", ns / 1e9 }')")
  if ((status == 0)); then
    STEP_RESULTS+=(ok)
  else
    STEP_RESULTS+=("FAILED (exit $status)")
    FAILED=1
    if [[ "$required" == yes ]]; then
      summary
      die "$name failed: stopping here"
    fi
  fi
}

skip() {
  STEP_NAMES+=("$1") STEP_RESULTS+=("skipped: $2") STEP_SECONDS+=(-)
}

# Test counts from Jest's JSON reports: "passed failed skipped broken-suites".
count_tests() {
  node -e '
    const fs = require("fs");
    let passed = 0, failed = 0, skipped = 0, broken = 0;
    for (const file of process.argv.slice(1)) {
      if (!fs.existsSync(file)) { broken++; continue; }
      const r = JSON.parse(fs.readFileSync(file, "utf8"));
      passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0);
      broken += r.numRuntimeErrorTestSuites;
    }
    console.log(passed, failed, skipped, broken);
  ' "$@"
}

summary() {
  local i
  info ""
  info "━━ summary"
  for i in "${!STEP_NAMES[@]}"; do
    printf '  %-13s %7s s  %s\n' "${STEP_NAMES[i]}" "${STEP_SECONDS[i]}" "${STEP_RESULTS[i]}"
  done
}

if [[ -d node_modules ]]; then skip install 'node_modules present'; else step install yes npm install --no-audit --no-fund; fi
if [[ -f tools/prisma-generate.sh ]]; then step prisma yes npm run --silent prisma:generate; else skip prisma 'no tools/prisma-generate.sh'; fi
step build yes npm run --silent build
step lint no npm run --silent lint
step typecheck no npm run --silent typecheck
step unit no npm run --silent test:unit -- --json --outputFile="$REPORTS/unit.json"
step integration no npm run --silent test:integration -- --json --outputFile="$REPORTS/integration.json"

stop_started || { fail "could not stop everything this run started"; FAILED=1; }
summary
read -r passed failed skipped broken < <(count_tests "$REPORTS/unit.json" "$REPORTS/integration.json")
if ((broken > 0)); then fail "$broken test suite(s) failed to run (or wrote no report)"; FAILED=1; fi
((FAILED == 0)) && ok "all steps passed" || fail "some steps failed"
# The plain closing line CI reads.
if ((skipped > 0)); then echo "tests: $passed passed, $failed failed, $skipped skipped"; else echo "tests: $passed passed, $failed failed"; fi
exit "$FAILED"
