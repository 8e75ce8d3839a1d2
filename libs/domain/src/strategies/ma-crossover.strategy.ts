import type { Bar } from '../market/index.js';
import { EMA, SMA, WMA, type NumericIndicator } from '../indicators/index.js';
import { validateParams } from './params.js';
import type { SignalDraft } from './signal.js';
import { BaseStrategy, defineStrategy, figure, signOf, stopDefaults, stopRules, type StopParams } from './strategy.js';

export const MovingAverageTypes = ['SMA', 'EMA', 'WMA'] as const;
export type MovingAverageType = (typeof MovingAverageTypes)[number];

export interface MaCrossoverParams extends StopParams {
  readonly fast: number;
  readonly slow: number;
  readonly maType: MovingAverageType;
}

function movingAverage(type: MovingAverageType, period: number): NumericIndicator<number> {
  return type === 'EMA' ? new EMA(period) : type === 'WMA' ? new WMA(period) : new SMA(period);
}

/**
 * BUY when the fast average of closes crosses above the slow one, SELL when it crosses below.
 * A cross is a change of the sign of (fast − slow) from its last non-zero sign, so touching and
 * leaving the same side is not a signal. Strength: distance of the close from the slow average in
 * ATRs, capped at 1.
 */
export class MaCrossoverStrategy extends BaseStrategy {
  readonly kind = 'ma-crossover' as const;
  readonly warmUpBars: number;
  private readonly fast: NumericIndicator<number>;
  private readonly slow: NumericIndicator<number>;
  private lastSign: -1 | 0 | 1 = 0;
  /** Fixed parts of the reason, built once: a reason is made for every signal. */
  private readonly fastLabel: string;
  private readonly slowLabel: string;

  constructor(params: MaCrossoverParams) {
    super(params);
    this.fast = movingAverage(params.maType, params.fast);
    this.slow = movingAverage(params.maType, params.slow);
    // The slow average is first known on bar `slow`; a cross needs one more.
    this.warmUpBars = Math.max(params.slow + 1, this.atr.warmUp);
    this.fastLabel = `fast ${params.maType}(${params.fast}) `;
    this.slowLabel = ` slow ${params.maType}(${params.slow}) `;
  }

  protected evaluate(bar: Bar): SignalDraft | null {
    // update + value rather than add: no boxed number per bar on the hot path.
    this.fast.update(bar.close);
    this.slow.update(bar.close);
    const fast = this.fast.value;
    const slow = this.slow.value;
    if (slow !== slow) return null;
    const sign = signOf(fast - slow);
    if (sign === 0) return null;
    const previous = this.lastSign;
    this.lastSign = sign;
    if (previous === 0 || previous === sign) return null;
    // The close and the ATR travel in the signal's own fields; the reason carries the cross.
    const reason = this.fastLabel + figure(fast) + (sign > 0 ? ' crossed above' : ' crossed below') + this.slowLabel + figure(slow);
    return this.draft(sign > 0 ? 'BUY' : 'SELL', bar, Math.abs(bar.close - slow) / this.atr.value, reason);
  }

  protected resetIndicators(): void {
    this.fast.reset();
    this.slow.reset();
    this.lastSign = 0;
  }
}

const defaults: MaCrossoverParams = { fast: 10, slow: 30, maType: 'SMA', ...stopDefaults };

export const maCrossover = defineStrategy<MaCrossoverParams>({
  kind: 'ma-crossover',
  description: 'Fast/slow moving-average crossover with ATR stops',
  defaults,
  validate: (params) =>
    validateParams(
      params,
      defaults,
      {
        fast: { kind: 'integer', min: 1, max: 1000 },
        slow: { kind: 'integer', min: 2, max: 5000 },
        maType: { kind: 'enum', values: MovingAverageTypes },
        ...stopRules,
      },
      (p) => (p.fast < p.slow ? [] : [`fast: must be below slow, got fast=${p.fast}, slow=${p.slow}`]),
    ),
  create: (params) => new MaCrossoverStrategy(params),
});
