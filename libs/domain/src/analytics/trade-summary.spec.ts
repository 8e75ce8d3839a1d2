// Figures hand-computed from the session table in session-trades.fixture.ts.
import { describe, expect, it } from '@jest/globals';
import { SESSION_TRADES, sessionTime } from './session-trades.fixture.js';
import { exposureTime, streaks, summariseTrades } from './trade-summary.js';

describe('summariseTrades', () => {
  it('adds up the session: exact money sums, ratios from the performance library', () => {
    const summary = summariseTrades(SESSION_TRADES);
    // Wins 77.20 + 85.80 + 188.60 = 351.60; losses -103.50 - 32.10 - 1.40 = -137.00; net 214.60.
    expect(summary).toMatchObject({
      trades: 6, wins: 3, losses: 3, breakeven: 0,
      netProfit: '214.6', grossProfit: '351.6', grossLoss: '-137',
      // 80 + 90 - 100 + 199.6 - 30 + 0 = 239.6 of price profit; commission -2.8-4.2-3.5-6-2.1-1.4 = -20; swap -5.
      priceProfit: '239.6', commission: '-20', swap: '-5', fee: '0',
      winRate: 0.5, largestWin: 188.6, largestLoss: -103.5,
      longestWinningStreak: 2, longestLosingStreak: 2, tradesWithR: 5,
      firstEntryTime: sessionTime('2024-03-04 09:00'), lastExitTime: sessionTime('2024-03-06 12:00'),
    });
    expect(summary.profitFactor).toBeCloseTo(351.6 / 137, 12); // 2.5664…
    expect(summary.expectancy).toBeCloseTo(214.6 / 6, 12); // 35.7667
    expect(summary.averageWin).toBeCloseTo(117.2, 12); // 351.60 / 3
    expect(summary.averageLoss).toBeCloseTo(-137 / 3, 12); // -45.6667
    expect(summary.payoffRatio).toBeCloseTo(117.2 / (137 / 3), 12);
    // (0.965 + 0.715 - 1.035 + 0.5669 + 0) / 5 = 1.2119 / 5 = 0.24238; trade 5 has no stop.
    expect(summary.averageR).toBeCloseTo(0.24238, 12);
    // Durations 1h, 2.5h, 2h, 25h, 2h, 2h = 34.5h → 5.75h = 20700 s on average.
    expect(summary.averageDurationSeconds).toBe(20_700);
  });

  it('has no ratios and no streaks without trades', () => {
    expect(summariseTrades([])).toMatchObject({ trades: 0, netProfit: '0', winRate: null, profitFactor: null, averageR: null, longestWinningStreak: 0, firstEntryTime: null });
  });
});

describe('streaks', () => {
  it('counts the longest runs in closing order, a breakeven ending both', () => {
    expect(streaks([1, 2, 3, -1, -2, 0, -3, 4])).toEqual({ longestWinning: 3, longestLosing: 2 });
    expect(streaks([-1, -1, -1, -1])).toEqual({ longestWinning: 0, longestLosing: 4 });
  });
});

describe('exposureTime', () => {
  it('counts overlapping trades once and divides by the period', () => {
    // Union: 03-04 09:00-11:30 (2.5h) + 13:00-15:00 (2h) + 03-05 08:00 to 03-06 09:00 (25h, which
    // covers trade 5) + 03-06 10:00-12:00 (2h) = 31.5h = 113 400 s, over 51h from first entry to last exit.
    const result = exposureTime(SESSION_TRADES, sessionTime('2024-03-04 09:00'), sessionTime('2024-03-06 12:00'));
    expect(result.seconds).toBe(113_400);
    expect(result.fraction).toBeCloseTo(31.5 / 51, 12);
  });

  it('clips trades to the period', () => {
    // Only 03-04 10:00-11:30 and 13:00-14:00 fall inside 10:00-14:00: 2.5h of 4h.
    const result = exposureTime(SESSION_TRADES, sessionTime('2024-03-04 10:00'), sessionTime('2024-03-04 14:00'));
    expect(result).toEqual({ seconds: 9000, fraction: 0.625 });
  });
});
