import { EMA } from './ema.indicator.js';

/**
 * Wilder's smoothing (also called RMA or SMMA): an exponential average with weight 1 / period,
 * seeded with the simple average of the first `period` inputs, as in Wilder (1978) for RSI, ATR
 * and ADX.
 */
export class WilderAverage extends EMA {
  constructor(period: number) {
    super(period, 1 / period);
  }
}
