import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LIMIT_DAYS, parseDemoOptions, parseUtcTime } from './demo-options.js';

const ok = (argv: string[], env: Record<string, string> = {}) => {
  const parsed = parseDemoOptions(argv, env);
  if (!parsed.ok) throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
};
const problems = (argv: string[]) => {
  const parsed = parseDemoOptions(argv);
  return parsed.ok ? [] : parsed.problems;
};

describe('parseDemoOptions', () => {
  it('replays the next day of EURUSD, GBPUSD and USDJPY in lockstep on paper-1 by default', () => {
    expect(ok([])).toEqual({
      live: false, dataDir: undefined, symbols: ['EURUSD', 'GBPUSD', 'USDJPY'], from: undefined, to: undefined, limitDays: DEFAULT_LIMIT_DAYS,
      pace: 'lockstep', account: 'paper-1', skipImport: false, keepServices: false, resumeTrading: false, verbose: false,
    });
  });

  it('takes the account from ACCOUNT_ID unless --account names one', () => {
    expect(ok([], { ACCOUNT_ID: 'paper-7' }).account).toBe('paper-7');
    expect(ok(['--account', 'demo-2'], { ACCOUNT_ID: 'paper-7' }).account).toBe('demo-2');
  });

  it('reads --from as UTC and ends the range --limit-days later when --to is absent', () => {
    const options = ok(['--from', '2021-02-01', '--limit-days', '2']);
    expect([options.from, options.to]).toEqual([Date.parse('2021-02-01T00:00Z'), Date.parse('2021-02-03T00:00Z')]);
    expect(ok(['--from', '2021-02-01T10:00', '--to', '2021-02-01 12:30']).to).toBe(Date.parse('2021-02-01T12:30Z'));
  });

  it('has no day limit with --all', () => {
    expect(ok(['--all']).limitDays).toBeUndefined();
  });

  it('accepts run.sh\'s --detach and the other switches', () => {
    const options = ok(['--detach', '--live', '--data', '/tmp/x', '--symbols', 'eurusd, gbpusd', '--pace', 'max', '--skip-import', '--keep-services', '--resume-trading', '--verbose']);
    expect(options).toMatchObject({ live: true, dataDir: '/tmp/x', symbols: ['EURUSD', 'GBPUSD'], pace: 'max', skipImport: true, keepServices: true, resumeTrading: true, verbose: true });
  });

  it('reports every problem at once', () => {
    expect(problems(['--to', '2021-02-01', '--limit-days', '0', '--pace', 'slow', '--account', 'a b'])).toEqual([
      '--limit-days: "0" is not a positive number of days',
      '--to needs --from',
      '--pace: "slow" is not one of lockstep, max',
      '--account: "a b" may hold letters, digits, _ and - only',
    ]);
    expect(problems(['--from', '2021-02-30x'])).toEqual(['--from: "2021-02-30x" is not a date or date-time (e.g. 2021-01-25 or 2021-01-25T10:00)']);
    expect(problems(['--all', '--from', '2021-02-01'])).toEqual(['--all replays everything: leave out --limit-days, --from and --to']);
    expect(problems(['--live', '--limit-days', '2'])).toEqual(['--live has no replay: leave out --from, --to, --all and --limit-days']);
    expect(problems(['--from', '2021-02-02', '--to', '2021-02-01'])).toEqual(['--to must be after --from']);
  });

  it('refuses unknown options and asks for help on -h', () => {
    expect(problems(['--fast'])).toHaveLength(1);
    expect(parseDemoOptions(['-h'])).toEqual({ ok: false, help: true, problems: [] });
  });
});

describe('parseUtcTime', () => {
  it('reads dates and date-times as UTC unless they carry a zone', () => {
    expect(parseUtcTime('2021-01-25')).toBe(Date.UTC(2021, 0, 25));
    expect(parseUtcTime('2021-01-25T10:00+02:00')).toBe(Date.UTC(2021, 0, 25, 8));
    expect(parseUtcTime('25.01.2021')).toBeUndefined();
  });
});
