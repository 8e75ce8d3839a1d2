import { describe, expect, it } from '@jest/globals';
import { parseCliArgs, parseCliTime } from './cli-args.js';

const ok = (argv: string[]) => {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) throw new Error(`expected a command, got: ${parsed.error}`);
  return parsed.value;
};
const error = (argv: string[]) => {
  const parsed = parseCliArgs(argv);
  if (parsed.ok) throw new Error(`expected a usage error for ${argv.join(' ')}`);
  return parsed.error;
};

describe('market-data CLI arguments', () => {
  it('reads an import with every option, mapping the short format names to the importer formats', () => {
    expect(ok(['import', 'EURUSD_M1.csv', '--symbol', 'EURUSD', '--format', 'mt4', '--tz', 'EET', '--venue', 'mt5-live', '--timeframe', 'm5', '--publish', '--rejects-out', 'bad.tsv', '--show-rejects', '5'])).toEqual({
      command: 'import', paths: ['EURUSD_M1.csv'], symbol: 'EURUSD', format: 'mt4-csv', timeZone: 'EET', venue: 'mt5-live', timeframe: 'M5',
      publish: true, rejectsOut: 'bad.tsv', showRejects: 5, json: false,
    });
  });

  it('defaults an import to format detection, no publishing and 20 listed rejects', () => {
    expect(ok(['import', 'a.csv', 'b.csv'])).toMatchObject({ paths: ['a.csv', 'b.csv'], format: 'auto', publish: false, showRejects: 20, symbol: undefined, timeZone: undefined });
  });

  it.each([
    ['histdata', 'histdata-ascii'], ['plain', 'plain-csv'], ['binance', 'binance-klines'], ['mt5-rates', 'mt5-rates'], ['mt5-export', 'mt5-export'], ['plain-csv', 'plain-csv'],
  ])('accepts --format %s as %s', (given, format) => {
    expect(ok(['import', 'x.csv', '--format', given])).toMatchObject({ format });
  });

  it('refuses an unknown format, an unknown time zone and a missing file with a message naming the problem', () => {
    expect(error(['import', 'x.csv', '--format', 'excel'])).toMatch(/--format: "excel" is not one of auto, mt5-export, mt4/);
    expect(error(['import', 'x.csv', '--tz', 'Mars/Olympus'])).toMatch(/--tz: unknown time zone "Mars\/Olympus"/);
    expect(error(['import'])).toBe('import: give a file or a folder');
    expect(error(['import', 'x.csv', '--timeframe', 'M2'])).toMatch(/--timeframe: "M2" is not one of M1, M5/);
  });

  it('refuses unknown options and commands rather than ignore them', () => {
    expect(error(['import', 'x.csv', '--symbl', 'EURUSD'])).toMatch(/--symbl/);
    expect(error(['backfill'])).toBe('unknown command "backfill"');
  });

  it('reads a replay of several symbols with a speed factor, times in UTC', () => {
    expect(ok(['replay', '--symbols', 'EURUSD,GBPUSD', '--from', '2021-01-25', '--to', '2021-01-26T12:00', '--speed', '60'])).toEqual({
      command: 'replay', venue: undefined, symbols: ['EURUSD', 'GBPUSD'], timeframe: 'M1', from: Date.UTC(2021, 0, 25), to: Date.UTC(2021, 0, 26, 12),
      speed: { kind: 'factor', factor: 60 }, tag: undefined, json: false,
    });
    expect(ok(['replay', '--symbols', 'EURUSD', '--from', '2021-01-25', '--to', '2021-01-26'])).toMatchObject({ speed: { kind: 'max' } });
  });

  it('refuses a replay whose range is empty or whose speed is not a positive factor', () => {
    expect(error(['replay', '--symbols', 'EURUSD', '--from', '2021-01-26', '--to', '2021-01-25'])).toBe('--to must be after --from');
    expect(error(['replay', '--symbols', 'EURUSD', '--from', '2021-01-25', '--to', '2021-01-26', '--speed', '0'])).toMatch(/--speed/);
    expect(error(['replay', '--from', '2021-01-25', '--to', '2021-01-26'])).toBe('--symbols is required');
  });

  it('reads gaps with a minimum run length and aggregate with its targets', () => {
    expect(ok(['gaps', '--symbol', 'GBPUSD', '--timeframe', 'M1', '--min-bars', '5'])).toMatchObject({ command: 'gaps', symbol: 'GBPUSD', timeframe: 'M1', minBars: 5, backfill: false });
    expect(ok(['aggregate', '--symbol', 'EURUSD', '--from', 'M1', '--to', 'H1'])).toMatchObject({ command: 'aggregate', symbols: ['EURUSD'], source: 'M1', targets: ['H1'] });
    expect(ok(['aggregate', '--symbol', 'EURUSD'])).toMatchObject({ targets: ['M5', 'M15', 'M30', 'H1', 'H4', 'D1'] });
    expect(error(['aggregate', '--symbol', 'EURUSD', '--from', 'H1', '--to', 'M5'])).toBe('--to: M5 is not above --from H1');
  });

  it('reads "instruments load" and nothing else under instruments', () => {
    expect(ok(['instruments', 'load', '--file', 'cat.json'])).toEqual({ command: 'instruments-load', file: 'cat.json', json: false });
    expect(error(['instruments', 'drop'])).toMatch(/the only subcommand is "instruments load/);
  });

  it('prints help for no arguments', () => {
    expect(ok([])).toEqual({ command: 'help' });
  });
});

describe('command-line times', () => {
  it('reads dates and date-times as UTC unless they carry an offset', () => {
    expect(parseCliTime('from', '2021-01-25')).toBe(Date.UTC(2021, 0, 25));
    expect(parseCliTime('from', '2021-01-25 10:30')).toBe(Date.UTC(2021, 0, 25, 10, 30));
    expect(parseCliTime('from', '2021-01-25T10:30:15Z')).toBe(Date.UTC(2021, 0, 25, 10, 30, 15));
    expect(parseCliTime('from', '2021-01-25T12:30+02:00')).toBe(Date.UTC(2021, 0, 25, 10, 30));
  });

  it('refuses what is not a date', () => {
    expect(() => parseCliTime('from', 'yesterday')).toThrow('--from: "yesterday" is not a date or date-time');
    expect(() => parseCliTime('to', '2021-02-30')).toThrow();
  });
});
