import type { Timeframe } from '@mt5/contracts';

/** Trade direction of a signal. Mirrors `Sides` in contracts; the domain does not import zod schemas. */
export const Sides = ['BUY', 'SELL'] as const;
export type Side = (typeof Sides)[number];

/**
 * What a strategy says about one closed bar, before anyone knows which configured strategy or
 * which stream it belongs to. Prices are in the bar's (bid) price units.
 */
export interface SignalDraft {
  readonly side: Side;
  /** Conviction in [0, 1]; see each strategy for how it is measured. */
  readonly strength: number;
  /** Human-readable why, with the figures (`fast SMA(10) 1.13456 crossed above slow SMA(30) 1.13440`). */
  readonly reason: string;
  /** Open time of the closed bar that produced the signal (epoch ms UTC): the signal's identity. */
  readonly barOpenTime: number;
  /** Close of that bar: the price the strategy saw. */
  readonly price: number;
  /** Suggested protective stop (absolute price). */
  readonly stopLoss: number;
  /** Suggested target (absolute price), or null when the strategy is configured without one. */
  readonly takeProfit: number | null;
  /** ATR at the bar, in price units, that the stops were derived from. */
  readonly atr: number;
}

/** Where a signal came from: a configured strategy on one symbol and timeframe. */
export interface SignalSource {
  readonly strategyId: string;
  readonly strategyKind: string;
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
}

/** A complete domain signal: the draft plus its source and deterministic id. */
export interface StrategySignal extends SignalDraft, SignalSource {
  readonly signalId: string;
}

/**
 * The deterministic id of a signal: the same strategy, symbol, timeframe and bar always give the
 * same id, so a redelivered or replayed bar yields a duplicate that storage and JetStream drop.
 * Format: `sig-<strategyId>-<symbol>-<timeframe>-<barOpenTime epoch ms>`.
 */
export function signalId(strategyId: string, symbol: string, timeframe: string, barOpenTime: number): string {
  return signalIdFromPrefix(signalIdPrefix(strategyId, symbol, timeframe), barOpenTime);
}

/** The part of {@link signalId} that is fixed for one strategy, symbol and timeframe. */
export function signalIdPrefix(strategyId: string, symbol: string, timeframe: string): string {
  return `sig-${strategyId}-${symbol}-${timeframe}-`;
}

function signalIdFromPrefix(prefix: string, barOpenTime: number): string {
  if (!Number.isSafeInteger(barOpenTime)) throw new RangeError(`signalId: barOpenTime must be epoch ms, got ${barOpenTime}`);
  return flatString(prefix + barOpenTime);
}

/**
 * Returns `text` after making V8 store it as one block. A concatenation is kept as a tree of
 * pieces; reading a character flattens it, so a retained signal holds one string object instead
 * of a dozen, and the garbage collector, which copies every live object of the young
 * generation, has far less to copy when a backtest keeps thousands of signals.
 */
export function flatString(text: string): string {
  text.charCodeAt(0);
  return text;
}

/**
 * Completes a draft with its source and id. A caller completing many signals of one source can
 * pass `idPrefix` (from {@link signalIdPrefix}) to build each id with one concatenation.
 */
export function completeSignal(draft: SignalDraft, source: SignalSource, idPrefix?: string): StrategySignal {
  const prefix = idPrefix ?? signalIdPrefix(source.strategyId, source.symbol, source.timeframe);
  // Spelled out rather than spread: object spread is an order of magnitude slower in V8 here,
  // and the backtester calls this for every signal.
  return {
    signalId: signalIdFromPrefix(prefix, draft.barOpenTime),
    strategyId: source.strategyId,
    strategyKind: source.strategyKind,
    venue: source.venue,
    symbol: source.symbol,
    timeframe: source.timeframe,
    side: draft.side,
    strength: draft.strength,
    reason: flatString(draft.reason),
    barOpenTime: draft.barOpenTime,
    price: draft.price,
    stopLoss: draft.stopLoss,
    takeProfit: draft.takeProfit,
    atr: draft.atr,
  };
}
