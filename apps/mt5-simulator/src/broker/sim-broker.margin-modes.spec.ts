import { describe, expect, it } from '@jest/globals';
import { deal, MONDAY, newBroker } from './broker.fixture.js';

describe('SimBroker netting and hedging accounts', () => {
  it('hedging: an opposite order opens a second position and the margin counts the larger leg only', () => {
    const { broker } = newBroker('HEDGING');
    broker.execute(deal('BUY', 0.2));
    broker.execute(deal('SELL', 0.1));
    expect(broker.positions().map((p) => [p.side, p.volume])).toEqual([['BUY', 0.2], ['SELL', 0.1]]);
    // Larger leg: the buy, 100 000 × 0.2 × 1.10008 / 100 = 220.016 → 220.02
    expect(broker.accountState().margin).toBe(220.02);
  });

  it('netting: same-side orders add up at the volume-weighted price in one position', () => {
    const { broker } = newBroker('NETTING');
    const first = broker.execute(deal('BUY', 0.1));
    broker.setQuote('EURUSD', 1.1001, 1.10018, MONDAY + 60_000);
    broker.execute(deal('BUY', 0.1));
    const positions = broker.positions();
    expect(positions).toHaveLength(1);
    // (1.10008 × 0.1 + 1.10018 × 0.1) / 0.2 = 1.10013
    expect(positions[0]).toMatchObject({ positionId: first.order, ticket: first.order, volume: 0.2 });
    expect(positions[0]!.openPrice).toBeCloseTo(1.10013, 10);
  });

  it('netting: an opposite order reduces, then a larger one reverses with an INOUT deal, keeping the position identifier', () => {
    const { broker } = newBroker('NETTING');
    const first = broker.execute(deal('BUY', 0.3));
    broker.execute(deal('SELL', 0.1));
    expect(broker.positions()).toEqual([expect.objectContaining({ side: 'BUY', volume: 0.2 })]);
    const reversal = broker.execute(deal('SELL', 0.5));
    expect(broker.positions()).toEqual([expect.objectContaining({ side: 'SELL', volume: 0.3, positionId: first.order, ticket: reversal.order, openPrice: 1.1 })]);
    const deals = broker.deals({ from: 0, to: MONDAY, maxCount: 10 }).deals.slice(1);
    expect(deals.map((d) => [d.entry, d.volume, d.positionId])).toEqual([['IN', 0.3, first.order], ['OUT', 0.1, first.order], ['INOUT', 0.5, first.order]]);
  });

  it('netting: an order that exactly offsets the position closes it; the next order opens a new identifier', () => {
    const { broker } = newBroker('NETTING');
    const first = broker.execute(deal('BUY', 0.1));
    broker.execute(deal('SELL', 0.1));
    expect(broker.positions()).toEqual([]);
    const next = broker.execute(deal('SELL', 0.1));
    expect(broker.positions()).toEqual([expect.objectContaining({ positionId: next.order, side: 'SELL' })]);
    expect(next.order).not.toBe(first.order);
  });

  it('netting: a reduction needs no free margin even when the account could not open it', () => {
    const { broker } = newBroker('NETTING', 200);
    expect(broker.execute(deal('BUY', 0.15)).retcode).toBe(10009);
    expect(broker.execute(deal('BUY', 0.1)).retcode).toBe(10019);
    expect(broker.execute(deal('SELL', 0.1)).retcode).toBe(10009);
  });
});
