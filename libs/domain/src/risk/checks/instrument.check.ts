import { ALLOW, deny, type CheckResult } from '../check-result.js';
import { formatTime } from '../format.js';
import type { OrderEffect, RiskIntent } from '../order-intent.types.js';
import type { RiskInstrument } from '../risk-instrument.types.js';

/** Denies an intent already decided (a redelivered signal, a double-clicked manual order). */
export function duplicateCheck(intent: RiskIntent, previousDecisionId: string | null): CheckResult {
  if (previousDecisionId === null) return ALLOW;
  const idKey = intent.source === 'SIGNAL' ? 'signalId' : 'intentId';
  return deny('RISK.DUPLICATE_SIGNAL', { [idKey]: intent.intentId, decisionId: previousDecisionId });
}

/**
 * The instrument is known and the venue lets this order through its trade mode and session.
 * A symbol the venue has DISABLED refuses everything; reductions otherwise pass (CLOSE_ONLY
 * exists precisely to let them out, and a closed session is the venue's to refuse).
 */
export function instrumentCheck(
  intent: Pick<RiskIntent, 'symbol' | 'side'>,
  instrument: RiskInstrument | undefined,
  effect: OrderEffect,
  sessionOpen: boolean,
  now: number,
): CheckResult {
  if (!instrument) return deny('RISK.UNKNOWN_INSTRUMENT', { symbol: intent.symbol });
  const { symbol, tradeMode } = instrument;
  if (tradeMode === 'DISABLED') return deny('RISK.MARKET_CLOSED', { symbol, tradeMode });
  if (effect === 'REDUCE') return ALLOW;
  if (tradeMode === 'CLOSE_ONLY') return deny('RISK.MARKET_CLOSED', { symbol, tradeMode });
  if ((tradeMode === 'LONG_ONLY' && intent.side === 'SELL') || (tradeMode === 'SHORT_ONLY' && intent.side === 'BUY')) {
    return deny('RISK.MARKET_CLOSED', { symbol, tradeMode, side: intent.side });
  }
  if (!sessionOpen) return deny('RISK.MARKET_CLOSED', { symbol, session: 'closed', time: formatTime(now) });
  return ALLOW;
}
