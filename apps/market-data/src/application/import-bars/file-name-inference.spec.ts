import { describe, expect, it } from '@jest/globals';
import { inferSymbol, inferTimeframe } from './file-name-inference.js';

describe('symbol and timeframe from a history file name', () => {
  it.each([
    // The shared data's own names (../shared/data/market).
    ['EURUSD_M1.mt5-export.csv', 'EURUSD'],
    ['GBPUSD_M1.csv', 'GBPUSD'],
    ['USDJPY_M1.csv', 'USDJPY'],
    ['XAUUSD_M1.rates.csv', 'XAUUSD'],
    ['BTCUSDT_1m.binance.csv', 'BTCUSDT'],
    // Broker suffixes stay part of the symbol; folders do not matter.
    ['/data/exports/EURUSD.m_M5.csv', 'EURUSD.m'],
    ['US30#_H1.csv', 'US30#'],
    ['EURUSD.csv', 'EURUSD'],
    ['EURUSD M1 2022.txt', 'EURUSD'],
    // HistData names its files DAT_<form>_<pair>_<tf>_<period>.
    ['DAT_ASCII_EURUSD_M1_2019.csv', 'EURUSD'],
    ['DAT_MT_gbpusd_M1_201907.csv', 'GBPUSD'],
  ])('reads %s as %s', (file, symbol) => {
    expect(inferSymbol(file)).toBe(symbol);
  });

  it('gives up on names that do not start with a symbol', () => {
    expect(inferSymbol('2021-01-25_export.csv')).toBeUndefined();
    expect(inferSymbol('_M1.csv')).toBeUndefined();
  });

  it.each([
    ['EURUSD_M1.mt5-export.csv', 'M1'],
    ['EURUSD_h4.csv', 'H4'],
    ['BTCUSDT_1m.binance.csv', 'M1'],
    ['BTCUSDT_4h.csv', 'H4'],
    ['DAT_ASCII_EURUSD_M1_2019.csv', 'M1'],
  ])('reads the timeframe of %s as %s', (file, timeframe) => {
    expect(inferTimeframe(file)).toBe(timeframe);
  });

  it('does not read Binance "1M" (one month) as one minute, nor guess when nothing is said', () => {
    expect(inferTimeframe('BTCUSDT_1M.csv')).toBeUndefined();
    expect(inferTimeframe('EURUSD.csv')).toBeUndefined();
  });
});
