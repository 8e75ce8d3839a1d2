// Trade-for-trade parity between the backtester and the pipeline through the simulator.
//
// Real GBPUSD M1 bars (a slice of the shared file, from its first line to the window's end) are
// imported with market-data's CLI; every service runs as a process (dist/apps/*/src/main.js) on a
// private nats-server, its own Postgres schema, Redis prefix, ports and account; a strategy set
// (ma-crossover SMA 10/30 and rsi-reversion 14 30/70, both stop 2 ATR, target 3 ATR) is enabled on
// GBPUSD M1 and the window is replayed through market-data with the parity driver's pacing. The
// trades reporting stored (and the positions the simulator still holds) are then compared with
// `runSimulatorPortfolio` (the `mt5-simulator` fill model, the strategies sharing one account) on
// the same stored bars and settings: strategy, side, volume, entry and exit time and price, exit
// reason and net, all to the last digit. Settings, designed differences and tolerances:
// docs/signals.md, "Parity with the pipeline".
//
//   node tools/build.mjs
//   node --experimental-vm-modules node_modules/jest/bin/jest.js -c jest.integration.config.js tools/e2e/parity/parity.int-spec.ts
//
// PARITY_FROM / PARITY_TO (ISO UTC) move the window (default 2021-01-26 00:00 → 2021-01-27 00:00);
// PARITY_MAX_POSITIONS sets risk-guard's positions per symbol for both sides (default 3, its default);
// PARITY_STRATEGIES=parity-cross (or parity-rsi) runs one strategy of the set alone.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Subjects } from '@mt5/contracts';
import { runSimulatorPortfolio, type BacktestResult } from '@mt5/domain/backtest';
import { catalogueV1Url, loadCatalogue } from '@mt5/domain/instruments';
import type { Bar } from '@mt5/domain/market';
import { connectNats, requestQuery, type NatsHandles } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { startNatsServer, testEnv, uniqueName, waitFor, type NatsTestServer } from '@mt5/testing';
import { dropTestData } from '../platform.fixture.js';
import { demoServiceEnv, writeAlwaysOpenCatalogue } from '../../demo/demo-settings.js';
import { runChild } from '../../demo/local-access.js';
import { allConsumers, OrderFlowTracker, waitForDrain, type FlowCounts } from '../../demo/pipeline-watch.js';
import { startService, freePort, workspaceRoot, type ServiceProcess } from '../service-process.fixture.js';
import { drive, ExecutionWatch, parityPlan, type DriveReport } from './parity-driver.fixture.js';
import { parityBacktestConfigs, parityServiceEnv, selectStrategies, SHARED_GBPUSD } from './parity-settings.fixture.js';
import { compareTrades, fromBacktest, fromOpenPosition, fromReporting, type ComparableTrade, type ReportingTradeRow } from './trade-parity.fixture.js';

const SYMBOL = 'GBPUSD';
const VENUE = 'MT5';
const DIGITS = 5;
const FROM = Date.parse(process.env.PARITY_FROM ?? '2021-01-26T00:00:00Z');
const TO = Date.parse(process.env.PARITY_TO ?? '2021-01-27T00:00:00Z');
const MAX_POSITIONS = Number(process.env.PARITY_MAX_POSITIONS ?? 3);
const STRATEGIES = selectStrategies(process.env.PARITY_STRATEGIES);

let nats: NatsTestServer;
let client: NatsHandles;
let tmp: string;
let schema: string;
let account: string;
const services: ServiceProcess[] = [];
let backtests: BacktestResult[] = [];
let pipelineTrades: ComparableTrade[] = [];
let backtestTrades: ComparableTrade[] = [];
let flow: FlowCounts;
let report: DriveReport;
let simulatorBalance = Number.NaN;
let runSeconds = 0;

const signalCount = () => backtests.reduce((sum, result) => sum + result.signals.length, 0);
const skippedCount = (reason: string) => backtests.reduce((sum, result) => sum + result.skipped.filter((skip) => skip.reason === reason).length, 0);

async function ask<T>(subject: string, body: unknown, timeoutMs = 15_000): Promise<T> {
  const reply = await requestQuery<T>(client.nc, subject, body, timeoutMs);
  if (!reply.ok) throw new Error(`${subject}: ${reply.error.code} ${reply.error.message}`);
  return reply.data;
}

/** `md.ctl.replay` of [from, to), polled until published. */
async function replay(from: number, to: number): Promise<void> {
  const body = { symbols: [SYMBOL], from: new Date(from).toISOString(), to: new Date(to).toISOString(), speed: 'max', tag: 'parity' };
  const started = await ask<{ replayId: string }>(Subjects.command('market-data', 'replay'), body);
  await waitFor(async () => {
    const status = await ask<{ replays: { state: string; error: string | null }[] }>(Subjects.query('market-data', 'replay-status'), { replayId: started.replayId });
    if (status.replays[0]!.state === 'failed') throw new Error(`replay failed: ${status.replays[0]!.error}`);
    return status.replays[0]!.state === 'completed';
  }, { timeoutMs: 120_000, intervalMs: 5, description: 'replay completed' });
}

/** The shared file from its first line up to the window's end, as market-data imports it. */
function writeSlice(target: string): void {
  const end = new Date(TO).toISOString().slice(0, 16).replace('T', ' ');
  const lines = readFileSync(SHARED_GBPUSD, 'utf8').split(/\r?\n/).filter((line) => line.length >= 16 && line.slice(0, 16) < end);
  writeFileSync(target, lines.join('\n'));
}

async function storedBars(databaseUrl: string): Promise<Bar[]> {
  const pool = createPgPool({ url: databaseUrl, poolMax: 1, applicationName: 'parity-e2e' });
  try {
    const { rows } = await pool.query<{ open_time: Date; open: string; high: string; low: string; close: string; tick_volume: string; spread: number | null }>(
      `SELECT open_time, open::text, high::text, low::text, close::text, tick_volume::text, spread FROM "${schema}".bars
        WHERE venue = $1 AND symbol = $2 AND timeframe = 'M1' AND open_time < $3 ORDER BY open_time`, [VENUE, SYMBOL, new Date(TO)]);
    return rows.map((row) => ({
      venue: VENUE, symbol: SYMBOL, timeframe: 'M1', openTime: row.open_time.getTime(), open: Number(row.open), high: Number(row.high), low: Number(row.low),
      close: Number(row.close), tickVolume: Number(row.tick_volume), ...(row.spread !== null ? { spreadPoints: row.spread } : {}),
    }));
  } finally {
    await pool.end();
  }
}

async function reportingTrades(databaseUrl: string): Promise<ReportingTradeRow[]> {
  const pool = createPgPool({ url: databaseUrl, poolMax: 1, applicationName: 'parity-e2e' });
  try {
    const { rows } = await pool.query<ReportingTradeRow>(
      `SELECT strategy_id, side, volume::text, entry_time, entry_price::text, exit_time, exit_price::text, exit_reason, net_profit::text
         FROM "${schema}".trades WHERE account = $1 ORDER BY entry_time, exit_time`, [account]);
    return rows;
  } finally {
    await pool.end();
  }
}

beforeAll(async () => {
  const started = performance.now();
  const env = testEnv();
  nats = await startNatsServer();
  client = await connectNats({ url: nats.url, name: 'parity-e2e' });
  schema = uniqueName('e2e_parity');
  account = schema.replaceAll('_', '-');
  await applyMigrations({ connectionString: env.databaseUrl, schema });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mt5-parity-'));
  const csv = path.join(tmp, `${SYMBOL}_M1.csv`);
  writeSlice(csv);
  const databaseUrl = `${env.databaseUrl}${env.databaseUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  const common: Record<string, string> = {
    NATS_URL: nats.url, DATABASE_URL: databaseUrl, REDIS_URL: env.redisUrl, REDIS_KEY_PREFIX: `${schema}:`, LOG_LEVEL: 'warn',
    ...demoServiceEnv({ live: false, account, catalogue: writeAlwaysOpenCatalogue(tmp) }, {}),
    ...parityServiceEnv(MAX_POSITIONS),
    BRIDGE_HOST: '127.0.0.1', BRIDGE_PORT: String(await freePort()), BRIDGE_SHARED_SECRET: 'parity-e2e-bridge-secret', TICK_SYMBOLS: SYMBOL, SIM_SYMBOLS: SYMBOL,
  };
  const imported = await runChild(process.execPath, [path.join(workspaceRoot, 'dist/apps/market-data/src/cli.js'), 'import', csv, '--symbol', SYMBOL, '--json'], {
    cwd: workspaceRoot, env: { PATH: process.env.PATH ?? '', ...common },
  });
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
  const names = ['reporting', 'risk-guard', 'execution', 'signal-engine', 'market-data', 'mt5-simulator'];
  const launched = await Promise.allSettled(names.map((name) => startService(name, { ...common, OTEL_SERVICE_NAME: name })));
  for (const result of launched) if (result.status === 'fulfilled') services.push(result.value);
  const failed = launched.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const signalEngine = services.find((service) => service.name === 'signal-engine')!;

  for (const strategy of STRATEGIES) {
    await ask(`${Subjects.command('signal-engine', 'strategies')}.upsert`, {
      id: strategy.id,
      config: {
        kind: strategy.kind, name: `parity test: ${strategy.kind}`, venue: VENUE, symbols: [SYMBOL], timeframe: 'M1', params: strategy.params,
        enabled: true, magic: strategy.magic, account: null, riskPerTradePct: String(strategy.riskPercent), maxOpenPositions: MAX_POSITIONS, maxVolume: null,
      },
    });
  }
  await waitFor(async () => {
    const health = await ask<{ connected: boolean; reconciling: boolean }>(Subjects.query('execution', 'bridge-health'), {});
    return health.connected && !health.reconciling;
  }, { timeoutMs: 60_000, intervalMs: 250, description: 'the simulator connected and reconciled' });
  await waitFor(async () => (await ask<{ snapshot: unknown }>(Subjects.query('risk-guard', 'state'), { account }).catch(() => ({ snapshot: null }))).snapshot !== null,
    { timeoutMs: 30_000, intervalMs: 250, description: 'risk-guard holds an account snapshot' });

  const catalogue = loadCatalogue(JSON.parse(readFileSync(catalogueV1Url, 'utf8')));
  if (!catalogue.ok) throw new Error(catalogue.problems.join('; '));
  const spec = catalogue.catalogue.instruments.find((instrument) => instrument.symbol === SYMBOL)!;
  backtests = runSimulatorPortfolio(await storedBars(databaseUrl), parityBacktestConfigs(spec, FROM, MAX_POSITIONS, STRATEGIES));

  const tracker = new OrderFlowTracker(client, account);
  const watch = new ExecutionWatch(client, account, VENUE, SYMBOL);
  tracker.start();
  watch.start();
  try {
    report = await drive(parityPlan(backtests, FROM, TO), FROM, TO, {
      nats: client, account, tracker, watch, replay, signalEnginePid: () => signalEngine.pid!, log: (line) => process.stderr.write(`${line}\n`),
    });
    await waitForDrain(client, { consumers: allConsumers(account), tracker, quietMs: 1_000, timeoutMs: 120_000 });
    flow = tracker.counts();
  } finally {
    tracker.stop();
    watch.stop();
  }
  const state = await ask<{ account: { balance: number }; positions: { side: string; volume: number; openTime: number; openPrice: number; magic: number }[] }>(Subjects.query('mt5-simulator', 'state'), {});
  simulatorBalance = state.account.balance;
  const byMagic = (magic: number) => STRATEGIES.find((strategy) => strategy.magic === magic)?.id ?? null;
  pipelineTrades = [
    ...(await reportingTrades(databaseUrl)).map((row) => fromReporting(row, DIGITS)),
    ...state.positions.map((position) => fromOpenPosition(position, byMagic(position.magic), DIGITS)),
  ];
  backtestTrades = backtests.flatMap((result) => result.trades.map((trade) => fromBacktest(trade, result.strategyId, DIGITS)));
  runSeconds = (performance.now() - started) / 1000;
  const denials = [...flow.denialsByCode].map(([code, count]) => `${code} ${count}`).join(', ') || 'none';
  process.stderr.write(
    `parity ${new Date(FROM).toISOString()} → ${new Date(TO).toISOString()}, ${STRATEGIES.map((strategy) => strategy.id).join(' + ')}, ${MAX_POSITIONS} positions per symbol: ` +
      `${backtestTrades.length} backtest trades, ${pipelineTrades.length} pipeline trades, ${flow.signals} signals (backtest ${signalCount()}), denials: ${denials}, rejected orders ${flow.ordersByState.get('REJECTED') ?? 0}, ` +
      `${report.segments} replay segments, ${report.holds} holds, ${runSeconds.toFixed(0)} s, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`,
  );
}, 900_000);

afterAll(async () => {
  await Promise.all(services.map((service) => service.stop()));
  await client?.nc.drain().catch(() => undefined);
  await nats?.stop();
  if (schema) await dropTestData(schema);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('parity of the pipeline through the simulator with the backtester (mt5-simulator fill model)', () => {
  it('makes the same trades, trade for trade: strategy, side, volume, entry and exit time and price, exit reason and net', () => {
    expect(backtestTrades.filter((trade) => trade.exitTime !== null).length).toBeGreaterThanOrEqual(10);
    const outcome = compareTrades(pipelineTrades, backtestTrades);
    expect(outcome.difference ?? `all ${outcome.matched} trades equal`).toBe(`all ${backtestTrades.length} trades equal`);
  });

  it('ends with the simulator’s balance equal to the backtest’s before it closes what is still open (whose entry commission is paid)', () => {
    const open = backtests.flatMap((result) => result.trades).filter((trade) => trade.exitReason === 'END');
    const expected = open.reduce((balance, trade) => balance - (trade.gross - trade.commission / 2), backtests[0]!.metrics.finalBalance);
    expect(simulatorBalance.toFixed(2)).toBe(expected.toFixed(2));
  });

  it('sees the backtest’s signals, and denies exactly those made while the symbol had its positions (RISK.MAX_POSITIONS), with no other denial or rejection than the backtest’s stops refusals', () => {
    const refusedStops = (flow.denialsByCode.get('RISK.INVALID_STOPS') ?? 0) + (flow.ordersByState.get('REJECTED') ?? 0);
    expect({
      signals: flow.signals, maxPositions: flow.denialsByCode.get('RISK.MAX_POSITIONS') ?? 0, refusedStops,
      otherDenials: [...flow.denialsByCode].filter(([code]) => code !== 'RISK.MAX_POSITIONS' && code !== 'RISK.INVALID_STOPS'),
      filled: flow.ordersByState.get('FILLED') ?? 0, unfinished: flow.unfinished, waitsTimedOut: report.waitsTimedOut,
    }).toEqual({
      signals: signalCount(), maxPositions: skippedCount('POSITION_OPEN'), refusedStops: skippedCount('INVALID_STOPS'), otherDenials: [],
      filled: backtestTrades.length, unfinished: 0, waitsTimedOut: [],
    });
  });
});
