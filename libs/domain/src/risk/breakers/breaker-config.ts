import type { TradingState } from '@mt5/contracts';

/** Breaker thresholds of one account. Money in account currency, times in ms. */
export interface BreakerConfig {
  readonly dailyLoss: {
    /** Loss limit as a percent of the day's starting balance; null for none. */
    readonly limitPercent: number | null;
    /** Loss limit in account currency; null for none. The smaller of the two applies. */
    readonly limitAmount: number | null;
    /** State the account moves to when the limit is hit. */
    readonly action: Extract<TradingState, 'REDUCING' | 'HALTED'>;
    /** Minute of the UTC day at which the broker day starts (22:00 UTC = 1320, as many FX brokers). */
    readonly dayStartMinuteUtc: number;
  };
  readonly drawdown: {
    /** Largest fall from the equity peak, in percent of the peak; null disables the breaker. */
    readonly maxPercent: number | null;
  };
  readonly losingStreak: {
    /** Consecutive losing trades of one strategy that block it; null disables the breaker. */
    readonly maxConsecutiveLosses: number | null;
    readonly cooldownMs: number;
  };
  readonly execution: {
    /** Consecutive transport failures that open the breaker. */
    readonly failureThreshold: number;
    /** Wait before the first probe; doubles with each consecutive open, up to `maxBackoffMs`. */
    readonly baseBackoffMs: number;
    readonly maxBackoffMs: number;
    /** Results the health score is computed over. */
    readonly windowSize: number;
  };
}

export const defaultBreakerConfig: BreakerConfig = {
  dailyLoss: { limitPercent: 5, limitAmount: null, action: 'HALTED', dayStartMinuteUtc: 22 * 60 },
  drawdown: { maxPercent: 20 },
  losingStreak: { maxConsecutiveLosses: 4, cooldownMs: 6 * 60 * 60 * 1000 },
  execution: { failureThreshold: 3, baseBackoffMs: 30_000, maxBackoffMs: 15 * 60 * 1000, windowSize: 50 },
};
