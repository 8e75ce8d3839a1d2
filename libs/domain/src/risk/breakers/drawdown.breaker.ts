import type { DrawdownState, SnapshotFigures } from '../risk-state.types.js';
import type { BreakerConfig } from './breaker-config.js';
import { breakerActor, breakerChanged, THRESHOLD_EPSILON, unchanged, type BreakerStep } from './breaker-step.js';
import { formatMoney, formatPercent } from '../format.js';

export const initialDrawdown: DrawdownState = { status: 'CLOSED', peakEquity: null, trippedAt: null };

/** Fall from the peak in percent of the peak (0 at or above the peak). */
export function drawdownPercent(peakEquity: number, equity: number): number {
  return peakEquity > 0 ? Math.max(0, ((peakEquity - equity) / peakEquity) * 100) : 0;
}

/**
 * A snapshot arrived: the peak follows equity up; a fall from the peak at or beyond the limit
 * trips the breaker and halts the account. Nothing but an admin closes it again.
 */
export function drawdownOnSnapshot(
  state: DrawdownState,
  snapshot: SnapshotFigures,
  config: BreakerConfig['drawdown'],
  account: string,
): BreakerStep<DrawdownState> {
  const peakEquity = Math.max(state.peakEquity ?? snapshot.equity, snapshot.equity);
  const current = { ...state, peakEquity };
  const percent = drawdownPercent(peakEquity, snapshot.equity);
  if (state.status === 'OPEN' || config.maxPercent === null || percent < config.maxPercent - THRESHOLD_EPSILON) return unchanged(current);
  const reason =
    `equity ${formatMoney(snapshot.equity)} is ${formatPercent(percent)}% below the peak ${formatMoney(peakEquity)} ` +
    `(limit ${formatPercent(config.maxPercent)}%)`;
  return {
    state: { ...current, status: 'OPEN', trippedAt: snapshot.time },
    events: [
      breakerChanged(account, 'MAX_DRAWDOWN', 'CLOSED', 'OPEN', { equity: snapshot.equity, peakEquity, drawdownPercent: percent, limitPercent: config.maxPercent }, reason, snapshot.time),
    ],
    escalation: { to: 'HALTED', by: breakerActor('MAX_DRAWDOWN'), reason },
  };
}

/** An admin reset: the breaker closes and the peak restarts from the current equity. */
export function drawdownReset(state: DrawdownState, last: SnapshotFigures | null, reason: string, time: number, account: string): BreakerStep<DrawdownState> {
  const next: DrawdownState = { status: 'CLOSED', trippedAt: null, peakEquity: last?.equity ?? state.peakEquity };
  if (state.status === 'CLOSED') return { state: next, events: [], escalation: null };
  const figures: Record<string, number> = next.peakEquity === null ? {} : { peakEquity: next.peakEquity };
  return { state: next, events: [breakerChanged(account, 'MAX_DRAWDOWN', 'OPEN', 'CLOSED', figures, reason, time)], escalation: null };
}
