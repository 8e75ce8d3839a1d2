import type { InstrumentMath } from './instrument-math.types.js';

/**
 * Specs as a typical MT5 broker reports them for a USD account (tick values from the terminal's
 * `SYMBOL_TRADE_TICK_VALUE`; USDJPY's at a rate of 150, EURGBP's at a GBPUSD of 1.25).
 */
export const EURUSD: InstrumentMath = {
  symbol: 'EURUSD', digits: 5, point: 0.00001, tickSize: 0.00001, tickValue: 1, contractSize: 100_000,
  baseCurrency: 'EUR', profitCurrency: 'USD', marginCurrency: 'EUR',
};

export const USDJPY: InstrumentMath = {
  symbol: 'USDJPY', digits: 3, point: 0.001, tickSize: 0.001, tickValue: 0.001 * 100_000 / 150, contractSize: 100_000,
  baseCurrency: 'USD', profitCurrency: 'JPY', marginCurrency: 'USD',
};

export const XAUUSD: InstrumentMath = {
  symbol: 'XAUUSD', digits: 2, point: 0.01, tickSize: 0.01, tickValue: 1, contractSize: 100,
  baseCurrency: 'XAU', profitCurrency: 'USD', marginCurrency: 'XAU',
};

export const EURGBP: InstrumentMath = {
  symbol: 'EURGBP', digits: 5, point: 0.00001, tickSize: 0.00001, tickValue: 1.25, contractSize: 100_000,
  baseCurrency: 'EUR', profitCurrency: 'GBP', marginCurrency: 'EUR',
};
