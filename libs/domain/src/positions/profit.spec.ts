import { describe, expect, it } from '@jest/globals';
import { pipSize, pipsToPrice, priceToPips, priceToPoints } from './pips.js';
import { tickValueAt } from '../instruments/instrument-math.js';
import type { InstrumentSpec } from '../instruments/instrument-spec.js';
import { accountTickValue, closingPrice, isAccountMoney, openingPrice, priceProfit, unrealizedProfit } from './profit.js';
import { EURGBP, EURUSD, USDJPY, XAUUSD } from './test-instruments.fixture.js';

describe('priceProfit (priceDelta / tickSize * tickValue * volume, in account currency)', () => {
  it('books 100 USD for one lot of EURUSD bought at 1.10000 and sold at 1.10100 (100 ticks of 1 USD)', () => {
    expect(priceProfit(EURUSD, 'BUY', 1, 1.1, 1.101, 'USD')).toBeCloseTo(100, 9);
  });

  it('books a loss for a short when price rises: 0.5 lot EURUSD sold at 1.10000, bought back at 1.10050 is -25 USD', () => {
    expect(priceProfit(EURUSD, 'SELL', 0.5, 1.1, 1.1005, 'USD')).toBeCloseTo(-25, 9);
  });

  it('converts USDJPY profit at the closing rate: one lot from 150.000 to 151.000 is 100 000 * 1 / 151 USD', () => {
    // 1000 ticks of 0.001; one tick of one lot at 151 is 0.001 * 100 000 / 151 USD.
    expect(priceProfit(USDJPY, 'BUY', 1, 150, 151, 'USD')).toBeCloseTo(100_000 / 151, 9);
  });

  it('uses the venue tick value for a cross whose currencies are both foreign (EURGBP on a USD account)', () => {
    expect(priceProfit(EURGBP, 'BUY', 1, 0.85, 0.851, 'USD')).toBeCloseTo(125, 9);
    expect(accountTickValue(EURGBP, 0.9, 'USD')).toBe(1.25);
  });

  it("agrees with the instruments library's tickValueAt on USDJPY at any rate", () => {
    for (const price of [99.5, 110.25, 150, 161.95]) {
      expect(accountTickValue(USDJPY, price, 'USD')).toBeCloseTo(tickValueAt(USDJPY as InstrumentSpec, price) ?? Number.NaN, 12);
    }
  });

  it('treats a USD-pegged stablecoin as USD on a USD account, and a EUR account converts EURUSD through the base', () => {
    expect(isAccountMoney('USDT', 'USD')).toBe(true);
    expect(isAccountMoney('EUR', 'USD')).toBe(false);
    // On a EUR account one EURUSD tick is 1 USD = 1 / 1.25 EUR at 1.25.
    expect(accountTickValue(EURUSD, 1.25, 'EUR')).toBeCloseTo(0.8, 12);
  });

  it('values gold by its 100 oz contract: 0.1 lot XAUUSD sold at 2000.00 and bought at 1990.00 is +100 USD', () => {
    expect(priceProfit(XAUUSD, 'SELL', 0.1, 2000, 1990, 'USD')).toBeCloseTo(100, 9);
  });

  it('marks a long at the bid and a short at the ask', () => {
    const quote = { bid: 1.1001, ask: 1.1003, time: 0 };
    expect(closingPrice('BUY', quote)).toBe(1.1001);
    expect(openingPrice('BUY', quote)).toBe(1.1003);
    expect(unrealizedProfit(EURUSD, { side: 'SELL', volume: 1, openPrice: 1.1 }, quote, 'USD')).toBeCloseTo(-30, 9);
  });
});

describe('pips and points', () => {
  it('counts ten points to a pip on 5- and 3-digit quotes and one on 2-digit gold', () => {
    expect(pipSize(EURUSD)).toBeCloseTo(0.0001, 12);
    expect(pipSize(USDJPY)).toBeCloseTo(0.01, 12);
    expect(pipSize(XAUUSD)).toBe(0.01);
  });

  it('converts price distances to pips and back', () => {
    expect(priceToPips(EURUSD, 1.1015 - 1.1)).toBe(15);
    expect(priceToPips(USDJPY, 150.155 - 150)).toBe(15.5);
    expect(pipsToPrice(EURUSD, 20)).toBe(0.002);
    expect(priceToPoints(EURUSD, 1.1002 - 1.1)).toBe(20);
  });
});
