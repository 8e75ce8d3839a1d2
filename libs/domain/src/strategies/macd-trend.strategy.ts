import type { Bar } from '../market/index.js';
import { MACD } from '../indicators/index.js';
import { validateParams } from './params.js';
import type { SignalDraft } from './signal.js';
import { BaseStrategy, defineStrategy, figure, signOf, stopDefaults, stopRules, type StopParams } from './strategy.js';

export interface MacdTrendParams extends StopParams {
  readonly fast: number;
  readonly slow: number;
  readonly signal: number;
  /** Only trade crosses on the trend's side of zero (BUY with MACD > 0, SELL with MACD < 0). */
  readonly zeroLineFilter: boolean;
}

/**
 * Trend following on MACD: BUY when the MACD line crosses above its signal line (the histogram's
 * sign turns positive from its last non-zero sign), SELL when it crosses below. Strength: the
 * MACD line's distance from zero in ATRs, capped at 1.
 */
export class MacdTrendStrategy extends BaseStrategy {
  readonly kind = 'macd-trend' as const;
  readonly warmUpBars: number;
  private readonly macd: MACD;
  private lastSign: -1 | 0 | 1 = 0;

  constructor(private readonly params: MacdTrendParams) {
    super(params);
    this.macd = new MACD(params.fast, params.slow, params.signal);
    this.warmUpBars = Math.max(this.macd.warmUp + 1, this.atr.warmUp);
  }

  protected evaluate(bar: Bar): SignalDraft | null {
    const macd = this.macd;
    macd.update(bar.close);
    const histogram = macd.histogram;
    if (histogram !== histogram) return null;
    const sign = signOf(histogram);
    if (sign === 0) return null;
    const previous = this.lastSign;
    this.lastSign = sign;
    if (previous === 0 || previous === sign) return null;
    const { fast, slow, signal, zeroLineFilter } = this.params;
    const line = macd.line;
    if (zeroLineFilter && signOf(line) !== sign) return null;
    const reason =
      `MACD(${fast},${slow},${signal}) ${figure(line)} crossed ${sign > 0 ? 'above' : 'below'} signal ${figure(macd.signalLine)}, ` +
      `histogram ${figure(histogram)}, close ${figure(bar.close)}`;
    return this.draft(sign > 0 ? 'BUY' : 'SELL', bar, Math.abs(line) / this.atr.value, reason);
  }

  protected resetIndicators(): void {
    this.macd.reset();
    this.lastSign = 0;
  }
}

const defaults: MacdTrendParams = { fast: 12, slow: 26, signal: 9, zeroLineFilter: false, ...stopDefaults };

export const macdTrend = defineStrategy<MacdTrendParams>({
  kind: 'macd-trend',
  description: 'MACD/signal-line crossover, optionally only on the trend side of zero, ATR stops',
  defaults,
  validate: (params) =>
    validateParams(
      params,
      defaults,
      {
        fast: { kind: 'integer', min: 1, max: 1000 },
        slow: { kind: 'integer', min: 2, max: 5000 },
        signal: { kind: 'integer', min: 1, max: 1000 },
        zeroLineFilter: { kind: 'boolean' },
        ...stopRules,
      },
      (p) => (p.fast < p.slow ? [] : [`fast: must be below slow, got fast=${p.fast}, slow=${p.slow}`]),
    ),
  create: (params) => new MacdTrendStrategy(params),
});
