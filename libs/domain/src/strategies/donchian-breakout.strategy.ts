import type { Bar } from '../market/index.js';
import { DonchianChannels } from '../indicators/index.js';
import { validateParams } from './params.js';
import type { SignalDraft } from './signal.js';
import { BaseStrategy, defineStrategy, figure, stopDefaults, stopRules, type StopParams } from './strategy.js';

export interface DonchianBreakoutParams extends StopParams {
  readonly period: number;
}

/**
 * Channel breakout (the Turtle rule): BUY when the close exceeds the highest high of the
 * previous `period` bars, SELL when it falls below their lowest low, once per breakout (the
 * previous close was not already outside its channel on that side). Strength: distance beyond
 * the channel in ATRs, capped at 1.
 */
export class DonchianBreakoutStrategy extends BaseStrategy {
  readonly kind = 'donchian-breakout' as const;
  readonly warmUpBars: number;
  private readonly channel: DonchianChannels;
  /** Where the previous close was relative to its channel: 1 above, -1 below, 0 inside or unknown. */
  private previousZone = 0;

  constructor(private readonly params: DonchianBreakoutParams) {
    super(params);
    this.channel = new DonchianChannels(params.period);
    this.warmUpBars = Math.max(params.period + 1, this.atr.warmUp);
  }

  protected evaluate(bar: Bar): SignalDraft | null {
    // The channel of the bars before this one: read it before adding the bar.
    const upper = this.channel.upper;
    const lower = this.channel.lower;
    this.channel.update(bar);
    if (upper !== upper) return null;
    const close = bar.close;
    const zone = close > upper ? 1 : close < lower ? -1 : 0;
    const previous = this.previousZone;
    this.previousZone = zone;
    if (zone === 0 || previous === zone) return null;
    const level = zone > 0 ? upper : lower;
    const atr = this.atr.value;
    const reason =
      `close ${figure(close)} broke ${zone > 0 ? 'above' : 'below'} the ${this.params.period}-bar ` +
      `${zone > 0 ? 'high' : 'low'} ${figure(level)} (channel ${figure(lower)}..${figure(upper)})`;
    return this.draft(zone > 0 ? 'BUY' : 'SELL', bar, Math.abs(close - level) / atr, reason);
  }

  protected resetIndicators(): void {
    this.channel.reset();
    this.previousZone = 0;
  }
}

const defaults: DonchianBreakoutParams = { period: 20, ...stopDefaults };

export const donchianBreakout = defineStrategy<DonchianBreakoutParams>({
  kind: 'donchian-breakout',
  description: 'Close beyond the previous N-bar high/low, ATR stops',
  defaults,
  validate: (params) => validateParams(params, defaults, { period: { kind: 'integer', min: 2, max: 1000 }, ...stopRules }),
  create: (params) => new DonchianBreakoutStrategy(params),
});
