// Figures hand-computed from the session table in session-trades.fixture.ts.
import { describe, expect, it } from '@jest/globals';
import { breakdown } from './breakdowns.js';
import { dailyPerformanceRows } from './daily-performance.js';
import { SESSION_TRADES } from './session-trades.fixture.js';

const nets = (rows: { key: string; netProfit: string; trades: number }[]) => rows.map((row) => [row.key, row.netProfit, row.trades]);

describe('breakdown', () => {
  it('groups by strategy', () => {
    // ma-cross: 77.2 + 85.8 + 188.6 - 1.4 = 350.2 (3 wins, 1 loss, PF 351.6 / 1.4 = 251.14).
    const rows = breakdown(SESSION_TRADES, 'strategy');
    expect(nets(rows)).toEqual([['donchian', '-103.5', 1], ['ma-cross', '350.2', 4], ['manual', '-32.1', 1]]);
    expect(rows[1]).toMatchObject({ wins: 3, losses: 1, grossProfit: '351.6', grossLoss: '-1.4', winRate: 0.75 });
    expect(rows[1].profitFactor).toBeCloseTo(351.6 / 1.4, 10);
    // R of ma-cross: (0.965 + 0.715 + 0.5669 + 0) / 4 = 0.561725.
    expect(rows[1].averageR).toBeCloseTo(0.561725, 12);
    expect(rows[2].averageR).toBeNull();
  });

  it('groups by symbol', () => {
    // EURUSD: 77.2 + 85.8 - 32.1 - 1.4 = 129.5.
    expect(nets(breakdown(SESSION_TRADES, 'symbol'))).toEqual([['EURUSD', '129.5', 4], ['GBPUSD', '-103.5', 1], ['USDJPY', '188.6', 1]]);
  });

  it('groups by the day a trade closed', () => {
    // 03-04: 77.2 + 85.8 - 103.5 = 59.5; 03-05: -32.1; 03-06: 188.6 - 1.4 = 187.2 (trade 4 opened on 03-05).
    expect(nets(breakdown(SESSION_TRADES, 'day'))).toEqual([['2024-03-04', '59.5', 3], ['2024-03-05', '-32.1', 1], ['2024-03-06', '187.2', 2]]);
  });

  it('groups by the weekday and hour a trade was opened, Monday first', () => {
    // Monday: trades 1-3 = 59.5; Tuesday: trades 4 and 5 = 188.6 - 32.1 = 156.5; Wednesday: -1.4.
    const weekdays = breakdown(SESSION_TRADES, 'weekday');
    expect(weekdays.map((row) => [row.label, row.netProfit])).toEqual([['Monday', '59.5'], ['Tuesday', '156.5'], ['Wednesday', '-1.4']]);
    // 08: 188.6; 09: 77.2 + 85.8 = 163; 10: -1.4; 13: -103.5; 14: -32.1.
    expect(breakdown(SESSION_TRADES, 'hour').map((row) => [row.label, row.netProfit])).toEqual([
      ['08:00', '188.6'], ['09:00', '163'], ['10:00', '-1.4'], ['13:00', '-103.5'], ['14:00', '-32.1'],
    ]);
  });
});

describe('dailyPerformanceRows', () => {
  it('rolls the day up per account, strategy, symbol and pair', () => {
    const rows = dailyPerformanceRows('2024-03-04', SESSION_TRADES);
    expect(rows.map((row) => [row.strategyId, row.symbol, row.trades, row.netProfit])).toEqual([
      ['', '', 3, '59.5'],
      ['', 'EURUSD', 2, '163'],
      ['', 'GBPUSD', 1, '-103.5'],
      ['donchian', '', 1, '-103.5'],
      ['donchian', 'GBPUSD', 1, '-103.5'],
      ['ma-cross', '', 2, '163'],
      ['ma-cross', 'EURUSD', 2, '163'],
    ]);
    // Account row: commission -2.8 - 4.2 - 3.5 = -10.5; lots 0.4 + 0.6 + 0.5 = 1.5; running net
    // 0 → 77.2 → 163 → 59.5, so the realised drawdown is 163 - 59.5 = 103.5.
    expect(rows[0]).toEqual({
      day: '2024-03-04', strategyId: '', symbol: '', trades: 3, wins: 2, losses: 1, grossProfit: '163', grossLoss: '-103.5',
      commission: '-10.5', swap: '0', netProfit: '59.5', volume: '1.5', largestWin: '85.8', largestLoss: '-103.5', realisedDrawdown: '103.5',
    });
    expect(rows[6]).toMatchObject({ wins: 2, losses: 0, largestLoss: null, realisedDrawdown: '0' });
  });

  it('counts only the trades closed that day', () => {
    // 03-06: trade 4 (opened 03-05, swap -5) and trade 6; net 187.2; running 0 → 188.6 → 187.2.
    const [account] = dailyPerformanceRows('2024-03-06', SESSION_TRADES);
    expect(account).toMatchObject({ trades: 2, netProfit: '187.2', swap: '-5', commission: '-7.4', realisedDrawdown: '1.4' });
    expect(dailyPerformanceRows('2024-03-07', SESSION_TRADES)).toEqual([]);
  });
});
