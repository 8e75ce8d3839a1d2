/**
 * Simple returns of consecutive equity values: r_i = E_i / E_(i−1) − 1, with `start` as E_0
 * (for daily returns: the equity at the end of each day, starting from the initial balance).
 */
export function periodReturns(start: number, equity: readonly number[]): number[] {
  const returns: number[] = [];
  let previous = start;
  for (const value of equity) {
    if (!(previous > 0)) throw new RangeError(`periodReturns: equity ${previous} is not positive`);
    returns.push(value / previous - 1);
    previous = value;
  }
  return returns;
}

/** Trading days per year used to annualise daily figures. */
export const TRADING_DAYS_PER_YEAR = 252;

/**
 * Sharpe ratio of periodic returns: mean excess return over its sample standard deviation
 * (n − 1), times √periodsPerYear. Null with fewer than two returns or no variation.
 *
 * @param riskFreePerPeriod risk-free return per period (default 0).
 */
export function sharpeRatio(returns: readonly number[], periodsPerYear = TRADING_DAYS_PER_YEAR, riskFreePerPeriod = 0): number | null {
  const n = returns.length;
  if (n < 2) return null;
  let mean = 0;
  for (const value of returns) mean += value - riskFreePerPeriod;
  mean /= n;
  let squares = 0;
  for (const value of returns) {
    const deviation = value - riskFreePerPeriod - mean;
    squares += deviation * deviation;
  }
  const deviation = Math.sqrt(squares / (n - 1));
  if (!(deviation > 0)) return null;
  return (mean / deviation) * Math.sqrt(periodsPerYear);
}
