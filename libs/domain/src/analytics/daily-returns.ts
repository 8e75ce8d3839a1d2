import { periodReturns, sharpeRatio, TRADING_DAYS_PER_YEAR } from '../performance/index.js';
import type { EquityPoint } from './analytics.types.js';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an epoch-ms time, in UTC (the day boundary of every daily figure here). */
export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Epoch ms of 00:00 UTC of a `YYYY-MM-DD` day. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

export interface DailyClose {
  readonly day: string;
  readonly equity: number;
}

export interface DailyCloseOptions {
  /** Keep Saturdays and Sundays (venues that trade every day, such as crypto). Default false. */
  readonly includeWeekends?: boolean;
}

/**
 * Equity at the end of each day (UTC) from the first point's day to the last point's day, the
 * last value seen by then carried over days without a point. Saturdays and Sundays are left out
 * unless asked for: FX is closed, and a flat weekend would count as two zero-return days.
 */
export function dailyCloses(points: readonly EquityPoint[], options: DailyCloseOptions = {}): DailyClose[] {
  if (points.length === 0) return [];
  const sorted = [...points].sort((a, b) => a.time - b.time);
  const closes: DailyClose[] = [];
  let index = 0;
  let equity = sorted[0].equity;
  const last = dayStart(utcDay(sorted[sorted.length - 1].time));
  for (let start = dayStart(utcDay(sorted[0].time)); start <= last; start += DAY_MS) {
    while (index < sorted.length && sorted[index].time < start + DAY_MS) equity = sorted[index++].equity;
    const weekday = new Date(start).getUTCDay();
    if (!options.includeWeekends && (weekday === 0 || weekday === 6)) continue;
    closes.push({ day: utcDay(start), equity });
  }
  return closes;
}

/**
 * Sortino ratio of periodic returns against a target of 0 (the risk-free rate is taken as 0):
 * mean return over the downside deviation `sqrt(Σ min(r, 0)² / n)` (all n periods in the
 * denominator), times √periodsPerYear. Null with fewer than two returns or no losing period.
 */
export function sortinoRatio(returns: readonly number[], periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  const n = returns.length;
  if (n < 2) return null;
  const mean = returns.reduce((sum, r) => sum + r, 0) / n;
  const downside = Math.sqrt(returns.reduce((sum, r) => sum + Math.min(r, 0) ** 2, 0) / n);
  if (!(downside > 0)) return null;
  return (mean / downside) * Math.sqrt(periodsPerYear);
}

export interface DailyRiskRatios {
  readonly days: number;
  readonly returns: readonly number[];
  /** Annualised with √252, risk-free rate 0 (performance library's `sharpeRatio`). */
  readonly sharpe: number | null;
  /** Annualised with √252, target and risk-free rate 0. */
  readonly sortino: number | null;
}

/**
 * Sharpe and Sortino of daily returns: `r_d = E_d / E_(d−1) − 1` over {@link dailyCloses}, with
 * `startEquity` (default: the first point's equity) as E_0.
 */
export function dailyRiskRatios(points: readonly EquityPoint[], startEquity?: number, options: DailyCloseOptions = {}): DailyRiskRatios {
  const closes = dailyCloses(points, options);
  if (closes.length === 0) return { days: 0, returns: [], sharpe: null, sortino: null };
  const start = startEquity ?? [...points].sort((a, b) => a.time - b.time)[0].equity;
  if (!(start > 0) || closes.some((close) => !(close.equity > 0))) return { days: closes.length, returns: [], sharpe: null, sortino: null };
  const returns = periodReturns(start, closes.map((close) => close.equity));
  const periods = options.includeWeekends ? 365 : TRADING_DAYS_PER_YEAR;
  return { days: closes.length, returns, sharpe: sharpeRatio(returns, periods), sortino: sortinoRatio(returns, periods) };
}
