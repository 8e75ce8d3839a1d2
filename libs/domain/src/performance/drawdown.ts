/** The deepest fall of an equity series from a previous peak. */
export interface Drawdown {
  /** Largest peak-to-trough fall in money. */
  readonly money: number;
  /** Largest peak-to-trough fall as a percentage of its peak (0..100); may be a different fall than `money`'s. */
  readonly percent: number;
}

/**
 * Maximum drawdown of an equity series (first value = starting equity), in money and in percent
 * of the running peak. Each is the maximum of its own measure: a late fall from a high peak can
 * be the largest in money while an early fall from a low peak is the largest in percent.
 */
export function maxDrawdown(equity: readonly number[]): Drawdown {
  let peak = Number.NEGATIVE_INFINITY;
  let money = 0;
  let percent = 0;
  for (const value of equity) {
    if (!Number.isFinite(value)) throw new RangeError(`maxDrawdown: equity value ${value}`);
    if (value > peak) peak = value;
    const fall = peak - value;
    if (fall > money) money = fall;
    if (peak > 0 && (fall / peak) * 100 > percent) percent = (fall / peak) * 100;
  }
  return { money, percent };
}
