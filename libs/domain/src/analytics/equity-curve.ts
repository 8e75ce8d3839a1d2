import type { EquityPoint, TradeFact } from './analytics.types.js';
import { ZERO, exact, minOf } from './money.js';
import { byExit } from './trade-summary.js';

/**
 * Equity of a strategy (or any subset of an account's trades): `startEquity` at `startTime`, then
 * the running sum of realised nets at each exit. Open positions are not marked to market, so it
 * moves only when a trade closes. Sums are exact before they become numbers.
 */
export function equityFromTrades(trades: readonly TradeFact[], startEquity: number, startTime?: number): EquityPoint[] {
  const ordered = byExit(trades);
  const firstTime = startTime ?? minOf(ordered.map((trade) => trade.entryTime));
  if (firstTime === null) return [];
  const points: EquityPoint[] = [{ time: firstTime, equity: startEquity, balance: startEquity }];
  let realised = ZERO;
  for (const trade of ordered) {
    realised = realised.plus(trade.netProfit);
    const equity = exact(startEquity).plus(realised).toNumber();
    points.push({ time: trade.exitTime, equity, balance: equity });
  }
  return points;
}

/**
 * At most `maxPoints` points for a chart: the series is cut into buckets and each keeps its
 * first, lowest, highest and last point, so peaks and troughs (the drawdown) survive.
 */
export function downsample(points: readonly EquityPoint[], maxPoints: number): EquityPoint[] {
  if (points.length <= maxPoints || maxPoints < 4) return [...points];
  const buckets = Math.floor(maxPoints / 4);
  const size = Math.ceil(points.length / buckets);
  const out: EquityPoint[] = [];
  for (let start = 0; start < points.length; start += size) {
    const bucket = points.slice(start, start + size);
    const low = bucket.reduce((a, b) => (b.equity < a.equity ? b : a));
    const high = bucket.reduce((a, b) => (b.equity > a.equity ? b : a));
    const keep = new Set([bucket[0], low, high, bucket[bucket.length - 1]]);
    out.push(...bucket.filter((point) => keep.has(point)));
  }
  return out;
}

/** One month of equity change. */
export interface MonthlyReturn {
  /** `YYYY-MM` (UTC). */
  readonly month: string;
  readonly startEquity: number;
  readonly endEquity: number;
  readonly change: number;
  /** change / startEquity × 100; null when the start is not positive. */
  readonly percent: number | null;
}

/** A calendar year of monthly returns, compounded into the year's figure. */
export interface YearOfReturns {
  readonly year: string;
  /** Index 0 = January; null for months outside the series. */
  readonly months: readonly (MonthlyReturn | null)[];
  /** Product of (1 + monthly return) − 1, in percent; null when any month lacks a percent. */
  readonly yearPercent: number | null;
  readonly yearChange: number;
}

/**
 * Returns month by month: each month starts at the last equity before it (the first month at the
 * first point) and ends at its last point; months without points carry equity over (0 %).
 */
export function monthlyReturns(points: readonly EquityPoint[]): MonthlyReturn[] {
  if (points.length === 0) return [];
  const sorted = [...points].sort((a, b) => a.time - b.time);
  const months: MonthlyReturn[] = [];
  const firstMonth = new Date(sorted[0].time).toISOString().slice(0, 7);
  const lastMonth = new Date(sorted[sorted.length - 1].time).toISOString().slice(0, 7);
  let equity = sorted[0].equity;
  let index = 0;
  for (let month = firstMonth; month <= lastMonth; month = nextMonth(month)) {
    const start = equity;
    const end = Date.parse(`${nextMonth(month)}-01T00:00:00.000Z`);
    while (index < sorted.length && sorted[index].time < end) equity = sorted[index++].equity;
    const change = exact(equity).minus(start).toNumber();
    months.push({ month, startEquity: start, endEquity: equity, change, percent: start > 0 ? (change / start) * 100 : null });
  }
  return months;
}

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/** {@link monthlyReturns} laid out as a year × month table. */
export function monthlyReturnTable(months: readonly MonthlyReturn[]): YearOfReturns[] {
  const years = new Map<string, (MonthlyReturn | null)[]>();
  for (const month of months) {
    const year = month.month.slice(0, 4);
    const row = years.get(year) ?? Array.from({ length: 12 }, () => null);
    row[Number(month.month.slice(5, 7)) - 1] = month;
    years.set(year, row);
  }
  return [...years.entries()].map(([year, row]) => {
    const present = row.filter((month): month is MonthlyReturn => month !== null);
    const compounded = present.every((month) => month.percent !== null)
      ? (present.reduce((product, month) => product * (1 + (month.percent as number) / 100), 1) - 1) * 100
      : null;
    return { year, months: row, yearPercent: compounded, yearChange: present.reduce((sum, month) => exact(sum).plus(month.change).toNumber(), 0) };
  });
}
