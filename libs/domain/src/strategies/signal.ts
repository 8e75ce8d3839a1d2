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
  if (!Number.isSafeInteger(barOpenTime)) throw new RangeError(`signalId: barOpenTime must be epoch ms, got ${barOpenTime}`);
  return `sig-${strategyId}-${symbol}-${timeframe}-${barOpenTime}`;
}

/** Completes a draft with its source and id. */
export function completeSignal(draft: SignalDraft, source: SignalSource): StrategySignal {
  return { ...draft, ...source, signalId: signalId(source.strategyId, source.symbol, source.timeframe, draft.barOpenTime) };
}
