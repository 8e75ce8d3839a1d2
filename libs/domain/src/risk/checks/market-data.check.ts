import type { Quote } from '../../positions/instrument-math.types.js';
import { priceToPoints } from '../../positions/pips.js';
import { ALLOW, deny, type CheckResult } from '../check-result.js';
import type { AccountFacts } from '../order-intent.types.js';
import type { RiskInstrument } from '../risk-instrument.types.js';

/** Denies when there is no quote, or the last one is older than `maxAgeMs` at `now` (exactly `maxAgeMs` old passes). */
export function quoteFreshnessCheck(symbol: string, quote: Quote | undefined, now: number, maxAgeMs: number): CheckResult {
  if (!quote) return deny('RISK.STALE_MARKET_DATA', { symbol, ageMs: 'none', maxAgeMs });
  const ageMs = now - quote.time;
  return ageMs > maxAgeMs ? deny('RISK.STALE_MARKET_DATA', { symbol, ageMs, maxAgeMs }) : ALLOW;
}

/** Denies an opening order when the spread, in points, is wider than the limit (equal passes). */
export function spreadCheck(instrument: RiskInstrument, quote: Quote, maxSpreadPoints: number): CheckResult {
  const spread = priceToPoints(instrument, quote.ask - quote.bid);
  return spread > maxSpreadPoints ? deny('RISK.SPREAD_TOO_WIDE', { symbol: instrument.symbol, spread, max: maxSpreadPoints }) : ALLOW;
}

/** Denies when no account snapshot is known or it is older than `maxAgeMs`: orders are not sized on old equity. */
export function accountSnapshotCheck(account: AccountFacts | null, now: number, maxAgeMs: number): CheckResult {
  if (account === null) return deny('RISK.NO_ACCOUNT_SNAPSHOT', { ageMs: 'none', maxAgeMs });
  const ageMs = now - account.time;
  return ageMs > maxAgeMs ? deny('RISK.NO_ACCOUNT_SNAPSHOT', { ageMs, maxAgeMs }) : ALLOW;
}
