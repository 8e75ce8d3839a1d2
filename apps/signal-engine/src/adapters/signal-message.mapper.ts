import { createMessage, SignalMessage, type BarClosed, type Envelope, type Signal } from '@mt5/contracts';
import type { Bar } from '@mt5/domain/market';
import type { StrategySignal } from '@mt5/domain/strategies';
import type { OutgoingSignal } from '../application/ports.js';

/** The bar a message carries, as numbers for the strategies (each decimal string parses to the nearest double). */
export function barFromMessage(data: BarClosed): Bar {
  const bar: { -readonly [K in keyof Bar]: Bar[K] } = {
    venue: data.venue, symbol: data.symbol, timeframe: data.timeframe, openTime: Date.parse(data.openTime),
    open: Number(data.open), high: Number(data.high), low: Number(data.low), close: Number(data.close), tickVolume: data.tickVolume,
  };
  if (data.spread !== undefined) bar.spreadPoints = data.spread;
  if (data.realVolume !== undefined) bar.realVolume = Number(data.realVolume);
  return bar;
}

/** Decimal places of computed prices on the wire: the scale of the price columns (NUMERIC(24,10)), so storage is exact. */
export const SIGNAL_PRICE_DECIMALS = 10;

/**
 * A computed price (stop, target, ATR) as a decimal string with {@link SIGNAL_PRICE_DECIMALS}
 * places, trailing zeros cut (`1.1279371429`, `0.00012`). Rounding to the instrument's tick is
 * risk-guard's job, which knows the instrument; the signal keeps the strategy's own figure.
 */
export function computedPrice(value: number): string {
  const text = value.toFixed(SIGNAL_PRICE_DECIMALS);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

const MAX_REASON = 500;

/** The wire form of a domain signal; `closeText` is the bar's close exactly as it travelled. */
export function wireSignal(signal: StrategySignal, closeText: string): Signal {
  const wire: { -readonly [K in keyof Signal]: Signal[K] } = {
    signalId: signal.signalId,
    strategyId: signal.strategyId,
    strategyKind: signal.strategyKind,
    symbol: signal.symbol,
    venue: signal.venue,
    timeframe: signal.timeframe,
    barTime: new Date(signal.barOpenTime).toISOString(),
    side: signal.side,
    strength: signal.strength,
    reason: signal.reason.length > MAX_REASON ? `${signal.reason.slice(0, MAX_REASON - 1)}…` : signal.reason,
    price: closeText,
    stopLoss: computedPrice(signal.stopLoss),
    atr: computedPrice(signal.atr),
  };
  if (signal.takeProfit !== null) wire.takeProfit = computedPrice(signal.takeProfit);
  return wire;
}

/** The bar behind a signal: its close as text, when it closed, and the message that made the engine look at it. */
export interface SignalOrigin {
  readonly closeText: string;
  /** ISO time the bar closed: the signal's `tsEvent`. */
  readonly closeTime: string;
  /** The bar message being handled (for a bar caught up from storage, the message that triggered the catch-up). */
  readonly cause: Pick<Envelope, 'id' | 'correlationId'>;
}

/**
 * The `sig.signal` envelope: id = signal id (the `Nats-Msg-Id`, so JetStream drops a second
 * publish), caused by the bar message (its correlation id carries on), `tsEvent` = the bar's close.
 * Throws when the signal breaks the contract (a negative stop from absurd parameters).
 */
export function signalMessage(signal: StrategySignal, origin: SignalOrigin, now: Date): OutgoingSignal {
  const data = wireSignal(signal, origin.closeText);
  const envelope = createMessage(SignalMessage, { id: signal.signalId, data, tsEvent: origin.closeTime, tsInit: now, cause: origin.cause });
  return { subject: SignalMessage.subject(data), envelope };
}
