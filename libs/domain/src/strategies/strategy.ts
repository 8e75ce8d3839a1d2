import type { Bar } from '../market/index.js';
import { ATR } from '../indicators/index.js';
import type { FieldRule, ValidationResult } from './params.js';
import type { Side, SignalDraft } from './signal.js';

/** The strategy kinds the platform implements; a configured strategy names one of these. */
export const StrategyKinds = ['ma-crossover', 'rsi-reversion', 'bollinger-breakout', 'macd-trend', 'donchian-breakout'] as const;
export type StrategyKind = (typeof StrategyKinds)[number];

/**
 * One running strategy on one symbol and timeframe. It owns its indicators, so the signal
 * engine and the backtester run literally the same code per bar (parity). `onBar` is a pure
 * function of the sequence of closed bars seen so far: a bar whose open time is not after the
 * previous one (a duplicate or an out-of-order delivery) is ignored and changes nothing.
 */
export interface StrategyInstance {
  readonly kind: StrategyKind;
  /** Closed bars needed before the first signal is possible; the engine warms up with this many. */
  readonly warmUpBars: number;
  /** Feeds one closed bar; returns a signal for that bar, or null. */
  onBar(bar: Bar): SignalDraft | null;
  /** Forgets every bar. */
  reset(): void;
}

/** A strategy kind: its parameter defaults and rules, and the factory for instances. */
export interface StrategyDefinition<P extends object = object> {
  readonly kind: StrategyKind;
  readonly description: string;
  /** A complete parameter set that passes `validate`. */
  readonly defaults: P;
  /** Checks a (partial) parameter object and fills in defaults; reports every problem at once. */
  validate(params: unknown): ValidationResult<P>;
  /** Creates an instance from validated parameters. */
  create(params: P): StrategyInstance;
  /** `validate` then `create`: the entry point for untyped configuration (database, CLI). */
  build(params: unknown): BuildResult;
}

/** An instance, or every reason the parameters were refused. */
export type BuildResult =
  | { readonly ok: true; readonly instance: StrategyInstance; readonly params: object }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Assembles a definition, deriving `build` from `validate` and `create`. */
export function defineStrategy<P extends object>(spec: Omit<StrategyDefinition<P>, 'build'>): StrategyDefinition<P> {
  return {
    ...spec,
    build(params: unknown): BuildResult {
      const result = spec.validate(params);
      return result.ok ? { ok: true, instance: spec.create(result.params), params: result.params } : result;
    },
  };
}

/** Parameters every strategy has: stops as multiples of ATR at the signal bar. */
export interface StopParams {
  /** ATR period for stops and strength. */
  readonly atrPeriod: number;
  /** Stop-loss distance from the close, in ATRs. */
  readonly stopLossAtr: number;
  /** Take-profit distance from the close, in ATRs; 0 means no take-profit. */
  readonly takeProfitAtr: number;
}

export const stopDefaults: StopParams = { atrPeriod: 14, stopLossAtr: 2, takeProfitAtr: 3 };

export const stopRules: { readonly [K in keyof StopParams]: FieldRule } = {
  atrPeriod: { kind: 'integer', min: 1, max: 500 },
  stopLossAtr: { kind: 'number', min: 0, max: 100, minExclusive: true },
  takeProfitAtr: { kind: 'number', min: 0, max: 100 },
};

/** Sign of a number as -1, 0 or 1. */
export function signOf(value: number): -1 | 0 | 1 {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

/**
 * Six significant digits, trailing zeros dropped (`1.08`, `0.0158594`, `35.7143`): enough for any
 * FX price or oscillator in a reason. Same text as `String(Number(value.toPrecision(6)))`,
 * without the round trip: the backtester formats every signal's figures.
 */
export function figure(value: number): string {
  const text = value.toPrecision(6);
  // Exponent form (|x| ≥ 1e6 or < 1e-6) is rare: let Number/String decide its shape.
  if (text.indexOf('e') >= 0) return String(Number(text));
  if (text.indexOf('.') < 0) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (text.charCodeAt(end - 1) === 46 /* . */) end--;
  return text.slice(0, end);
}

/** Clamps to [0, 1] (NaN becomes 0). */
export function clamp01(value: number): number {
  return value > 1 ? 1 : value > 0 ? value : 0;
}

/**
 * The shared frame of every strategy: drops bars that are not newer than the last one, keeps the
 * ATR used for stops, and builds drafts. Subclasses implement `evaluate`.
 */
export abstract class BaseStrategy implements StrategyInstance {
  abstract readonly kind: StrategyKind;
  abstract readonly warmUpBars: number;
  protected readonly atr: ATR;
  private lastOpenTime = Number.NEGATIVE_INFINITY;

  protected constructor(protected readonly stops: StopParams) {
    this.atr = new ATR(stops.atrPeriod);
  }

  onBar(bar: Bar): SignalDraft | null {
    if (!(bar.openTime > this.lastOpenTime)) return null;
    this.lastOpenTime = bar.openTime;
    this.atr.update(bar);
    return this.evaluate(bar);
  }

  reset(): void {
    this.lastOpenTime = Number.NEGATIVE_INFINITY;
    this.atr.reset();
    this.resetIndicators();
  }

  /** Called with each new closed bar after the ATR has been updated with it. */
  protected abstract evaluate(bar: Bar): SignalDraft | null;

  protected abstract resetIndicators(): void;

  /** A draft with ATR-based stops around the bar's close; null while the ATR is warming up. */
  protected draft(side: Side, bar: Bar, strength: number, reason: string): SignalDraft | null {
    const atr = this.atr.value;
    if (!(atr > 0)) return null;
    const direction = side === 'BUY' ? 1 : -1;
    const price = bar.close;
    const { stopLossAtr, takeProfitAtr } = this.stops;
    return {
      side,
      strength: clamp01(strength),
      reason,
      barOpenTime: bar.openTime,
      price,
      stopLoss: price - direction * stopLossAtr * atr,
      takeProfit: takeProfitAtr > 0 ? price + direction * takeProfitAtr * atr : null,
      atr,
    };
  }
}
