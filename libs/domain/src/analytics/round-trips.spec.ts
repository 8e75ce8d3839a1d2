// Every expected figure is worked out by hand in the comment beside it.
import { describe, expect, it } from '@jest/globals';
import type { DealFact } from './analytics.types.js';
import { buildRoundTrips, type RoundTripContext } from './round-trips.js';
import { sumExact, plain } from './money.js';

const T0 = Date.parse('2024-03-04T09:00:00.000Z');
const minutes = (n: number) => T0 + n * 60_000;

function deal(overrides: Partial<DealFact> & Pick<DealFact, 'dealTicket' | 'side' | 'entry' | 'volume' | 'price' | 'time'>): DealFact {
  return {
    positionId: '500', symbol: 'EURUSD', commission: '0', swap: '0', profit: '0', fee: '0',
    magic: 770001, comment: 'c', reason: 'EXPERT', clientOrderId: 'coid-1', ...overrides,
  };
}

const context: RoundTripContext = {
  account: 'A1', initialStopLoss: '1.083', magicToStrategy: new Map([[770001, 'ma-cross']]), quote: { digits: 5, point: 0.00001 },
};

// Buy 1.00 EURUSD at 1.08500 (commission -3.50), sell 0.40 at 1.08700 (+80.00, -1.40), sell
// 0.60 at 1.08650 by TP (+90.00, -2.10).
const partialCloses = [
  deal({ dealTicket: '1001', side: 'BUY', entry: 'IN', volume: '1', price: '1.085', commission: '-3.5', time: minutes(0) }),
  deal({ dealTicket: '1002', side: 'SELL', entry: 'OUT', volume: '0.4', price: '1.087', commission: '-1.4', profit: '80', time: minutes(60) }),
  deal({ dealTicket: '1003', side: 'SELL', entry: 'OUT', volume: '0.6', price: '1.0865', commission: '-2.1', profit: '90', time: minutes(150), reason: 'TP' }),
];

describe('buildRoundTrips', () => {
  it('makes one trade per closing deal, sharing the entry commission by volume', () => {
    const { trades, position } = buildRoundTrips(partialCloses, context);
    // Trade 1: 0.4 of 1.0 lots → entry share -3.50 × 0.4 = -1.40, plus close -1.40 = -2.80;
    // net 80 - 2.80 = 77.20; +20 pips; R = 77.20 / (0.002 × 80/0.002) = 77.20 / 80 = 0.965.
    expect(trades[0]).toMatchObject({
      closeDealTicket: '1002', strategyId: 'ma-cross', side: 'BUY', volume: '0.4', entryPrice: '1.085', exitPrice: '1.087',
      grossProfit: '80', commission: '-2.8', swap: '0', netProfit: '77.2', pips: 20, rMultiple: 0.965,
      entryTime: minutes(0), exitTime: minutes(60), durationSeconds: 3600, exitReason: 'STRATEGY', external: false,
    });
    // Trade 2: the remaining entry commission -2.10 plus close -2.10 = -4.20; net 90 - 4.20 = 85.80;
    // +15 pips; money per price unit 90 / 0.0015 = 60000, risk 0.002 × 60000 = 120, R = 0.715.
    expect(trades[1]).toMatchObject({
      closeDealTicket: '1003', volume: '0.6', grossProfit: '90', commission: '-4.2', netProfit: '85.8', pips: 15, rMultiple: 0.715,
      durationSeconds: 9000, exitReason: 'TP',
    });
    expect(position).toMatchObject({ volume: '0', openPrice: null, closeTime: minutes(150), side: 'BUY', strategyId: 'ma-cross' });
  });

  it('sums the trades of a closed position exactly to the money of its deals, whatever the rounding of shares', () => {
    // Entry commission -1.00 over three closes of 1/3 lot: shares -0.33333333, -0.33333334 (of
    // the rest), and the remainder, so the trades still add up to -1.00 of entry commission.
    const deals = [
      deal({ dealTicket: '1', side: 'BUY', entry: 'IN', volume: '0.03', price: '1.1', commission: '-1', time: minutes(0) }),
      deal({ dealTicket: '2', side: 'SELL', entry: 'OUT', volume: '0.01', price: '1.1001', commission: '-0.01', profit: '0.1', time: minutes(1) }),
      deal({ dealTicket: '3', side: 'SELL', entry: 'OUT', volume: '0.01', price: '1.1002', commission: '-0.01', profit: '0.2', swap: '-0.05', time: minutes(2) }),
      deal({ dealTicket: '4', side: 'SELL', entry: 'OUT', volume: '0.01', price: '1.1003', commission: '-0.01', profit: '0.3', time: minutes(3) }),
    ];
    const { trades } = buildRoundTrips(deals, context);
    expect(trades.map((t) => t.commission)).toEqual(['-0.34333333', '-0.34333334', '-0.34333333']);
    // Deals: profit 0.6, commission -1.03, swap -0.05 → -0.48.
    expect(plain(sumExact(trades.map((t) => t.netProfit)))).toBe('-0.48');
  });

  it('replays deals in time order whatever order they arrive in, matching a close that came before its open', () => {
    const shuffled = [partialCloses[2], partialCloses[0], partialCloses[1]];
    expect(buildRoundTrips(shuffled, context).trades).toEqual(buildRoundTrips(partialCloses, context).trades);
    const onlyClose = buildRoundTrips([partialCloses[1]], context);
    expect(onlyClose.trades).toEqual([]);
    expect(onlyClose.unmatched).toEqual([{ dealTicket: '1002', volume: '0.4' }]);
  });

  it('averages the entry of a netting add and closes a reversal at that average, opening the rest at the deal price', () => {
    // Buy 1 at 1.1000 and 1 at 1.1020 → 2 lots at 1.1010. Sell 3 at 1.1030 (INOUT, profit on the 2 closed
    // lots: 2 × 20 pips × $10 = 400, commission -3.00 for 3 lots → -2.00 to the close, -1.00 to the new short).
    const deals = [
      deal({ dealTicket: '1', side: 'BUY', entry: 'IN', volume: '1', price: '1.1', commission: '-1', time: minutes(0) }),
      deal({ dealTicket: '2', side: 'BUY', entry: 'IN', volume: '1', price: '1.102', commission: '-1', time: minutes(10) }),
      deal({ dealTicket: '3', side: 'SELL', entry: 'INOUT', volume: '3', price: '1.103', commission: '-3', profit: '400', time: minutes(20) }),
      deal({ dealTicket: '4', side: 'BUY', entry: 'OUT', volume: '1', price: '1.102', commission: '-1', profit: '100', time: minutes(30), reason: 'SL' }),
    ];
    const { trades, position } = buildRoundTrips(deals, context);
    // Long: entry 1.101, 2 lots, commission -2 (entry) - 2 (close share) = -4, net 396, +20 pips.
    // R: risk 1.101 - 1.083 = 0.018 × (400 / 0.002 = 200000) = 3600 → 396 / 3600 = 0.11.
    expect(trades[0]).toMatchObject({ side: 'BUY', volume: '2', entryPrice: '1.101', commission: '-4', netProfit: '396', pips: 20, rMultiple: 0.11 });
    // Short of 1 lot from 1.103 (opened by the reversal, so not under the initial stop: R null):
    // commission -1 (reversal share) - 1 (close) = -2, net 98, +10 pips.
    expect(trades[1]).toMatchObject({ side: 'SELL', volume: '1', entryPrice: '1.103', entryTime: minutes(20), commission: '-2', netProfit: '98', pips: 10, rMultiple: null, exitReason: 'SL' });
    expect(position.volume).toBe('0');
  });

  it('marks trades opened outside the platform as external and as manual when they carry no magic', () => {
    const deals = [
      deal({ dealTicket: '1', side: 'SELL', entry: 'IN', volume: '0.3', price: '1.09', magic: 0, clientOrderId: null, time: minutes(0) }),
      deal({ dealTicket: '2', side: 'BUY', entry: 'OUT', volume: '0.3', price: '1.091', profit: '-30', magic: 0, clientOrderId: null, reason: 'CLIENT', time: minutes(5) }),
    ];
    const [trade] = buildRoundTrips(deals, { ...context, initialStopLoss: null }).trades;
    expect(trade).toMatchObject({ strategyId: 'manual', external: true, pips: -10, rMultiple: null, exitReason: 'MANUAL', netProfit: '-30' });
  });

  it('gives R 0 to a trade closed at its entry (no money per price unit can be read from it) and no pips for an unknown symbol', () => {
    const deals = [
      deal({ dealTicket: '1', side: 'BUY', entry: 'IN', volume: '0.2', price: '1.088', commission: '-0.7', time: minutes(0) }),
      deal({ dealTicket: '2', side: 'SELL', entry: 'OUT', volume: '0.2', price: '1.088', commission: '-0.7', time: minutes(5) }),
    ];
    expect(buildRoundTrips(deals, { ...context, initialStopLoss: '1.087', quote: null }).trades[0]).toMatchObject({ netProfit: '-1.4', rMultiple: 0, pips: null });
  });

  it('reports an open position with its remaining lots and average price', () => {
    const { trades, position } = buildRoundTrips(partialCloses.slice(0, 2), context);
    expect(trades).toHaveLength(1);
    expect(position).toMatchObject({ volume: '0.6', openPrice: '1.085', openTime: minutes(0), closeTime: null });
  });
});
