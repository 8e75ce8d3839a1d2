import { parseArgs } from 'node:util';

/**
 * How the run command paces the replay:
 * - `lockstep`: at full speed up to the bar before each bar a strategy is expected to signal on,
 *   then wait until the pipeline (quotes included) has drained, then that one minute on its own.
 *   Orders then fill on the signal bar's prices, as a backtest would; the simulator follows the
 *   replayed bars as they are published and would otherwise be far ahead of the strategies.
 * - `max`: each window in one go at full speed, then drain once. Shows raw throughput; fills land
 *   wherever the simulator's price has got to, so many stops are on the wrong side by then.
 */
export const Paces = ['lockstep', 'max'] as const;
export type Pace = (typeof Paces)[number];

export interface DemoOptions {
  readonly live: boolean;
  /** `--data`: folder with the MT5 exports; undefined when not given (then ../shared/data/market is looked for). */
  readonly dataDir: string | undefined;
  readonly symbols: readonly string[];
  /** Explicit history range (UTC ms, `[from, to)`); otherwise each symbol continues where its strategies stopped. */
  readonly from: number | undefined;
  readonly to: number | undefined;
  /** Days of history per symbol when no `--to` is given; undefined with `--all`. */
  readonly limitDays: number | undefined;
  readonly pace: Pace;
  readonly account: string;
  /** Skip the import (the bars are already stored). */
  readonly skipImport: boolean;
  /** Leave services running exactly as they are, even when their settings differ from the demo's. */
  readonly keepServices: boolean;
  /** Set a halted account ACTIVE again (and reset its breakers) through the gateway's admin API before the replay. */
  readonly resumeTrading: boolean;
  /** A line per replay segment with its timings. */
  readonly verbose: boolean;
}

export const DEFAULT_SYMBOLS = ['EURUSD', 'GBPUSD', 'USDJPY'] as const;
export const DEFAULT_LIMIT_DAYS = 1;

export const USAGE = `npm start -- [options]          (or: bash tools/run.sh [options])

Starts the local stack and every service, imports the shared EURUSD, GBPUSD and USDJPY M1 history,
enables the default strategies, replays the history through market-data, paper-trades it on the
MT5 simulator, prints a summary and leaves the platform running until Ctrl-C.

  --data <folder>        MT5 exports (CSV files named like EURUSD_M1.csv); default ../shared/data/market
  --live                 no replay: the simulator's own random-walk prices drive the system
  --limit-days <n>       days of history per symbol, continuing where the strategies stopped (default ${DEFAULT_LIMIT_DAYS})
  --all                  the whole stored history (about 150,000 bars: an hour or more on a small machine)
  --from <date>          replay from this UTC time (2021-01-25 or 2021-01-25T10:00)
  --to <date>            ... up to this one (exclusive); default --from plus --limit-days
  --symbols <list>       default ${DEFAULT_SYMBOLS.join(',')}
  --pace lockstep|max    lockstep (default): orders fill on the signal bar; max: one burst, raw speed
  --account <id>         trading account (default ACCOUNT_ID or paper-1)
  --resume-trading       if a breaker halted the account (an earlier run's losses), set it ACTIVE
                         again through the ops gateway's admin API (audited) before the replay
  --skip-import          the bars are already stored
  --keep-services        do not restart running services whose settings differ from the demo's
  --verbose              a line per replay segment with its publish and drain times
  --detach               return after the summary, leaving everything running (stop: bash tools/stack.sh down)
  -h, --help             this text

See docs/demo.md.`;

export type OptionsParse = { readonly ok: true; readonly options: DemoOptions } | { readonly ok: false; readonly help: boolean; readonly problems: readonly string[] };

/** `2021-01-25`, `2021-01-25T10:00`, `2021-01-25 10:00:00`, with an optional zone; no zone means UTC. */
export function parseUtcTime(text: string): number | undefined {
  const value = text.trim().replace(' ', 'T');
  const shape = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
  if (!shape.test(value)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const withTime = value.includes('T') ? value : `${value}T00:00`;
  const ms = Date.parse(hasZone ? withTime : `${withTime}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Parses the run command's arguments (`--detach` is run.sh's and is accepted and ignored here).
 * Every problem is reported, not just the first.
 */
export function parseDemoOptions(argv: readonly string[], env: Record<string, string | undefined> = {}): OptionsParse {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv], strict: true, allowPositionals: false,
      options: {
        data: { type: 'string' }, live: { type: 'boolean' }, 'limit-days': { type: 'string' }, all: { type: 'boolean' },
        from: { type: 'string' }, to: { type: 'string' }, symbols: { type: 'string' }, pace: { type: 'string' },
        account: { type: 'string' }, 'skip-import': { type: 'boolean' }, 'resume-trading': { type: 'boolean' }, verbose: { type: 'boolean' }, 'keep-services': { type: 'boolean' },
        detach: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { ok: false, help: false, problems: [(error as Error).message] };
  }
  if (values.help) return { ok: false, help: true, problems: [] };
  const problems: string[] = [];
  const time = (flag: 'from' | 'to') => {
    const text = values[flag];
    if (text === undefined) return undefined;
    const ms = parseUtcTime(text);
    if (ms === undefined) problems.push(`--${flag}: "${text}" is not a date or date-time (e.g. 2021-01-25 or 2021-01-25T10:00)`);
    return ms;
  };
  const from = time('from');
  let to = time('to');
  let limitDays: number | undefined = DEFAULT_LIMIT_DAYS;
  if (values['limit-days'] !== undefined) {
    limitDays = Number(values['limit-days']);
    if (!(limitDays > 0) || !Number.isFinite(limitDays)) problems.push(`--limit-days: "${values['limit-days']}" is not a positive number of days`);
  }
  if (values.all) {
    if (values['limit-days'] !== undefined || from !== undefined || to !== undefined) problems.push('--all replays everything: leave out --limit-days, --from and --to');
    limitDays = undefined;
  }
  if (to !== undefined && from === undefined) problems.push('--to needs --from');
  if (from !== undefined && to === undefined && limitDays !== undefined) to = from + limitDays * 86_400_000;
  if (from !== undefined && to !== undefined && to <= from) problems.push('--to must be after --from');
  const pace = values.pace ?? 'lockstep';
  if (!(Paces as readonly string[]).includes(pace)) problems.push(`--pace: "${pace}" is not one of ${Paces.join(', ')}`);
  const symbols = (values.symbols ?? DEFAULT_SYMBOLS.join(',')).split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (symbols.length === 0) problems.push('--symbols: give at least one symbol');
  const account = values.account ?? env.ACCOUNT_ID ?? 'paper-1';
  if (!/^[A-Za-z0-9_-]+$/.test(account)) problems.push(`--account: "${account}" may hold letters, digits, _ and - only`);
  if (values.live && (from !== undefined || values.all || values['limit-days'] !== undefined)) problems.push('--live has no replay: leave out --from, --to, --all and --limit-days');
  if (problems.length > 0) return { ok: false, help: false, problems };
  return {
    ok: true,
    options: {
      live: values.live ?? false, dataDir: values.data, symbols, from, to, limitDays, pace: pace as Pace, account,
      skipImport: values['skip-import'] ?? false, keepServices: values['keep-services'] ?? false,
      resumeTrading: values['resume-trading'] ?? false, verbose: values.verbose ?? false,
    },
  };
}
