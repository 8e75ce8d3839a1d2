import type { TradingState } from '@mt5/contracts';
import { ALLOW, deny, type CheckResult } from './check-result.js';
import { formatTime } from './format.js';
import type { OrderEffect } from './order-intent.types.js';
import type { Actor, RiskCommandErrorCode, RiskEvent, TradingStateRecord } from './risk-state.types.js';

/** How restrictive a state is: breakers only ever raise it; only an admin lowers it. */
export const tradingStateSeverity: Readonly<Record<TradingState, number>> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/** Something that holds the account at (at least) a state: an open breaker or the kill switch. */
export interface StateHold {
  readonly holder: string;
  readonly atLeast: TradingState;
}

export type TradingStateTransition =
  | { readonly kind: 'changed'; readonly record: TradingStateRecord; readonly event: RiskEvent }
  | { readonly kind: 'unchanged'; readonly record: TradingStateRecord }
  | { readonly kind: 'refused'; readonly code: RiskCommandErrorCode; readonly message: string };

function change(account: string, record: TradingStateRecord, to: TradingState, by: string, reason: string, time: number): TradingStateTransition {
  return {
    kind: 'changed',
    record: { state: to, since: time, by, reason },
    event: { type: 'TRADING_STATE_CHANGED', account, from: record.state, to, by, reason, time },
  };
}

/**
 * A breaker asks for a state. It can only make things stricter: a request for a state no more
 * restrictive than the current one changes nothing (a REDUCING trip on a HALTED account stays HALTED).
 */
export function escalateTradingState(
  account: string,
  record: TradingStateRecord,
  to: TradingState,
  by: string,
  reason: string,
  time: number,
): TradingStateTransition {
  if (tradingStateSeverity[to] <= tradingStateSeverity[record.state]) return { kind: 'unchanged', record };
  return change(account, record, to, by, reason, time);
}

/**
 * A person asks for a state. A reason is required. Anyone with the operator role may make the
 * account stricter; only an admin may relax it, and not below what an open breaker holds it at
 * (reset that breaker first, which is its own audited command).
 */
export function requestTradingState(
  account: string,
  record: TradingStateRecord,
  to: TradingState,
  actor: Actor,
  reason: string,
  time: number,
  holds: readonly StateHold[],
): TradingStateTransition {
  if (reason.trim() === '') return { kind: 'refused', code: 'OPS.INVALID_REQUEST', message: 'a reason is required to change the trading state' };
  if (to === record.state) return { kind: 'unchanged', record };
  const relaxes = tradingStateSeverity[to] < tradingStateSeverity[record.state];
  if (relaxes && actor.kind !== 'ADMIN') {
    return { kind: 'refused', code: 'OPS.FORBIDDEN', message: `only an admin may move the trading state from ${record.state} to ${to}` };
  }
  const blocking = holds.filter((hold) => tradingStateSeverity[hold.atLeast] > tradingStateSeverity[to]);
  if (relaxes && blocking.length > 0) {
    const names = blocking.map((hold) => `${hold.holder} holds it at ${hold.atLeast}`).join('; ');
    return { kind: 'refused', code: 'OPS.CONFLICT', message: `cannot move to ${to}: ${names}; reset first` };
  }
  return change(account, record, to, actor.id, reason, time);
}

/**
 * The trading-state check: ACTIVE admits everything; REDUCING only orders that reduce exposure
 * (RISK.REDUCE_ONLY); HALTED only closes (RISK.TRADING_HALTED). Cancels never reach this check:
 * they are always allowed.
 */
export function tradingStateCheck(record: TradingStateRecord, effect: OrderEffect): CheckResult {
  if (record.state === 'ACTIVE' || effect === 'REDUCE') return ALLOW;
  const context = { by: record.by, since: formatTime(record.since) };
  return record.state === 'HALTED' ? deny('RISK.TRADING_HALTED', context) : deny('RISK.REDUCE_ONLY', context);
}
