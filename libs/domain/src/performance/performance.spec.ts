// Each expected value is worked out by hand in the comment beside it.
import { describe, expect, it } from '@jest/globals';
import { maxDrawdown, periodReturns, sharpeRatio, tradeStatistics } from './index.js';

describe('tradeStatistics', () => {
  it('summarises wins, losses and breakevens', () => {
    // nets 100, -50, 0, 200, -25: net 225; wins 2 (300), losses 2 (-75); PF 300/75 = 4;
    // expectancy 225/5 = 45; win rate 2/5.
    expect(tradeStatistics([100, -50, 0, 200, -25])).toEqual({
      trades: 5,
      wins: 2,
      losses: 2,
      netProfit: 225,
      grossProfit: 300,
      grossLoss: -75,
      winRate: 0.4,
      profitFactor: 4,
      expectancy: 45,
      averageWin: 150,
      averageLoss: -37.5,
      largestWin: 200,
      largestLoss: -50,
    });
  });

  it('has no profit factor without a losing trade and no ratios without trades', () => {
    expect(tradeStatistics([10, 20]).profitFactor).toBeNull();
    expect(tradeStatistics([])).toMatchObject({ trades: 0, winRate: null, expectancy: null, profitFactor: null, netProfit: 0 });
  });

  it('refuses a non-finite trade result', () => {
    expect(() => tradeStatistics([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('maxDrawdown', () => {
  it('measures money and percent from the running peak, each at its own worst', () => {
    // 1000 -> 800: -200 (20%); peak 1500 -> 1250: -250 (16.67%). Money 250, percent 20.
    expect(maxDrawdown([1000, 800, 1500, 1250, 1600])).toEqual({ money: 250, percent: 20 });
  });

  it('is zero for a series that never falls', () => {
    expect(maxDrawdown([1000, 1000, 1100])).toEqual({ money: 0, percent: 0 });
  });
});

describe('periodReturns and sharpeRatio', () => {
  it('returns each value against the previous one, starting from the start value', () => {
    // 1000 -> 1010: +1%; 1010 -> 999.9: -1%; 999.9 -> 1019.898: +2%.
    const returns = periodReturns(1000, [1010, 999.9, 1019.898]);
    expect(returns.map((r) => Number(r.toFixed(12)))).toEqual([0.01, -0.01, 0.02]);
  });

  it('annualises mean over sample standard deviation', () => {
    // returns 1%, -1%, 2%: mean 0.6667%; deviations 0.3333, -1.6667, 1.3333 (%); squares sum
    // 0.1111 + 2.7778 + 1.7778 = 4.6667 (%²); / (3 − 1) = 2.3333; sd 1.52753%;
    // 0.6667 / 1.52753 = 0.436436; × √252 = 6.92820.
    expect(sharpeRatio([0.01, -0.01, 0.02])).toBeCloseTo(6.9282, 4);
    expect(sharpeRatio([0.01, -0.01, 0.02], 1)).toBeCloseTo(0.436436, 6);
  });

  it('has no Sharpe ratio for fewer than two returns or constant returns', () => {
    expect(sharpeRatio([0.01])).toBeNull();
    expect(sharpeRatio([0.01, 0.01, 0.01])).toBeNull();
  });
});
