import type { MarginMode } from '@mt5/contracts';
import { netVolume } from '../positions/position-book.js';
import { closingPrice, openingPrice, sideSign } from '../positions/profit.js';
import { normalizeVolume } from '../positions/volume-math.js';
import { executionBreakerCheck } from './breakers/execution.breaker.js';
import { strategyCooldownCheck } from './breakers/losing-streak.breaker.js';
import type { CheckResult, Deny } from './check-result.js';
import { deny } from './check-result.js';
import { duplicateCheck, instrumentCheck } from './checks/instrument.check.js';
import { accountSnapshotCheck, quoteFreshnessCheck, spreadCheck } from './checks/market-data.check.js';
import { closeVolumeCheck, maxLotsCheck, stopLossRequiredCheck, stopsCheck, volumeCheck } from './checks/order.check.js';
import { exposureCheck, marginCheck, positionCountCheck } from './checks/portfolio.check.js';
import { formatVolume } from './format.js';
import type { OrderEffect, RiskContext, RiskIntent } from './order-intent.types.js';
import type { RiskConfig } from './risk-config.js';
import type { RiskInstrument } from './risk-instrument.types.js';
import { rateLimitCheck } from './token-bucket.js';
import { tradingStateCheck } from './trading-state.js';
import { sizeByRisk, type Sized } from './sizing.js';

/**
 * Every check, in the order `evaluateOrder` runs them. Cheap identity and state gates first (a
 * duplicate or a halted account is reported as such, not as stale data), then the instrument and
 * the inputs sizing needs, then sizing, then the order itself, then the portfolio, and the rate
 * limit last so that what it reports is an order that would otherwise have gone out.
 */
export const RiskCheckNames = [
  'duplicate', 'tradingState', 'strategyCooldown', 'executionBreaker', 'instrument', 'closeVolume',
  'accountSnapshot', 'marketData', 'spread', 'stopLoss', 'sizing', 'volume', 'maxLots', 'stops',
  'positionCount', 'exposure', 'margin', 'rateLimit',
] as const;
export type RiskCheckName = (typeof RiskCheckNames)[number];

/** The verdict on one intent, with the checks that ran (the last one denied, for a denial). */
export type OrderDecision =
  | {
      readonly kind: 'allow';
      readonly effect: OrderEffect;
      /** Lots to send: sized, or as asked after checking. */
      readonly volume: number;
      /** Price the order was sized and vetted at (null for reductions, which are not priced). */
      readonly price: number | null;
      readonly sizing: Sized | null;
      readonly checks: readonly RiskCheckName[];
    }
  | (Deny & { readonly checks: readonly RiskCheckName[] });

class Pipeline {
  readonly checks: RiskCheckName[] = [];

  /** Runs a check, records it, and returns its denial (with the checks so far) or null. */
  run(name: RiskCheckName, check: () => CheckResult): OrderDecision | null {
    this.checks.push(name);
    const result = check();
    return result.kind === 'deny' ? { ...result, checks: [...this.checks] } : null;
  }
}

/**
 * What the order does to exposure, known before any check: closing (part of) a named position,
 * or on a NETTING account an opposite-side order with an explicit volume no larger than the
 * symbol's position, REDUCEs; everything else OPENs. An order risk sizes is never counted as a
 * reduction (its volume is not known up front), so a REDUCING account refuses strategy signals.
 */
export function classifyOrder(intent: RiskIntent, context: Pick<RiskContext, 'positions' | 'account'>): OrderEffect {
  if (intent.closesPositionId !== null) return 'REDUCE';
  if (context.account?.marginMode !== 'NETTING' || intent.volume === null) return 'OPEN';
  const net = netVolume({ marginMode: 'NETTING', positions: context.positions }, intent.symbol);
  const opposite = net !== 0 && Math.sign(net) !== sideSign(intent.side);
  return opposite && intent.volume <= Math.abs(net) ? 'REDUCE' : 'OPEN';
}

/**
 * Sizes an intent and runs every check in {@link RiskCheckNames} order that applies, returning
 * the first denial or an allow with the final volume. Reductions run only the duplicate,
 * trading-state, instrument and volume checks: they can only lower risk and must get through
 * when it matters most (a halted account, a tripped breaker, a stale feed).
 */
export function evaluateOrder(intent: RiskIntent, context: RiskContext, config: RiskConfig): OrderDecision {
  const pipeline = new Pipeline();
  const effect = classifyOrder(intent, context);
  const instrument = context.instruments[intent.symbol];
  return (
    pipeline.run('duplicate', () => duplicateCheck(intent, context.previousDecisionId)) ??
    pipeline.run('tradingState', () => tradingStateCheck(context.riskState.trading, effect)) ??
    (effect === 'REDUCE' ? evaluateReduction(pipeline, intent, context, instrument) : evaluateOpening(pipeline, intent, context, config, instrument))
  );
}

function evaluateReduction(pipeline: Pipeline, intent: RiskIntent, context: RiskContext, instrument: RiskInstrument | undefined): OrderDecision {
  const denied = pipeline.run('instrument', () => instrumentCheck(intent, instrument, 'REDUCE', context.sessionOpen, context.now));
  if (denied || !instrument) return denied ?? unreachable();
  let volume = intent.volume ?? 0;
  const positionId = intent.closesPositionId;
  if (positionId !== null) {
    const position = context.positions.find((candidate) => candidate.positionId === positionId);
    if (position && (position.symbol !== intent.symbol || position.side === intent.side)) {
      throw new Error(`evaluateOrder(${intent.intentId}): closing ${position.side} ${position.symbol} position ${positionId} with a ${intent.side} on ${intent.symbol}`);
    }
    volume = intent.volume ?? position?.volume ?? 0;
    const closeDenied = pipeline.run('closeVolume', () =>
      position ? closeVolumeCheck(volume, position.volume, instrument, positionId) : deny('RISK.INVALID_VOLUME', { positionId, volume: intent.volume === null ? 'all' : formatVolume(volume), open: formatVolume(0) }),
    );
    if (closeDenied) return closeDenied;
  } else {
    const volumeDenied = pipeline.run('volume', () => volumeCheck(volume, instrument));
    if (volumeDenied) return volumeDenied;
  }
  return { kind: 'allow', effect: 'REDUCE', volume, price: null, sizing: null, checks: pipeline.checks };
}

function evaluateOpening(
  pipeline: Pipeline,
  intent: RiskIntent,
  context: RiskContext,
  config: RiskConfig,
  instrument: RiskInstrument | undefined,
): OrderDecision {
  const { now, account, riskState } = context;
  const quote = context.quotes[intent.symbol];
  const gates =
    pipeline.run('strategyCooldown', () => strategyCooldownCheck(riskState.losingStreaks, intent.strategyId, now)) ??
    pipeline.run('executionBreaker', () => executionBreakerCheck(riskState.execution, now)) ??
    pipeline.run('instrument', () => instrumentCheck(intent, instrument, 'OPEN', context.sessionOpen, now)) ??
    pipeline.run('accountSnapshot', () => accountSnapshotCheck(account, now, config.maxAccountSnapshotAgeMs)) ??
    pipeline.run('marketData', () => quoteFreshnessCheck(intent.symbol, quote, now, config.maxQuoteAgeMs));
  if (gates) return gates;
  if (!instrument || !account || !quote) return unreachable();
  const maxSpread = config.maxSpreadPointsBySymbol[intent.symbol] ?? config.maxSpreadPoints;
  const orderGates =
    pipeline.run('spread', () => spreadCheck(instrument, quote, maxSpread)) ??
    pipeline.run('stopLoss', () => stopLossRequiredCheck(intent, config.allowNoStopLoss));
  if (orderGates) return orderGates;

  const price = intent.orderType === 'MARKET' ? openingPrice(intent.side, quote) : requirePrice(intent);
  let sizing: Sized | null = null;
  if (intent.volume === null) {
    const result = sizeByRisk({
      instrument, accountCurrency: account.currency, equity: account.equity, riskPercent: config.riskPercentPerTrade,
      side: intent.side, entryPrice: price, stopLoss: intent.stopLoss ?? unreachable(), maxLots: config.maxLotsPerOrder,
    });
    if (result.kind === 'deny') return pipeline.run('sizing', () => result) ?? unreachable();
    pipeline.checks.push('sizing');
    sizing = result;
  }
  const volume = sizing?.volume ?? intent.volume ?? unreachable();
  const order = { symbol: intent.symbol, side: intent.side, volume, price };
  const stopsReference = intent.orderType === 'MARKET' ? closingPrice(intent.side, quote) : price;
  const denied =
    pipeline.run('volume', () => volumeCheck(volume, instrument)) ??
    pipeline.run('maxLots', () => maxLotsCheck(volume, config.maxLotsPerOrder)) ??
    pipeline.run('stops', () => stopsCheck(intent, stopsReference, instrument)) ??
    pipeline.run('positionCount', () => positionCountCheck(context.positions, order, account.marginMode, config)) ??
    pipeline.run('exposure', () => exposureCheck(context.positions, order, context.instruments, context.quotes, account.currency, config)) ??
    pipeline.run('margin', () => marginCheck(account, instrument, addedVolume(context, intent, volume, account.marginMode), price, config)) ??
    pipeline.run('rateLimit', () => rateLimitCheck(context.rateLimit));
  return denied ?? { kind: 'allow', effect: 'OPEN', volume, price, sizing, checks: pipeline.checks };
}

/** Volume that adds margin: on NETTING an opposite-side order first offsets the symbol's position. */
function addedVolume(context: RiskContext, intent: RiskIntent, volume: number, marginMode: MarginMode): number {
  if (marginMode !== 'NETTING') return volume;
  const net = netVolume({ marginMode, positions: context.positions }, intent.symbol);
  const offsets = net !== 0 && Math.sign(net) !== sideSign(intent.side);
  return offsets ? Math.max(0, normalizeVolume(volume - Math.abs(net))) : volume;
}

function requirePrice(intent: RiskIntent): number {
  if (intent.price === null) throw new Error(`evaluateOrder(${intent.intentId}): a ${intent.orderType} order needs a price`);
  return intent.price;
}

function unreachable(): never {
  throw new Error('evaluateOrder: a check passed without the data it vouches for');
}
