import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { catalogueV1Url } from '@mt5/domain/instruments';

/** Which service reads which of the variables the run command sets. */
export const SettingOwners: Readonly<Record<string, readonly string[]>> = {
  'mt5-simulator': ['SIM_FEED', 'SIM_ALWAYS_OPEN', 'ACCOUNT_ID'],
  execution: ['ACCOUNT_ID'],
  'risk-guard': ['ACCOUNT_ID', 'INSTRUMENT_CATALOGUE_PATH', 'STALE_QUOTE_SECONDS', 'MAX_ACCOUNT_SNAPSHOT_AGE_SECONDS', 'RATE_LIMIT_CAPACITY', 'RATE_LIMIT_REFILL_PER_SECOND'],
  reporting: ['REPORTING_STRATEGY_MAGICS'],
};

/** A limit no history replay reaches: the checks that compare market times with the wall clock pass. */
const WALL_CLOCK_FREE_SECONDS = '100000000000';

/**
 * The environment the run command starts the services with, on top of tools/lib/env.sh. A value
 * already in the environment wins, so any of these can be overridden.
 *
 * Replay: the simulator follows the replayed bars (`SIM_FEED=driven`) and enforces sessions on
 * their time. risk-guard runs on the wall clock while the prices are years old, so its checks
 * that compare a market time with the wall clock are opened up for the demo: quote and account
 * snapshot age, the session calendar (a copy of the catalogue with every market always open;
 * the simulator still rejects orders outside sessions on history time, with retcode 10018), and
 * the order rate limit (a replay puts hours of signals into seconds).
 *
 * Live: the simulator's random walk at wall-clock time, every market open (weekends too).
 */
export function demoServiceEnv(options: { live: boolean; account: string; catalogue: string }, env: Record<string, string | undefined>): Record<string, string> {
  const wanted: Record<string, string> = {
    ACCOUNT_ID: options.account,
    INSTRUMENT_CATALOGUE_PATH: options.catalogue,
    REPORTING_STRATEGY_MAGICS: '1001=ma-crossover-m1,1002=rsi-reversion-m1',
    // Live: the replay's allowances are switched off again (empty = unset = the service's default).
    ...(options.live
      ? { SIM_FEED: 'random-walk', SIM_ALWAYS_OPEN: 'true', STALE_QUOTE_SECONDS: '', MAX_ACCOUNT_SNAPSHOT_AGE_SECONDS: '', RATE_LIMIT_CAPACITY: '', RATE_LIMIT_REFILL_PER_SECOND: '' }
      : {
        SIM_FEED: 'driven', SIM_ALWAYS_OPEN: '', STALE_QUOTE_SECONDS: WALL_CLOCK_FREE_SECONDS, MAX_ACCOUNT_SNAPSHOT_AGE_SECONDS: WALL_CLOCK_FREE_SECONDS,
        RATE_LIMIT_CAPACITY: '1000', RATE_LIMIT_REFILL_PER_SECOND: '1000',
      }),
  };
  return Object.fromEntries(Object.entries(wanted).map(([key, value]) => [key, env[key] ?? value]));
}

/**
 * Writes a copy of the bundled instrument catalogue with every session always open (a window that
 * opens and closes at the same minute is open all week) and returns its path.
 */
export function writeAlwaysOpenCatalogue(dataDir: string): string {
  const target = path.join(dataDir, 'demo', 'instruments-always-open.json');
  const catalogue = JSON.parse(readFileSync(catalogueV1Url, 'utf8')) as { notes?: string; instruments: { sessions?: unknown }[] };
  catalogue.notes = 'Written by the run command (tools/demo): the bundled catalogue with every market always open, for history replays and weekend demos.';
  for (const instrument of catalogue.instruments) instrument.sessions = { timeZone: 'UTC', windows: [{ open: 'Sun 00:00', close: 'Sun 00:00' }] };
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(catalogue, null, 2)}\n`);
  return target;
}

/** The environment of a running process (Linux `/proc/<pid>/environ`); undefined when unreadable. */
export function processEnvironment(pid: number): Map<string, string> | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/environ`, 'utf8');
    return new Map(text.split('\0').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  } catch {
    return undefined;
  }
}

/** The pid in `.run/<service>.pid` when that process still runs this service. */
export function runningServicePid(runDir: string, service: string): number | undefined {
  const file = path.join(runDir, `${service}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(`dist/apps/${service}/src/main.js`) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Services the project started that run with other values of the variables above than the demo
 * wants (a stack brought up by hand, or by a run in the other mode), with the first difference.
 */
export function servicesWithOtherSettings(runDir: string, wanted: Readonly<Record<string, string>>): { service: string; difference: string }[] {
  const out: { service: string; difference: string }[] = [];
  for (const [service, keys] of Object.entries(SettingOwners)) {
    const pid = runningServicePid(runDir, service);
    if (pid === undefined) continue;
    const environment = processEnvironment(pid);
    if (!environment) continue;
    const key = keys.find((name) => wanted[name] !== undefined && (environment.get(name) ?? '') !== wanted[name]);
    if (key) out.push({ service, difference: `${key}=${environment.get(key) || '(unset)'}, the demo wants ${wanted[key] || '(unset)'}` });
  }
  return out;
}
