import type { Bar } from '../market/index.js';
import { RSI } from '../indicators/index.js';
import { validateParams } from './params.js';
import type { SignalDraft } from './signal.js';
import { BaseStrategy, defineStrategy, figure, stopDefaults, stopRules, type StopParams } from './strategy.js';

export interface RsiReversionParams extends StopParams {
  readonly period: number;
  readonly oversold: number;
  readonly overbought: number;
}

/**
 * Mean reversion on RSI: BUY when RSI comes back up through the oversold level (it was below on
 * the previous bar and is at or above it now), SELL when it comes back down through overbought.
 * Waiting for the turn, rather than selling the first overbought bar, avoids fading a trend that
 * keeps going. Strength: how deep the excursion went beyond the level, relative to the room
 * beyond it ((oversold − lowest RSI) / oversold).
 */
export class RsiReversionStrategy extends BaseStrategy {
  readonly kind = 'rsi-reversion' as const;
  readonly warmUpBars: number;
  private readonly rsi: RSI;
  private previous = Number.NaN;
  /** Most extreme RSI of the current excursion beyond a level (NaN when inside the band). */
  private extreme = Number.NaN;

  constructor(private readonly params: RsiReversionParams) {
    super(params);
    this.rsi = new RSI(params.period);
    this.warmUpBars = Math.max(this.rsi.warmUp + 1, this.atr.warmUp);
  }

  protected evaluate(bar: Bar): SignalDraft | null {
    this.rsi.update(bar.close);
    const rsi = this.rsi.value;
    if (rsi !== rsi) return null;
    const { oversold, overbought, period } = this.params;
    const previous = this.previous;
    this.previous = rsi;
    if (rsi < oversold) {
      this.extreme = previous < oversold && this.extreme < rsi ? this.extreme : rsi;
      return null;
    }
    if (rsi > overbought) {
      this.extreme = previous > overbought && this.extreme > rsi ? this.extreme : rsi;
      return null;
    }
    const extreme = this.extreme;
    this.extreme = Number.NaN;
    if (previous < oversold) {
      const reason = `RSI(${period}) rose back through oversold ${oversold}: ${figure(previous)} -> ${figure(rsi)}, low ${figure(extreme)}, close ${figure(bar.close)}`;
      return this.draft('BUY', bar, (oversold - extreme) / oversold, reason);
    }
    if (previous > overbought) {
      const reason = `RSI(${period}) fell back through overbought ${overbought}: ${figure(previous)} -> ${figure(rsi)}, high ${figure(extreme)}, close ${figure(bar.close)}`;
      return this.draft('SELL', bar, (extreme - overbought) / (100 - overbought), reason);
    }
    return null;
  }

  protected resetIndicators(): void {
    this.rsi.reset();
    this.previous = Number.NaN;
    this.extreme = Number.NaN;
  }
}

const defaults: RsiReversionParams = { period: 14, oversold: 30, overbought: 70, ...stopDefaults };

export const rsiReversion = defineStrategy<RsiReversionParams>({
  kind: 'rsi-reversion',
  description: 'RSI mean reversion: trade the return from oversold/overbought, ATR stops',
  defaults,
  validate: (params) =>
    validateParams(
      params,
      defaults,
      {
        period: { kind: 'integer', min: 2, max: 500 },
        oversold: { kind: 'number', min: 0, max: 50, minExclusive: true },
        overbought: { kind: 'number', min: 50, max: 100 },
        ...stopRules,
      },
      (p) => (p.oversold < p.overbought && p.overbought < 100 ? [] : [`overbought: must be above oversold and below 100, got oversold=${p.oversold}, overbought=${p.overbought}`]),
    ),
  create: (params) => new RsiReversionStrategy(params),
});
