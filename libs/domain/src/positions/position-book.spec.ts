import { describe, expect, it } from '@jest/globals';
import { applyFill, emptyBook, netVolume } from './position-book.js';
import type { Fill, PositionBook } from './position.types.js';
import { EURUSD } from './test-instruments.fixture.js';

let sequence = 0;
function fill(side: Fill['side'], volume: number, price: number, positionId = 'P1'): Fill {
  sequence += 1;
  return { fillId: `F${sequence}`, positionId, symbol: 'EURUSD', side, volume, price, time: 1_700_000_000_000 + sequence * 1000 };
}

function run(book: PositionBook, ...fills: Fill[]) {
  return fills.reduce(
    (state, next) => {
      const outcome = applyFill(state.book, next, EURUSD, 'USD');
      return { book: outcome.book, closed: [...state.closed, ...outcome.closed] };
    },
    { book, closed: [] as ReturnType<typeof applyFill>['closed'][number][] },
  );
}

describe('a NETTING book', () => {
  it('adds same-side fills at the volume-weighted average price', () => {
    const { book } = run(emptyBook('NETTING'), fill('BUY', 1, 1.1), fill('BUY', 3, 1.102));
    expect(book.positions).toHaveLength(1);
    expect(book.positions[0]?.volume).toBe(4);
    // (1 * 1.1 + 3 * 1.102) / 4
    expect(book.positions[0]?.openPrice).toBeCloseTo(1.1015, 12);
  });

  it('reduces on an opposite fill, books the slice at the average price and keeps the average', () => {
    const { book, closed } = run(emptyBook('NETTING'), fill('BUY', 1, 1.1), fill('BUY', 1, 1.102), fill('SELL', 0.5, 1.103));
    expect(book.positions[0]?.volume).toBe(1.5);
    expect(book.positions[0]?.openPrice).toBeCloseTo(1.101, 12);
    expect(closed).toHaveLength(1);
    expect(closed[0]?.profit).toBeCloseTo(100, 9); // 200 points * 0.5 lot * 1 USD
    expect(closed[0]?.positionClosed).toBe(false);
    expect(book.positions[0]?.realizedProfit).toBeCloseTo(100, 9);
  });

  it('closes to flat when the opposite fill matches the volume', () => {
    const { book, closed } = run(emptyBook('NETTING'), fill('SELL', 0.3, 1.1), fill('BUY', 0.1, 1.099), fill('BUY', 0.2, 1.0995));
    expect(book.positions).toEqual([]);
    expect(netVolume(book, 'EURUSD')).toBe(0);
    expect(closed.map((slice) => slice.positionClosed)).toEqual([false, true]);
    expect(closed.reduce((sum, slice) => sum + slice.profit, 0)).toBeCloseTo(10 + 10, 9); // 100 points * 0.1 lot + 50 points * 0.2 lot
  });

  it('reverses when the opposite fill is larger: the rest opens a new position at the fill price', () => {
    const { book, closed } = run(emptyBook('NETTING'), fill('BUY', 1, 1.1, 'P1'), fill('SELL', 1.5, 1.099, 'P2'));
    expect(closed).toHaveLength(1);
    expect(closed[0]?.volume).toBe(1);
    expect(closed[0]?.profit).toBeCloseTo(-100, 9);
    expect(book.positions).toEqual([
      { positionId: 'P2', symbol: 'EURUSD', side: 'SELL', volume: 0.5, openPrice: 1.099, openTime: expect.any(Number), realizedProfit: 0 },
    ]);
    expect(netVolume(book, 'EURUSD')).toBe(-0.5);
  });

  it('keeps volumes free of float noise (0.1 + 0.2 lots is 0.3)', () => {
    const { book } = run(emptyBook('NETTING'), fill('BUY', 0.1, 1.1), fill('BUY', 0.2, 1.1));
    expect(book.positions[0]?.volume).toBe(0.3);
  });
});

describe('a HEDGING book', () => {
  it('keeps a buy and a sell on the same symbol as two positions', () => {
    const { book } = run(emptyBook('HEDGING'), fill('BUY', 1, 1.1, 'A'), fill('SELL', 1, 1.1002, 'B'));
    expect(book.positions.map((position) => [position.positionId, position.side, position.volume])).toEqual([
      ['A', 'BUY', 1],
      ['B', 'SELL', 1],
    ]);
    expect(netVolume(book, 'EURUSD')).toBe(0);
  });

  it('closes the position named by the fill, partly then fully', () => {
    const { book, closed } = run(
      emptyBook('HEDGING'),
      fill('BUY', 1, 1.1, 'A'),
      fill('BUY', 0.5, 1.2, 'B'),
      fill('SELL', 0.4, 1.101, 'A'),
      fill('SELL', 0.6, 1.102, 'A'),
    );
    expect(book.positions.map((position) => position.positionId)).toEqual(['B']);
    expect(closed.map((slice) => [slice.positionId, slice.volume, slice.positionClosed])).toEqual([
      ['A', 0.4, false],
      ['A', 0.6, true],
    ]);
    expect(closed[0]?.profit).toBeCloseTo(40, 9);
    expect(closed[1]?.profit).toBeCloseTo(120, 9);
  });

  it('throws on a fill that would close more than the position holds', () => {
    const { book } = run(emptyBook('HEDGING'), fill('BUY', 1, 1.1, 'A'));
    expect(() => applyFill(book, fill('SELL', 1.01, 1.1, 'A'), EURUSD, 'USD')).toThrow('closes 1.01 lots of position A holding 1');
  });

  it('throws on a same-side fill for an existing position (hedging positions are never added to)', () => {
    const { book } = run(emptyBook('HEDGING'), fill('BUY', 1, 1.1, 'A'));
    expect(() => applyFill(book, fill('BUY', 1, 1.1, 'A'), EURUSD, 'USD')).toThrow('cannot be added to');
  });
});

describe('applyFill invariants', () => {
  it('throws on a non-positive volume, a NaN price or a fill for another instrument', () => {
    const book = emptyBook('NETTING');
    expect(() => applyFill(book, fill('BUY', 0, 1.1), EURUSD, 'USD')).toThrow('invalid volume 0');
    expect(() => applyFill(book, fill('BUY', 1, Number.NaN), EURUSD, 'USD')).toThrow('invalid price NaN');
    expect(() => applyFill(book, { ...fill('BUY', 1, 1.1), symbol: 'GBPUSD' }, EURUSD, 'USD')).toThrow('fill is for GBPUSD');
  });

  it('leaves the input book unchanged', () => {
    const before = run(emptyBook('NETTING'), fill('BUY', 1, 1.1)).book;
    const copy = structuredClone(before);
    applyFill(before, fill('SELL', 0.5, 1.2), EURUSD, 'USD');
    expect(before).toEqual(copy);
  });
});
