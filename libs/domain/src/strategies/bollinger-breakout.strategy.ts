import type { Bar } from '../market/index.js';
import { BollingerBands } from '../indicators/index.js';
import { validateParams } from './params.js';
import type { SignalDraft } from './signal.js';
import { BaseStrategy, defineStrategy, figure, stopDefaults, stopRules, type StopParams } from './strategy.js';

export interface BollingerBreakoutParams extends StopParams {
  readonly period: number;
  readonly deviations: number;
}

/**
 * Volatility breakout: BUY on the first close above the upper Bollinger band (the previous close
 * was at or below its band), SELL on the first close below the lower band. Strength: how far
 * beyond the band the close is, in units of the band's half-width (k σ), capped at 1.
 */
export class BollingerBreakoutStrategy extends BaseStrategy {
  readonly kind = 'bollinger-breakout' as const;
  readonly warmUpBars: number;
  private readonly bands: BollingerBands;
  /** Where the previous close was: 1 above the upper band, -1 below the lower, 0 inside, NaN unknown. */
  private previousZone = Number.NaN;

  constructor(private readonly params: BollingerBreakoutParams) {
    super(params);
    this.bands = new BollingerBands(params.period, params.deviations);
    this.warmUpBars = Math.max(params.period + 1, this.atr.warmUp);
  }

  protected evaluate(bar: Bar): SignalDraft | null {
    const bands = this.bands;
    bands.update(bar.close);
    const upper = bands.upper;
    const lower = bands.lower;
    if (upper !== upper) return null;
    const close = bar.close;
    const zone = close > upper ? 1 : close < lower ? -1 : 0;
    const previous = this.previousZone;
    this.previousZone = zone;
    if (zone === 0 || previous !== previous || previous === zone) return null;
    const { period, deviations } = this.params;
    const middle = bands.middle;
    const halfWidth = upper - middle;
    const band = zone > 0 ? upper : lower;
    const reason =
      `close ${figure(close)} broke ${zone > 0 ? 'above the upper' : 'below the lower'} Bollinger band(${period}, ${deviations}) ` +
      `${figure(band)}, middle ${figure(middle)}`;
    return this.draft(zone > 0 ? 'BUY' : 'SELL', bar, Math.abs(close - band) / halfWidth, reason);
  }

  protected resetIndicators(): void {
    this.bands.reset();
    this.previousZone = Number.NaN;
  }
}

const defaults: BollingerBreakoutParams = { period: 20, deviations: 2, ...stopDefaults };

export const bollingerBreakout = defineStrategy<BollingerBreakoutParams>({
  kind: 'bollinger-breakout',
  description: 'Close outside a Bollinger band, ATR stops',
  defaults,
  validate: (params) =>
    validateParams(params, defaults, {
      period: { kind: 'integer', min: 2, max: 1000 },
      deviations: { kind: 'number', min: 0, max: 10, minExclusive: true },
      ...stopRules,
    }),
  create: (params) => new BollingerBreakoutStrategy(params),
});
