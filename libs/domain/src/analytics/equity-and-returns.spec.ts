// Drawdowns with dates, daily closes and ratios, equity from trades and monthly returns; every
// expected value is worked out by hand beside it.
import { describe, expect, it } from '@jest/globals';
import { maxDrawdown } from '../performance/index.js';
import { dailyCloses, dailyRiskRatios, sortinoRatio } from './daily-returns.js';
import { analyseDrawdowns } from './drawdown-episodes.js';
import { downsample, equityFromTrades, monthlyReturnTable, monthlyReturns } from './equity-curve.js';
import { SESSION_TRADES, sessionTime } from './session-trades.fixture.js';

const hour = (n: number) => Date.parse('2024-03-04T00:00:00.000Z') + n * 3_600_000;
const series = (values: number[]) => values.map((equity, i) => ({ time: hour(i), equity }));

describe('analyseDrawdowns', () => {
  it('dates the deepest fall in money and the deepest in percent, which can be different falls', () => {
    // 1000 → 800 is 200 (20 %), recovered at t2 (1500); 1500 → 1250 is 250 (16.67 %), recovered at t4.
    const result = analyseDrawdowns(series([1000, 800, 1500, 1250, 1600]));
    expect(result.deepestMoney).toEqual({ peakTime: hour(2), peakEquity: 1500, troughTime: hour(3), troughEquity: 1250, money: 250, percent: (250 / 1500) * 100, recoveryTime: hour(4) });
    expect(result.deepestPercent).toMatchObject({ peakTime: hour(0), troughTime: hour(1), money: 200, percent: 20, recoveryTime: hour(2) });
    expect(result.underwater.map((p) => p.money)).toEqual([0, -200, 0, -250, 0]);
  });

  it('agrees with the performance library on the same values', () => {
    const values = [500, 520, 480, 530, 470, 460, 540, 400, 600];
    const result = analyseDrawdowns(series(values));
    expect({ money: result.deepestMoney?.money, percent: result.deepestPercent?.percent }).toEqual(maxDrawdown(values));
  });

  it('leaves the recovery open while equity is still below the peak', () => {
    // Peak 120 at t1, trough 90 at t2: 30, 25 %, not recovered.
    expect(analyseDrawdowns(series([100, 120, 90, 110])).deepestMoney).toMatchObject({ money: 30, percent: 25, troughTime: hour(2), recoveryTime: null });
    expect(analyseDrawdowns(series([100, 110, 120])).deepestMoney).toBeNull();
  });
});

describe('daily returns', () => {
  const day = (d: string, h = 20) => Date.parse(`${d}T${String(h).padStart(2, '0')}:00:00.000Z`);

  it('takes the last equity of each weekday, carries it over empty days and skips the weekend', () => {
    const points = [
      { time: day('2024-03-01', 10), equity: 1000 }, // Friday
      { time: day('2024-03-01'), equity: 1010 },
      { time: day('2024-03-02'), equity: 1025 }, // Saturday: left out, but carried into Monday
      { time: day('2024-03-05'), equity: 1030 }, // Tuesday
    ];
    expect(dailyCloses(points)).toEqual([
      { day: '2024-03-01', equity: 1010 }, { day: '2024-03-04', equity: 1025 }, { day: '2024-03-05', equity: 1030 },
    ]);
    expect(dailyCloses(points, { includeWeekends: true })).toHaveLength(5);
  });

  it('computes Sortino over the downside deviation of all periods', () => {
    // Mean (0.02 - 0.01 + 0.03 - 0.02) / 4 = 0.005; downside sqrt((0.0001 + 0.0004) / 4) = 0.0111803;
    // 0.005 / 0.0111803 = 0.4472136 (= 1/√5) per period.
    expect(sortinoRatio([0.02, -0.01, 0.03, -0.02], 1)).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(sortinoRatio([0.02, -0.01, 0.03, -0.02])).toBeCloseTo(Math.sqrt(252 / 5), 12);
    expect(sortinoRatio([0.01, 0.02])).toBeNull();
  });

  it('annualises Sharpe and Sortino of daily returns from the starting equity', () => {
    // Closes Mon 1010, Tue 1000, Wed 1030 from 1000: returns 0.01, -0.00990099, 0.03.
    const points = [{ time: day('2024-03-04', 0), equity: 1000 }, { time: day('2024-03-04'), equity: 1010 }, { time: day('2024-03-05'), equity: 1000 }, { time: day('2024-03-06'), equity: 1030 }];
    const ratios = dailyRiskRatios(points);
    const r = [0.01, 1000 / 1010 - 1, 0.03];
    const mean = (r[0] + r[1] + r[2]) / 3;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    expect(ratios.days).toBe(3);
    expect(ratios.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 10);
    expect(ratios.sortino).toBeCloseTo((mean / Math.sqrt(r[1] ** 2 / 3)) * Math.sqrt(252), 10);
  });
});

describe('equity from trades and monthly returns', () => {
  it('adds realised nets to the starting equity at each exit', () => {
    const points = equityFromTrades(SESSION_TRADES, 10_000);
    // Exit order: +77.2, +85.8, -103.5, -32.1 (03-05 16:00), +188.6 (03-06 09:00), -1.4.
    expect(points.map((p) => p.equity)).toEqual([10_000, 10_077.2, 10_163, 10_059.5, 10_027.4, 10_216, 10_214.6]);
    expect(points[0].time).toBe(sessionTime('2024-03-04 09:00'));
  });

  it('lays out month-by-month returns, carrying equity over empty months, and compounds the year', () => {
    const at = (text: string) => Date.parse(`${text}T12:00:00.000Z`);
    const months = monthlyReturns([{ time: at('2024-01-15'), equity: 1000 }, { time: at('2024-01-31'), equity: 1100 }, { time: at('2024-03-10'), equity: 1045 }]);
    // Jan 1000 → 1100 (+10 %), Feb flat, Mar 1100 → 1045 (-5 %).
    expect(months).toEqual([
      { month: '2024-01', startEquity: 1000, endEquity: 1100, change: 100, percent: 10 },
      { month: '2024-02', startEquity: 1100, endEquity: 1100, change: 0, percent: 0 },
      { month: '2024-03', startEquity: 1100, endEquity: 1045, change: -55, percent: -5 },
    ]);
    const [year] = monthlyReturnTable(months);
    // 1.10 × 1.00 × 0.95 - 1 = 4.5 %.
    expect(year.year).toBe('2024');
    expect(year.yearPercent).toBeCloseTo(4.5, 10);
    expect(year.yearChange).toBe(45);
    expect(year.months[3]).toBeNull();
  });

  it('downsamples a long series keeping its extremes', () => {
    const long = series(Array.from({ length: 1000 }, (_, i) => (i === 637 ? 10 : 100 + (i % 7))));
    const small = downsample(long, 100);
    expect(small.length).toBeLessThanOrEqual(100);
    expect(Math.min(...small.map((p) => p.equity))).toBe(10);
    expect(small[0]).toBe(long[0]);
    expect(small[small.length - 1]).toBe(long[999]);
  });
});
