import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { applyFill, emptyBook, netVolume } from './position-book.js';
import type { ClosedSlice, Fill, PositionBook } from './position.types.js';
import { priceProfit } from './profit.js';
import { EURUSD, USDJPY } from './test-instruments.fixture.js';

/** Lots as whole steps of 0.01 so sums are exact in decimal terms. */
const lots = fc.integer({ min: 1, max: 500 }).map((steps) => steps / 100);
const eurusdPrice = fc.integer({ min: 100_000, max: 130_000 }).map((points) => points / 100_000);
const side = fc.constantFrom<Fill['side']>('BUY', 'SELL');

function toFills(specs: readonly { side: Fill['side']; volume: number; price: number }[], symbol = 'EURUSD'): Fill[] {
  return specs.map((spec, index) => ({ fillId: `F${index}`, positionId: `P${index}`, symbol, time: index * 1000, ...spec }));
}

function applyAll(book: PositionBook, fills: readonly Fill[], instrument = EURUSD): { book: PositionBook; closed: ClosedSlice[] } {
  const closed: ClosedSlice[] = [];
  for (const next of fills) {
    const outcome = applyFill(book, next, instrument, 'USD');
    book = outcome.book;
    closed.push(...outcome.closed);
  }
  return { book, closed };
}

describe('netting book properties', () => {
  it('never holds a non-positive volume, keeps at most one position, and nets to the signed sum of fills', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ side, volume: lots, price: eurusdPrice }), { maxLength: 40 }), (specs) => {
        const { book } = applyAll(emptyBook('NETTING'), toFills(specs));
        const expectedSteps = specs.reduce((sum, spec) => sum + Math.round(spec.volume * 100) * (spec.side === 'BUY' ? 1 : -1), 0);
        expect(book.positions.length).toBeLessThanOrEqual(1);
        for (const position of book.positions) expect(position.volume).toBeGreaterThan(0);
        expect(Math.round(netVolume(book, 'EURUSD') * 100)).toBe(expectedSteps);
      }),
    );
  });

  it('closing the full volume leaves the book flat with realized P&L equal to the sum over the entry fills', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ volume: lots, price: eurusdPrice }), { minLength: 1, maxLength: 20 }), side, eurusdPrice, (entries, entrySide, exit) => {
        const fills = toFills(entries.map((entry) => ({ ...entry, side: entrySide })));
        const opened = applyAll(emptyBook('NETTING'), fills);
        const total = opened.book.positions[0]?.volume ?? 0;
        const exitSide = entrySide === 'BUY' ? 'SELL' : 'BUY';
        const { book, closed } = applyAll(opened.book, toFills([{ side: exitSide, volume: total, price: exit }]));
        expect(book.positions).toEqual([]);
        const realized = closed.reduce((sum, slice) => sum + slice.profit, 0);
        const expected = entries.reduce((sum, entry) => sum + priceProfit(EURUSD, entrySide, entry.volume, entry.price, exit, 'USD'), 0);
        expect(realized).toBeCloseTo(expected, 6);
      }),
    );
  });

  it('partial closes at one price add up to the profit of a single full close (USDJPY, converted at that price)', () => {
    const usdjpyPrice = fc.integer({ min: 100_000, max: 160_000 }).map((points) => points / 1000);
    fc.assert(
      fc.property(side, lots, usdjpyPrice, usdjpyPrice, fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 10 }), (entrySide, volume, entry, exit, weights) => {
        const open = toFills([{ side: entrySide, volume, price: entry }], 'USDJPY');
        const exitSide = entrySide === 'BUY' ? 'SELL' : 'BUY';
        // Split the volume in whole 0.01 steps by the weights; the last part takes the remainder.
        const steps = Math.round(volume * 100);
        const weightSum = weights.reduce((a, b) => a + b, 0);
        const parts = weights.map((weight) => Math.floor((steps * weight) / weightSum)).filter((part) => part > 0);
        const used = parts.reduce((a, b) => a + b, 0);
        if (used < steps) parts.push(steps - used);
        const closes = toFills(parts.map((part) => ({ side: exitSide, volume: part / 100, price: exit })), 'USDJPY');
        const { book, closed } = applyAll(emptyBook('NETTING'), [...open, ...closes], USDJPY);
        expect(book.positions).toEqual([]);
        const realized = closed.reduce((sum, slice) => sum + slice.profit, 0);
        expect(realized).toBeCloseTo(priceProfit(USDJPY, entrySide, volume, entry, exit, 'USD'), 6);
      }),
    );
  });
});

describe('hedging book properties', () => {
  it('closing each position by its id, in random slices, always leaves positive volumes and ends flat', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ side, volume: lots, price: eurusdPrice }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 4 }), (specs, slices) => {
        let { book } = applyAll(emptyBook('HEDGING'), toFills(specs));
        for (const position of [...book.positions]) {
          const steps = Math.round(position.volume * 100);
          const first = Math.max(1, Math.floor(steps / slices));
          const parts = first < steps ? [first, steps - first] : [steps];
          for (const part of parts) {
            const exit: Fill = {
              fillId: `X${position.positionId}-${part}`, positionId: position.positionId, symbol: 'EURUSD',
              side: position.side === 'BUY' ? 'SELL' : 'BUY', volume: part / 100, price: 1.1, time: 0,
            };
            book = applyFill(book, exit, EURUSD, 'USD').book;
            for (const open of book.positions) expect(open.volume).toBeGreaterThan(0);
          }
        }
        expect(book.positions).toEqual([]);
      }),
    );
  });
});
