// The parity test's comparison and pacing plan on hand-made trades: what counts as equal, what a
// mismatch prints, and which bars the driver holds the signal-engine on.
import { describe, expect, it } from '@jest/globals';
import type { BacktestResult, BacktestTrade } from '@mt5/domain/backtest';
import { parityPlan } from './parity-driver.fixture.js';
import { compareTrades, fromBacktest, fromOpenPosition, fromReporting } from './trade-parity.fixture.js';

const T0 = Date.UTC(2021, 0, 26, 10, 0);
const MINUTE = 60_000;

function trade(id: number, entryBar: number, exitBar: number, extra: Partial<BacktestTrade> = {}): BacktestTrade {
  return {
    id, signalId: `s${entryBar}`, side: 'BUY', volume: 0.5, entryTime: T0 + entryBar * MINUTE + 59_000, entryPrice: 1.36012, stopLoss: 1.355, takeProfit: 1.37,
    exitTime: T0 + exitBar * MINUTE + 15_000, exitPrice: 1.355, exitReason: 'SL', gross: -255.98, commission: 3.5, net: -259.48, balance: 9740.52, ...extra,
  };
}

describe('trade parity comparison', () => {
  const closed = fromBacktest(trade(1, 0, 3), 'cross', 5);

  it('puts a backtest trade and the reporting row of the same round trip in the same form', () => {
    const row = {
      strategy_id: 'cross', side: 'BUY', volume: '0.50000000', entry_time: new Date(T0 + 59_000), entry_price: '1.3601200000', exit_time: new Date(T0 + 3 * MINUTE + 15_000),
      exit_price: '1.3550000000', exit_reason: 'SL', net_profit: '-259.48000000',
    };
    expect(fromReporting(row, 5)).toEqual(closed);
    expect(compareTrades([fromReporting(row, 5)], [closed])).toEqual({ matched: 1, difference: null });
  });

  it('treats a backtest trade closed by the end of the data as the position the simulator still holds', () => {
    const open = fromBacktest(trade(1, 0, 9, { exitReason: 'END' }), 'cross', 5);
    expect(fromOpenPosition({ side: 'BUY', volume: 0.5, openTime: T0 + 59_000, openPrice: 1.36012 }, 'cross', 5)).toEqual(open);
  });

  it('names the first differing trade, its fields, and both sides of it', () => {
    const later = fromBacktest(trade(2, 5, 7), 'cross', 5);
    const outcome = compareTrades([closed, { ...later, volume: '0.49' }], [closed, later]);
    expect(outcome.matched).toBe(1);
    expect(outcome.difference).toBe([
      'trade 2 of 2 (pipeline) / 2 (backtest) differs in volume:',
      '  pipeline: cross: BUY 0.49 lot, entry 2021-01-26T10:05:59.000Z 1.36012, exit 2021-01-26T10:07:15.000Z 1.35500 SL, net -259.48',
      '  backtest: cross: BUY 0.50 lot, entry 2021-01-26T10:05:59.000Z 1.36012, exit 2021-01-26T10:07:15.000Z 1.35500 SL, net -259.48',
    ].join('\n'));
  });

  it('lines both sides up in entry order whatever order they come in, an open position after a closed one of the same entry', () => {
    const first = fromBacktest(trade(1, 0, 3), 'cross', 5);
    const second = fromBacktest(trade(2, 1, 2), 'cross', 5);
    const open = fromBacktest(trade(3, 1, 9, { exitReason: 'END' }), 'cross', 5);
    expect(compareTrades([open, second, first], [first, second, open])).toEqual({ matched: 3, difference: null });
  });

  it('reports a trade only one side has as missing on the other', () => {
    expect(compareTrades([closed], []).difference).toBe([
      'trade 1 of 1 (pipeline) / 0 (backtest) differs in missing:',
      '  pipeline: cross: BUY 0.50 lot, entry 2021-01-26T10:00:59.000Z 1.36012, exit 2021-01-26T10:03:15.000Z 1.35500 SL, net -259.48',
      '  backtest: (none)',
    ].join('\n'));
  });
});

describe('parity pacing plan', () => {
  it('holds the signal-engine on signal bars where the backtest is flat, and counts the deals expected by each bar', () => {
    const signal = (bar: number) => ({ signalId: `s${bar}`, barOpenTime: T0 + bar * MINUTE });
    const result = {
      signals: [signal(0), signal(2), signal(3)],
      // The signal of bar 2 came while the first position was open; bar 3's exit and signal share a bar.
      skipped: [{ signalId: 's2', barOpenTime: T0 + 2 * MINUTE, side: 'SELL', reason: 'POSITION_OPEN', detail: '' }],
      trades: [trade(1, 0, 3), trade(2, 3, 9, { exitReason: 'END' })],
    } as unknown as BacktestResult;
    expect(parityPlan([result], T0, T0 + 10 * MINUTE)).toEqual([
      { bar: T0, hold: true, dealsBeforeSignal: 0, dealsAfter: 1, signalsUpTo: 1 },
      { bar: T0 + 2 * MINUTE, hold: false, dealsBeforeSignal: 1, dealsAfter: 1, signalsUpTo: 2 },
      { bar: T0 + 3 * MINUTE, hold: true, dealsBeforeSignal: 2, dealsAfter: 3, signalsUpTo: 3 },
    ]);
  });
});
