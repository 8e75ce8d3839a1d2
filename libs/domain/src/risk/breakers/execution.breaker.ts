import { ALLOW, deny, type CheckResult } from '../check-result.js';
import { formatTime } from '../format.js';
import type { ExecutionBreakerState } from '../risk-state.types.js';
import type { BreakerConfig } from './breaker-config.js';
import { breakerChanged, unchanged, type BreakerStep } from './breaker-step.js';

export const initialExecutionBreaker: ExecutionBreakerState = {
  status: 'CLOSED',
  consecutiveFailures: 0,
  consecutiveOpens: 0,
  openedAt: null,
  retryAt: null,
  recentResults: [],
};

/** 0..100: the share of successes among the recent results, 100 when there are none yet. */
export function executionHealthScore(state: ExecutionBreakerState): number {
  if (state.recentResults.length === 0) return 100;
  const successes = state.recentResults.filter(Boolean).length;
  return Math.round((successes / state.recentResults.length) * 100);
}

/** Wait before the probe after the `opens`-th consecutive open: base * 2^(opens-1), capped. */
export function executionBackoffMs(opens: number, config: BreakerConfig['execution']): number {
  return Math.min(config.maxBackoffMs, config.baseBackoffMs * 2 ** Math.max(0, opens - 1));
}

function figures(state: ExecutionBreakerState, backoffMs?: number): Record<string, number> {
  const base = {
    consecutiveFailures: state.consecutiveFailures,
    consecutiveOpens: state.consecutiveOpens,
    healthScore: executionHealthScore(state),
  };
  return backoffMs === undefined ? base : { ...base, backoffMs };
}

function open(state: ExecutionBreakerState, time: number, config: BreakerConfig['execution'], account: string, reason: string): BreakerStep<ExecutionBreakerState> {
  const consecutiveOpens = state.consecutiveOpens + 1;
  const backoffMs = executionBackoffMs(consecutiveOpens, config);
  const next: ExecutionBreakerState = { ...state, status: 'OPEN', consecutiveOpens, openedAt: time, retryAt: time + backoffMs };
  const event = breakerChanged(account, 'EXECUTION_FAILURES', state.status, 'OPEN', figures(next, backoffMs), `${reason}; probe at ${formatTime(time + backoffMs)}`, time);
  return { state: next, events: [event], escalation: null };
}

/** Time passed: an OPEN breaker whose backoff has run out goes HALF_OPEN and lets a probe through. */
export function executionOnTime(state: ExecutionBreakerState, time: number, account: string): BreakerStep<ExecutionBreakerState> {
  if (state.status !== 'OPEN' || state.retryAt === null || time < state.retryAt) return unchanged(state);
  const next: ExecutionBreakerState = { ...state, status: 'HALF_OPEN' };
  return { state: next, events: [breakerChanged(account, 'EXECUTION_FAILURES', 'OPEN', 'HALF_OPEN', figures(next), 'backoff elapsed: next order is a probe', time)], escalation: null };
}

/**
 * An execution result. CLOSED: `failureThreshold` consecutive failures open the breaker for
 * `baseBackoffMs`. HALF_OPEN: a success closes it (and resets the backoff), a failure opens it
 * again for twice as long. Results that arrive while OPEN (orders already in flight) only
 * update the counts.
 */
export function executionOnResult(
  state: ExecutionBreakerState,
  ok: boolean,
  time: number,
  config: BreakerConfig['execution'],
  account: string,
): BreakerStep<ExecutionBreakerState> {
  const recentResults = [...state.recentResults, ok].slice(-config.windowSize);
  const consecutiveFailures = ok ? 0 : state.consecutiveFailures + 1;
  const counted: ExecutionBreakerState = { ...state, recentResults, consecutiveFailures };
  if (state.status === 'HALF_OPEN') {
    if (!ok) return open(counted, time, config, account, 'probe failed');
    const next: ExecutionBreakerState = { ...counted, status: 'CLOSED', consecutiveOpens: 0, openedAt: null, retryAt: null };
    return { state: next, events: [breakerChanged(account, 'EXECUTION_FAILURES', 'HALF_OPEN', 'CLOSED', figures(next), 'probe succeeded', time)], escalation: null };
  }
  if (state.status === 'CLOSED' && consecutiveFailures >= config.failureThreshold) {
    return open(counted, time, config, account, `${consecutiveFailures} consecutive execution failures`);
  }
  return unchanged(counted);
}

/** An admin reset: CLOSED, counters and backoff cleared (the health window is kept as history). */
export function executionReset(state: ExecutionBreakerState, reason: string, time: number, account: string): BreakerStep<ExecutionBreakerState> {
  const next: ExecutionBreakerState = { ...state, status: 'CLOSED', consecutiveFailures: 0, consecutiveOpens: 0, openedAt: null, retryAt: null };
  if (state.status === 'CLOSED') return { state: next, events: [], escalation: null };
  return { state: next, events: [breakerChanged(account, 'EXECUTION_FAILURES', state.status, 'CLOSED', figures(next), reason, time)], escalation: null };
}

/**
 * Denies opening orders while the breaker is OPEN and its backoff runs. HALF_OPEN (or OPEN past
 * `retryAt`, before a clock input has moved it) lets orders through as probes: the first result
 * closes or reopens it.
 */
export function executionBreakerCheck(state: ExecutionBreakerState, now: number): CheckResult {
  if (state.status !== 'OPEN' || state.retryAt === null || now >= state.retryAt) return ALLOW;
  return deny('RISK.BREAKER_OPEN', { breaker: 'EXECUTION_FAILURES', retryAt: formatTime(state.retryAt) });
}
