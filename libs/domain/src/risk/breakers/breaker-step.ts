import type { BreakerKind, BreakerState, TradingState } from '@mt5/contracts';
import type { RiskEvent } from '../risk-state.types.js';

/** Asks the trading state machine to move to a more restrictive state. */
export interface Escalation {
  readonly to: Extract<TradingState, 'REDUCING' | 'HALTED'>;
  readonly by: string;
  readonly reason: string;
}

/** One breaker's reaction to an input: its new state, what to emit, and an optional escalation. */
export interface BreakerStep<S> {
  readonly state: S;
  readonly events: readonly RiskEvent[];
  readonly escalation: Escalation | null;
}

/** A step that changed nothing. */
export function unchanged<S>(state: S): BreakerStep<S> {
  return { state, events: [], escalation: null };
}

/** Name a breaker signs its trading-state changes with. */
export function breakerActor(breaker: BreakerKind): string {
  return `breaker:${breaker}`;
}

export function breakerChanged(
  account: string,
  breaker: BreakerKind,
  previousState: BreakerState,
  state: BreakerState,
  figures: Readonly<Record<string, number>>,
  reason: string,
  time: number,
  strategyId: string | null = null,
): RiskEvent {
  return { type: 'BREAKER_CHANGED', account, breaker, strategyId, previousState, state, figures, reason, time };
}

/** Tolerance for threshold comparisons on money and percentages computed in doubles. */
export const THRESHOLD_EPSILON = 1e-9;
