import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { catalogueV1Url, findInstrument, loadCatalogue } from './catalogue.js';
import { formatInstrumentPrice, isInSession, tickValueAt } from './instrument-math.js';
import type { InstrumentCatalogue, InstrumentSpec } from './instrument-spec.js';

const at = (iso: string) => Date.parse(iso);
const json = JSON.parse(readFileSync(catalogueV1Url, 'utf8')) as unknown;

function catalogue(): InstrumentCatalogue {
  const loaded = loadCatalogue(json);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return loaded.catalogue;
}
const spec = (venue: string, symbol: string): InstrumentSpec => findInstrument(catalogue(), venue, symbol)!;

describe('the shipped instrument catalogue', () => {
  it('loads without problems and has every shared symbol', () => {
    expect(loadCatalogue(json).problems).toEqual([]);
    expect(catalogue().instruments.map((instrument) => `${instrument.venue}/${instrument.symbol}`)).toEqual([
      'mt5-demo/EURUSD', 'mt5-demo/GBPUSD', 'mt5-demo/USDJPY', 'mt5-demo/XAUUSD', 'binance/BTCUSDT',
    ]);
  });

  it('has tick values consistent with tick size × contract size (USDJPY at its 150.000 reference rate)', () => {
    for (const instrument of catalogue().instruments) {
      const reference = instrument.symbol === 'USDJPY' ? 150 : 1;
      expect([instrument.symbol, instrument.tickValue]).toEqual([instrument.symbol, Number(tickValueAt(instrument, reference)!.toFixed(5))]);
    }
  });

  it('knows when each market trades: FX closed on Saturday, gold in its daily break, crypto always', () => {
    expect(isInSession(spec('mt5-demo', 'EURUSD'), at('2022-01-08T12:00:00Z'))).toBe(false);
    expect(isInSession(spec('mt5-demo', 'EURUSD'), at('2022-01-09T22:00:00Z'))).toBe(true);
    expect(isInSession(spec('mt5-demo', 'EURUSD'), at('2022-01-07T21:59:00Z'))).toBe(true);
    expect(isInSession(spec('mt5-demo', 'EURUSD'), at('2022-01-07T22:00:00Z'))).toBe(false);
    expect(isInSession(spec('mt5-demo', 'XAUUSD'), at('2026-06-30T20:30:00Z'))).toBe(false);
    expect(isInSession(spec('mt5-demo', 'XAUUSD'), at('2026-06-30T22:00:00Z'))).toBe(true);
    expect(isInSession(spec('binance', 'BTCUSDT'), at('2020-12-05T03:00:00Z'))).toBe(true);
  });
});

describe('tickValueAt', () => {
  it('is constant when the profit currency is USD', () => {
    expect(tickValueAt(spec('mt5-demo', 'EURUSD'), 1.1284)).toBe(1);
    expect(tickValueAt(spec('mt5-demo', 'XAUUSD'), 4082.28)).toBe(1);
  });

  it('divides by the rate when USD is the base currency', () => {
    // 0.001 JPY × 100 000 = 100 JPY per tick; at 103.811 JPY/USD that is 0.96329… USD.
    expect(tickValueAt(spec('mt5-demo', 'USDJPY'), 103.811)).toBeCloseTo(100 / 103.811, 12);
  });

  it('needs the profit currency rate for a cross instead of guessing', () => {
    const eurgbp = { ...spec('mt5-demo', 'EURUSD'), symbol: 'EURGBP', profitCurrency: 'GBP' };
    expect(tickValueAt(eurgbp, 0.85)).toBeUndefined();
    expect(tickValueAt(eurgbp, 0.85, 1.27)).toBeCloseTo(1.27, 12);
  });
});

describe('loadCatalogue', () => {
  it('lists every problem with its place', () => {
    const broken = {
      version: 2,
      instruments: [
        { ...spec('mt5-demo', 'EURUSD'), digits: 5, point: 0.0001, tickValue: 0, tradeMode: 'SOMETIMES', fillingModes: ['FOK', 'FOK'], tickvalue: 1 },
        spec('mt5-demo', 'GBPUSD'),
        spec('mt5-demo', 'GBPUSD'),
      ],
    };
    expect(loadCatalogue(broken)).toEqual({
      ok: false,
      problems: [
        'version: 2 is not a supported catalogue version (1)',
        'instruments[0].tickvalue: unknown field',
        'instruments[0].point: must be 10^-digits (0.00001)',
        'instruments[0].tickSize: must be a whole number of points',
        'instruments[0].tickValue: must be a positive number (USD per tick per lot)',
        'instruments[0].tradeMode: must be one of FULL, LONG_ONLY, SHORT_ONLY, CLOSE_ONLY, DISABLED',
        'instruments[0].fillingModes: must be a non-empty list of distinct FOK, IOC, RETURN',
        'instruments[2]: mt5-demo/GBPUSD appears twice',
      ],
    });
  });

  it('refuses what is not a catalogue object', () => {
    expect(loadCatalogue([])).toEqual({ ok: false, problems: ['catalogue must be a JSON object'] });
    expect(loadCatalogue({ version: 1 })).toEqual({ ok: false, problems: ['instruments: must be a list'] });
  });

  it('checks the sessions of each instrument', () => {
    const problems = loadCatalogue({ version: 1, instruments: [{ ...spec('mt5-demo', 'EURUSD'), sessions: { windows: [{ open: 'Sun 17:00', close: 'Fry 17:00' }] } }] }).problems;
    expect(problems).toEqual(['instruments[0].sessions: window 0: close "Fry 17:00" is not "<Day> HH:MM"']);
  });
});

describe('formatInstrumentPrice', () => {
  it('writes a price with the instrument digits, without float noise', () => {
    expect(formatInstrumentPrice(spec('mt5-demo', 'EURUSD'), 1.1284)).toBe('1.12840');
    expect(formatInstrumentPrice(spec('mt5-demo', 'USDJPY'), 0.1 + 103.7)).toBe('103.800');
  });
});
