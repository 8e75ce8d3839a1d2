import type { MarginMode, Side } from '@mt5/contracts';
import { currencyExposure } from '../../positions/exposure.js';
import type { Quote } from '../../positions/instrument-math.types.js';
import { requiredMargin } from '../../positions/margin.js';
import type { Position } from '../../positions/position.types.js';
import { ALLOW, deny, type CheckResult } from '../check-result.js';
import { formatMoney, formatPercent } from '../format.js';
import type { AccountFacts } from '../order-intent.types.js';
import type { RiskConfig } from '../risk-config.js';
import type { RiskInstrument } from '../risk-instrument.types.js';

/** Tolerance for money comparisons: far below a cent, far above double noise (1.1 * 100 000 / 100 = 1100.0000000000002). */
const MONEY_EPSILON = 1e-6;

/** The opening order being vetted. */
export interface OpeningOrder {
  readonly symbol: string;
  readonly side: Side;
  readonly volume: number;
  /** Expected fill price. */
  readonly price: number;
}

/**
 * Whether the order adds a position to the book: always in HEDGING; in NETTING only when the
 * symbol is flat (adding to or reversing the symbol's position keeps one position).
 */
function addsPosition(positions: readonly Position[], symbol: string, marginMode: MarginMode): boolean {
  return marginMode === 'HEDGING' || !positions.some((position) => position.symbol === symbol);
}

/** Max open positions, on the account and on the symbol, counted as they would be after the order. */
export function positionCountCheck(
  positions: readonly Position[],
  order: Pick<OpeningOrder, 'symbol'>,
  marginMode: MarginMode,
  config: Pick<RiskConfig, 'maxOpenPositions' | 'maxOpenPositionsPerSymbol'>,
): CheckResult {
  if (!addsPosition(positions, order.symbol, marginMode)) return ALLOW;
  const open = positions.length;
  if (open + 1 > config.maxOpenPositions) return deny('RISK.MAX_POSITIONS', { open, max: config.maxOpenPositions });
  const onSymbol = positions.filter((position) => position.symbol === order.symbol).length;
  if (onSymbol + 1 > config.maxOpenPositionsPerSymbol) {
    return deny('RISK.MAX_POSITIONS', { symbol: order.symbol, open: onSymbol, max: config.maxOpenPositionsPerSymbol });
  }
  return ALLOW;
}

/** The exposure limit that applies to `currency`, or null. */
function exposureLimit(currency: string, accountCurrency: string, config: RiskConfig): number | null {
  const specific = config.currencyExposureLimits[currency];
  if (specific !== undefined) return specific;
  if (currency === accountCurrency && !config.limitAccountCurrencyExposure) return null;
  return config.maxCurrencyExposure;
}

/**
 * Max net exposure per currency (valued in account currency). Only a currency whose exposure the
 * order increases beyond its limit denies it: an order that brings an over-limit currency back
 * towards zero passes.
 */
export function exposureCheck(
  positions: readonly Position[],
  order: OpeningOrder,
  instruments: Readonly<Record<string, RiskInstrument | undefined>>,
  quotes: Readonly<Record<string, Quote | undefined>>,
  accountCurrency: string,
  config: RiskConfig,
): CheckResult {
  const before = currencyExposure(positions, instruments, quotes, accountCurrency).byCurrency;
  const after = currencyExposure([...positions, { ...order, openPrice: order.price }], instruments, quotes, accountCurrency).byCurrency;
  for (const [currency, exposure] of Object.entries(after)) {
    const limit = exposureLimit(currency, accountCurrency, config);
    if (limit === null) continue;
    const was = Math.abs(before[currency]?.value ?? 0);
    const now = Math.abs(exposure.value);
    if (now > limit + MONEY_EPSILON && now > was) {
      return deny('RISK.MAX_EXPOSURE', { currency, exposure: formatMoney(exposure.value), max: formatMoney(limit) });
    }
  }
  return ALLOW;
}

/**
 * Margin after the order (`requiredMargin` times the symbol's margin rate, as the simulator
 * computes it): free margin minus the order's margin must stay at or above
 * `minFreeMarginAfterOrder`, and the margin level (equity / used margin) at or above
 * `minMarginLevelPercent` when set. `addedVolume` is the volume that adds exposure (a netting
 * reversal only adds what exceeds the position it reverses).
 */
export function marginCheck(
  account: AccountFacts,
  instrument: RiskInstrument,
  addedVolume: number,
  price: number,
  config: Pick<RiskConfig, 'minFreeMarginAfterOrder' | 'minMarginLevelPercent'>,
): CheckResult {
  const required = requiredMargin(instrument, addedVolume, price, account.leverage, account.currency) * (instrument.marginRate ?? 1);
  const freeAfter = account.freeMargin - required;
  if (freeAfter < config.minFreeMarginAfterOrder - MONEY_EPSILON) {
    const context = { required: formatMoney(required), freeMargin: formatMoney(account.freeMargin) };
    return deny('RISK.INSUFFICIENT_MARGIN', config.minFreeMarginAfterOrder > 0 ? { ...context, floor: formatMoney(config.minFreeMarginAfterOrder) } : context);
  }
  if (config.minMarginLevelPercent !== null) {
    const usedAfter = account.margin + required;
    const levelAfter = usedAfter > 0 ? (account.equity / usedAfter) * 100 : Number.POSITIVE_INFINITY;
    if (levelAfter < config.minMarginLevelPercent - MONEY_EPSILON) {
      return deny('RISK.INSUFFICIENT_MARGIN', { marginLevel: formatPercent(levelAfter), min: formatPercent(config.minMarginLevelPercent) });
    }
  }
  return ALLOW;
}
