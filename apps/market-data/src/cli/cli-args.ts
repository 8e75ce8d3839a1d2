import { parseArgs } from 'node:util';
import { Timeframes, type Timeframe } from '@mt5/contracts';
import { BarFormats, parseTimeZone, type BarFormat } from '@mt5/domain/market';
import type { ReplaySpeed } from '../application/replay-bars/replay-bars.use-case.js';

/** `--format` names: the short ones from the docs, or the importer's own. */
export const FormatAliases: Readonly<Record<string, BarFormat | 'auto'>> = {
  auto: 'auto', 'mt5-export': 'mt5-export', mt4: 'mt4-csv', histdata: 'histdata-ascii', plain: 'plain-csv',
  'mt5-rates': 'mt5-rates', binance: 'binance-klines',
  ...Object.fromEntries(BarFormats.map((format) => [format, format])),
};


export type CliCommand =
  | { readonly command: 'help' }
  | {
    readonly command: 'import'; readonly paths: readonly string[]; readonly symbol?: string; readonly format: BarFormat | 'auto';
    readonly timeZone?: string; readonly venue?: string; readonly timeframe?: Timeframe; readonly publish: boolean;
    readonly rejectsOut?: string; readonly showRejects: number; readonly json: boolean;
  }
  | { readonly command: 'coverage'; readonly venue?: string; readonly symbols?: readonly string[]; readonly timeframe?: Timeframe; readonly json: boolean }
  | {
    readonly command: 'gaps'; readonly venue?: string; readonly symbol: string; readonly timeframe: Timeframe; readonly minBars: number;
    readonly from?: number; readonly to?: number; readonly backfill: boolean; readonly json: boolean;
  }
  | {
    readonly command: 'aggregate'; readonly venue?: string; readonly symbols: readonly string[]; readonly source: Timeframe;
    readonly targets: readonly Timeframe[]; readonly from?: number; readonly to?: number; readonly publish: boolean; readonly json: boolean;
  }
  | {
    readonly command: 'replay'; readonly venue?: string; readonly symbols: readonly string[]; readonly timeframe: Timeframe;
    readonly from: number; readonly to: number; readonly speed: ReplaySpeed; readonly tag?: string; readonly json: boolean;
  }
  | { readonly command: 'instruments-load'; readonly file?: string; readonly json: boolean };

/** Parsing outcome: a command, or a usage error to print with exit code 2. */
export type CliParse = { readonly ok: true; readonly value: CliCommand } | { readonly ok: false; readonly error: string };

class UsageError extends Error {}

const fail = (message: string): never => {
  throw new UsageError(message);
};

function timeframe(flag: string, value: string | undefined): Timeframe | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  return (Timeframes as readonly string[]).includes(upper) ? (upper as Timeframe) : fail(`--${flag}: "${value}" is not one of ${Timeframes.join(', ')}`);
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/**
 * A UTC time from the command line: `2021-01-25`, `2021-01-25T10:00`, `2021-01-25 10:00:00`, with
 * an optional `Z` or offset. A date-time without a zone is UTC (never the machine's local time).
 */
export function parseCliTime(flag: string, value: string): number {
  const text = value.trim().replace(' ', 'T');
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  const withTime = /T/.test(text) ? text : `${text}T00:00`;
  const shape = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(withTime);
  // Date.parse rolls 2021-02-30 over into March: check the calendar date itself.
  const realDate = shape !== null && new Date(Date.UTC(Number(shape[1]), Number(shape[2]) - 1, Number(shape[3]))).getUTCDate() === Number(shape[3]);
  const ms = realDate ? Date.parse(hasZone ? withTime : `${withTime}Z`) : Number.NaN;
  return Number.isFinite(ms) ? ms : fail(`--${flag}: "${value}" is not a date or date-time (e.g. 2021-01-25 or 2021-01-25T10:00Z)`);
}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fail(`--${flag}: "${value}" is not a whole number`);
}

function speed(value: string | undefined): ReplaySpeed {
  if (value === undefined || value === 'max') return { kind: 'max' };
  const factor = Number(value.replace(/x$/i, ''));
  return Number.isFinite(factor) && factor > 0 ? { kind: 'factor', factor } : fail(`--speed: "${value}" is neither "max" nor a positive factor such as 60`);
}

function required<T>(flag: string, value: T | undefined): T {
  return value === undefined ? fail(`--${flag} is required`) : value;
}

const common = { venue: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

function parseCommand(command: string, rest: string[]): CliCommand {
  switch (command) {
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest, allowPositionals: true,
        options: {
          ...common, symbol: { type: 'string' }, format: { type: 'string', default: 'auto' }, tz: { type: 'string' }, timeframe: { type: 'string' },
          publish: { type: 'boolean', default: false }, 'rejects-out': { type: 'string' }, 'show-rejects': { type: 'string' },
        },
      });
      if (positionals.length === 0) fail('import: give a file or a folder');
      const format = FormatAliases[values.format] ?? fail(`--format: "${values.format}" is not one of ${Object.keys(FormatAliases).join(', ')}`);
      if (values.tz !== undefined && !parseTimeZone(values.tz)) fail(`--tz: unknown time zone "${values.tz}" (UTC, +02:00, EET, CET, WET, America/New_York, NY+7)`);
      return {
        command, paths: positionals, symbol: values.symbol, format, timeZone: values.tz, venue: values.venue, timeframe: timeframe('timeframe', values.timeframe),
        publish: values.publish, rejectsOut: values['rejects-out'], showRejects: positiveInteger('show-rejects', values['show-rejects'], 20), json: values.json,
      };
    }
    case 'coverage': {
      const { values } = parseArgs({ args: rest, options: { ...common, symbol: { type: 'string' }, symbols: { type: 'string' }, timeframe: { type: 'string' } } });
      return { command, venue: values.venue, symbols: list(values.symbols ?? values.symbol), timeframe: timeframe('timeframe', values.timeframe), json: values.json };
    }
    case 'gaps': {
      const { values } = parseArgs({
        args: rest,
        options: { ...common, symbol: { type: 'string' }, timeframe: { type: 'string', default: 'M1' }, 'min-bars': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, backfill: { type: 'boolean', default: false } },
      });
      return {
        command, venue: values.venue, symbol: required('symbol', values.symbol), timeframe: timeframe('timeframe', values.timeframe)!,
        minBars: Math.max(1, positiveInteger('min-bars', values['min-bars'], 1)), from: values.from === undefined ? undefined : parseCliTime('from', values.from),
        to: values.to === undefined ? undefined : parseCliTime('to', values.to), backfill: values.backfill, json: values.json,
      };
    }
    case 'aggregate': {
      const { values } = parseArgs({
        args: rest,
        options: { ...common, symbol: { type: 'string' }, symbols: { type: 'string' }, from: { type: 'string', default: 'M1' }, to: { type: 'string', default: 'all' }, since: { type: 'string' }, until: { type: 'string' }, publish: { type: 'boolean', default: false } },
      });
      const source = timeframe('from', values.from)!;
      const targets = values.to === 'all' ? Timeframes.filter((tf) => Timeframes.indexOf(tf) > Timeframes.indexOf(source)) : list(values.to)!.map((tf) => timeframe('to', tf)!);
      for (const target of targets) if (Timeframes.indexOf(target) <= Timeframes.indexOf(source)) fail(`--to: ${target} is not above --from ${source}`);
      return {
        command, venue: values.venue, symbols: required('symbol', list(values.symbols ?? values.symbol)), source, targets,
        from: values.since === undefined ? undefined : parseCliTime('since', values.since), to: values.until === undefined ? undefined : parseCliTime('until', values.until),
        publish: values.publish, json: values.json,
      };
    }
    case 'replay': {
      const { values } = parseArgs({
        args: rest,
        options: { ...common, symbols: { type: 'string' }, symbol: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, timeframe: { type: 'string', default: 'M1' }, speed: { type: 'string' }, tag: { type: 'string' } },
      });
      const from = parseCliTime('from', required('from', values.from));
      const to = parseCliTime('to', required('to', values.to));
      if (to <= from) fail('--to must be after --from');
      if (values.tag !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(values.tag)) fail('--tag: 1..32 characters of A-Z a-z 0-9 _ -');
      return {
        command, venue: values.venue, symbols: required('symbols', list(values.symbols ?? values.symbol)), timeframe: timeframe('timeframe', values.timeframe)!,
        from, to, speed: speed(values.speed), tag: values.tag, json: values.json,
      };
    }
    case 'instruments': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: common.json, file: { type: 'string' } } });
      if (positionals[0] !== 'load' || positionals.length > 1) fail('instruments: the only subcommand is "instruments load [--file catalogue.json]"');
      return { command: 'instruments-load', file: values.file, json: values.json };
    }
    case 'help': case '--help': case '-h':
      return { command: 'help' };
    default:
      return fail(`unknown command "${command}"`);
  }
}

/** Parses `process.argv.slice(2)`. */
export function parseCliArgs(argv: readonly string[]): CliParse {
  const [command, ...rest] = argv;
  if (command === undefined) return { ok: true, value: { command: 'help' } };
  try {
    return { ok: true, value: parseCommand(command, rest) };
  } catch (error) {
    // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* and a clear message.
    if (error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) return { ok: false, error: (error as Error).message };
    throw error;
  }
}

export const USAGE = `market-data CLI: history import, coverage, gaps, aggregation, replay, instruments.

  import <file|folder>... [--symbol S] [--format auto|mt5-export|mt4|histdata|plain|mt5-rates|binance]
         [--tz UTC|+02:00|EET|NY+7] [--venue MT5] [--timeframe M1] [--publish] [--rejects-out FILE] [--show-rejects 20]
  coverage [--venue V] [--symbols S1,S2] [--timeframe TF]
  gaps --symbol S [--timeframe M1] [--min-bars N] [--from T] [--to T] [--venue V] [--backfill]
  aggregate --symbol S[,S2] [--from M1] [--to H1|M5,H1|all] [--since T] [--until T] [--venue V] [--publish]
  replay --symbols S1,S2 --from T --to T [--timeframe M1] [--speed max|60] [--venue V] [--tag NAME]
  instruments load [--file catalogue.json]

Every command takes --json for machine-readable output. Times are UTC: 2021-01-25 or 2021-01-25T10:00.
See docs/market-data.md.`;
