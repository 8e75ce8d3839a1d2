import { describe, expect, it } from '@jest/globals';
import { currencyExposure } from './exposure.js';
import { notionalValue, requiredMargin } from './margin.js';
import { EURGBP, EURUSD, USDJPY, XAUUSD } from './test-instruments.fixture.js';

describe('requiredMargin (contractSize * volume * price / leverage, in account currency)', () => {
  it('asks 1100 USD for one lot of EURUSD at 1.1 with 1:100 leverage', () => {
    expect(requiredMargin(EURUSD, 1, 1.1, 100, 'USD')).toBeCloseTo(1100, 9);
  });

  it('asks 1000 USD for one lot of USDJPY at any rate: the base is the account currency', () => {
    expect(requiredMargin(USDJPY, 1, 150, 100, 'USD')).toBeCloseTo(1000, 9);
    expect(requiredMargin(USDJPY, 1, 110, 100, 'USD')).toBeCloseTo(1000, 9);
  });

  it('asks 1000 USD for 0.1 lot of XAUUSD at 2000 with 1:20 leverage', () => {
    expect(requiredMargin(XAUUSD, 0.1, 2000, 20, 'USD')).toBeCloseTo(1000, 9);
  });

  it('converts a foreign cross through the rate implied by its tick value (EURGBP at 0.85, GBPUSD 1.25)', () => {
    expect(notionalValue(EURGBP, 1, 0.85, 'USD')).toBeCloseTo(85_000 * 1.25, 6);
  });

  it("uses the instrument's own leverage over the account's, and leaves the margin rate to the caller", () => {
    const btc = { ...XAUUSD, symbol: 'BTCUSDT', contractSize: 1, tickValue: 0.01, baseCurrency: 'BTC', profitCurrency: 'USDT', marginCurrency: 'BTC', leverage: 2 };
    // 0.5 BTC at 60 000 USDT (= USD) with the symbol's 1:2, whatever the account's 1:100.
    expect(requiredMargin(btc, 0.5, 60_000, 100, 'USD')).toBeCloseTo(15_000, 9);
    expect(requiredMargin({ ...EURUSD, marginRate: 2 }, 1, 1.1, 100, 'USD')).toBeCloseTo(1100, 9);
  });

  it('refuses a zero leverage as a broken invariant', () => {
    expect(() => requiredMargin(EURUSD, 1, 1.1, 0, 'USD')).toThrow('invalid leverage 0');
  });
});

describe('currencyExposure (base long, quote short, valued in account currency)', () => {
  it('nets EUR and USD legs across EURUSD and USDJPY positions', () => {
    const report = currencyExposure(
      [
        { symbol: 'EURUSD', side: 'BUY', volume: 1 },
        { symbol: 'USDJPY', side: 'SELL', volume: 0.5 },
      ],
      { EURUSD, USDJPY },
      { EURUSD: { bid: 1.0999, ask: 1.1001, time: 0 }, USDJPY: { bid: 149.99, ask: 150.01, time: 0 } },
      'USD',
    );
    expect(report.byCurrency.EUR?.units).toBeCloseTo(100_000, 6);
    expect(report.byCurrency.EUR?.value).toBeCloseTo(110_000, 6);
    // Short EURUSD leg of USD (-110 000) and short 0.5 lot USDJPY (-50 000 USD).
    expect(report.byCurrency.USD?.value).toBeCloseTo(-160_000, 6);
    expect(report.byCurrency.JPY?.units).toBeCloseTo(50_000 * 150, 3);
    expect(report.byCurrency.JPY?.value).toBeCloseTo(50_000, 6);
    expect(report.unpriced).toEqual([]);
  });

  it('values a position without a quote at its open price and lists unknown instruments as unpriced', () => {
    const report = currencyExposure(
      [
        { symbol: 'XAUUSD', side: 'BUY', volume: 0.1, openPrice: 2000 },
        { symbol: 'US30', side: 'BUY', volume: 1, openPrice: 39_000 },
      ],
      { XAUUSD },
      {},
      'USD',
    );
    expect(report.byCurrency.XAU?.value).toBeCloseTo(20_000, 6);
    expect(report.unpriced).toEqual(['US30']);
  });
});
