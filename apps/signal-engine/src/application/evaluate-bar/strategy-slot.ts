import type { Bar } from '@mt5/domain/market';
import type { StrategyInstance } from '@mt5/domain/strategies';
import type { SeriesKey, StrategyConfig } from '../ports.js';

/**
 * One enabled strategy on one symbol: its instance (which owns the indicators) and two times.
 * `lastFed` is the open time of the newest bar the instance has seen (warm-up included);
 * `cursor` the newest bar it evaluated and committed. A bar at or before the cursor was already
 * handled (a redelivery, a duplicate, an out-of-order arrival) and changes nothing.
 */
export class StrategySlot {
  lastFed = Number.NEGATIVE_INFINITY;
  cursor = Number.NEGATIVE_INFINITY;
  /** Bars fed by the last warm-up. */
  warmedBars = 0;

  constructor(
    readonly config: StrategyConfig,
    readonly key: SeriesKey,
    readonly instance: StrategyInstance,
    /** Bars to read for a warm-up. */
    readonly warmUpCount: number,
    /** Warm-ups start at a series index that is a multiple of this (see `phaseModulus`). */
    readonly phase = 1,
  ) {}

  get strategyId(): string {
    return this.config.id;
  }

  /** Forgets everything, then feeds `bars` (oldest first) without keeping any signal. */
  warm(bars: readonly Bar[]): void {
    this.instance.reset();
    for (const bar of bars) this.instance.onBar(bar);
    this.lastFed = bars.length > 0 ? bars[bars.length - 1]!.openTime : Number.NEGATIVE_INFINITY;
    this.warmedBars = bars.length;
  }
}

/**
 * Bars to warm with: the strategy's minimum times the factor, capped. See SIG_WARM_UP_FACTOR for
 * why more than the minimum: the recursive averages must forget their seed.
 */
export function warmUpCount(instance: StrategyInstance, factor: number, max: number): number {
  return Math.max(instance.warmUpBars, Math.min(max, instance.warmUpBars * factor));
}
