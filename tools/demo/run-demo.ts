// The run command's orchestration (`npm start` → tools/run.sh → node dist/tools/demo/run-demo.js).
// Starts the stack with the demo's settings, imports the history, enables the default strategies,
// replays the history through market-data, waits for the pipeline to drain and prints a summary.
// run.sh keeps the platform running afterwards until Ctrl-C. See docs/demo.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Subjects } from '@mt5/contracts';
import { connectNats, type NatsHandles } from '@mt5/infra/nats';
import { parseDemoOptions, USAGE, type DemoOptions } from './demo-options.js';
import { demoServiceEnv, servicesWithOtherSettings, writeAlwaysOpenCatalogue } from './demo-settings.js';
import { duration, renderSummary } from './demo-summary.js';
import { findSymbolFiles, importHistory } from './history-import.js';
import { ensureAdminKey, writeHtmlReport } from './local-access.js';
import { describeTradingState, readTradingState, resumeTrading } from './trading-state.js';
import { OrderFlowTracker } from './pipeline-watch.js';
import { PlatformClient, type Performance } from './platform-client.js';
import { planReplay } from './replay-plan.js';
import { ReplayDriver } from './replay-driver.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const out = (line = '') => process.stdout.write(`${line}\n`);
const step = (title: string) => out(`\n━━ ${title}`);
const warn = (line: string) => process.stderr.write(`! ${line}\n`);

interface Context {
  readonly options: DemoOptions;
  readonly env: NodeJS.ProcessEnv;
  readonly dataRoot: string;
  readonly gatewayUrl: string;
  readonly abort: AbortController;
  adminKey?: { readonly key?: string; readonly file?: string; readonly error?: string };
}

/** Resolves the data folder; without one, says how to import history and falls back to live mode. */
function resolveMode(options: DemoOptions): { live: boolean; dataDir?: string } | { error: string } {
  if (options.live) return { live: true };
  const shared = path.resolve(root, '../shared/data/market');
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : existsSync(shared) ? shared : undefined;
  if (options.dataDir && !existsSync(dataDir!)) return { error: `--data ${options.dataDir}: no such folder` };
  if (dataDir) return { live: false, dataDir };
  warn('no market data folder: --data was not given and ../shared/data/market does not exist.');
  warn('To trade history: in the MT5 terminal open View → Symbols → Bars, export EURUSD, GBPUSD and USDJPY M1 bars');
  warn('as CSV files named like EURUSD_M1.csv into one folder, then run: npm start -- --data <folder>');
  warn('(or import them yourself: node dist/apps/market-data/src/cli.js import <folder>). Going on in live mode.');
  return { live: true };
}

function startStack(ctx: Context, live: boolean): void {
  const catalogue = writeAlwaysOpenCatalogue(ctx.dataRoot);
  const settings = demoServiceEnv({ live, account: ctx.options.account, catalogue }, process.env);
  Object.assign(ctx.env, settings);
  const runDir = process.env.MT5_RUN_DIR ?? path.join(root, '.run');
  const differing = servicesWithOtherSettings(runDir, settings);
  if (differing.length > 0 && !ctx.options.keepServices) {
    for (const { service, difference } of differing) out(`  ${service} runs with ${difference}: restarting it`);
    spawnSync('bash', ['tools/stack.sh', 'down', ...differing.map((d) => d.service)], { cwd: root, env: ctx.env, stdio: 'inherit' });
  } else if (differing.length > 0) {
    for (const { service, difference } of differing) warn(`${service} runs with ${difference}; left as it is (--keep-services)`);
  }
  step(`starting the local stack and every service (bash tools/stack.sh up all; simulator feed ${settings.SIM_FEED})`);
  const up = spawnSync('bash', ['tools/stack.sh', 'up', 'all'], { cwd: root, env: ctx.env, stdio: 'inherit' });
  if (up.status !== 0) throw new Error(`bash tools/stack.sh up all failed (exit ${up.status ?? up.signal}); logs: bash tools/stack.sh logs <service>`);
}

async function importAndSeed(ctx: Context, client: PlatformClient, dataDir: string | undefined): Promise<void> {
  if (dataDir && !ctx.options.skipImport) {
    step(`importing M1 history from ${dataDir} (market-data CLI)`);
    const { found, missing } = findSymbolFiles(dataDir, ctx.options.symbols);
    if (missing.length > 0) warn(`no <SYMBOL>_M1*.csv file for ${missing.join(', ')} in ${dataDir}: using what is stored for them, if anything`);
    for (const line of await importHistory({ root, env: ctx.env, files: found })) out(line);
  }
  step('enabling the default strategy set (sig.ctl.seed-defaults)');
  const seeded = await client.seedDefaultStrategies();
  for (const strategy of await client.strategies()) {
    const state = strategy.status.state === 'invalid' ? `invalid: ${strategy.status.problems?.join('; ')}` : strategy.status.state;
    out(`  ${strategy.id.padEnd(20)} ${strategy.kind.padEnd(14)} ${strategy.symbols.join(',')} ${strategy.timeframe}  ${state}${seeded.created.includes(strategy.id) ? ' (created)' : seeded.enabled.includes(strategy.id) ? ' (enabled now)' : ''}`);
  }
}

/** The admin key first (the resume goes through the gateway), then the account's trading state. */
async function checkTradingState(ctx: Context, client: PlatformClient): Promise<void> {
  ctx.adminKey = await ensureAdminKey({ root, dataDir: ctx.dataRoot, gatewayUrl: ctx.gatewayUrl, env: ctx.env, now: new Date() })
    .then((key) => ({ key: key.key, file: key.file }), (error: Error) => ({ error: error.message }));
  const view = await readTradingState(client, ctx.options.account);
  out(`  trading state of ${ctx.options.account}: ${describeTradingState(view)}`);
  if (!view || (view.state === 'ACTIVE' && view.breakersOpen.length === 0)) return;
  if (ctx.options.resumeTrading && ctx.adminKey.key) {
    for (const line of await resumeTrading({ gatewayUrl: ctx.gatewayUrl, key: ctx.adminKey.key, account: ctx.options.account, view })) out(`  ${line}`);
    out(`  trading state now: ${describeTradingState(await readTradingState(client, ctx.options.account))}`);
  } else {
    warn(`${ctx.options.account} is not trading freely: opening orders will be denied (RISK.TRADING_HALTED) or held back by breakers.`);
    warn('Breakers halt an account on purpose (an earlier run\'s losses, say); only an admin resumes it, with a reason.');
    warn('Resume for this run: npm start -- --resume-trading   (or PUT /api/v1/risk/state on the gateway with the admin key)');
  }
}

/** Newest bar each symbol's running strategies have evaluated (the replay continues after it). */
async function processedUpTo(client: PlatformClient): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (const strategy of await client.strategies()) {
    for (const entry of strategy.status.symbols ?? []) {
      if (!entry.lastProcessedBarTime) continue;
      const time = Date.parse(entry.lastProcessedBarTime);
      result.set(entry.symbol, Math.max(result.get(entry.symbol) ?? time, time));
    }
  }
  return result;
}

async function replayAndSummarise(ctx: Context, nats: NatsHandles, client: PlatformClient): Promise<number> {
  const { options } = ctx;
  const coverage = (await client.coverage(options.symbols)).map((row) => ({ symbol: row.symbol, first: Date.parse(row.first), last: Date.parse(row.last), bars: row.bars }));
  const plan = planReplay({ symbols: options.symbols, coverage, processedUpTo: await processedUpTo(client), from: options.from, to: options.to, limitDays: options.limitDays });
  step(`replaying through market-data at full speed (pace ${options.pace})`);
  for (const note of plan.notes) out(`  ${note}`);
  if (plan.jobs.length === 0) {
    out('  nothing to replay. Another range: npm start -- --from <date> --to <date>; from scratch (deletes the project\'s data): bash tools/stack.sh reset');
    await printAccess(ctx);
    return 0;
  }
  await checkTradingState(ctx, client);
  const tracker = new OrderFlowTracker(nats, options.account);
  tracker.start();
  const strategies = (await client.strategies()).filter((s) => s.enabled && s.status.state === 'running');
  const driver = new ReplayDriver({
    client, nats, tracker, account: options.account, sink: process.stderr, log: out, signal: ctx.abort.signal,
    tag: `run${Date.now().toString(36)}`, verbose: options.verbose,
  });
  const replay = await driver.run(plan.jobs, options.pace, strategies);
  tracker.stop();
  if (replay.cancelled) {
    out('\ninterrupted: the replay was cancelled.');
    return 130;
  }
  step('summary');
  const from = Math.min(...plan.jobs.map((job) => job.from));
  const to = Math.max(...plan.jobs.map((job) => job.to));
  let performance: Performance | undefined;
  let performanceError: string | undefined;
  try {
    performance = await client.performance(options.account, from, to);
  } catch (error) {
    performanceError = (error as Error).message;
  }
  const broker = await client.ask<{ account: { balance: number; equity: number }; positions: unknown[] }>(Subjects.query('mt5-simulator', 'state'))
    .then((state) => ({ positions: state.positions.length, balance: state.account.balance, equity: state.account.equity, currency: ctx.env.SIM_CURRENCY ?? 'USD' }))
    .catch(() => undefined);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const report = await writeHtmlReport({ root, env: ctx.env, account: options.account, from, to, out: `reports/demo-${options.account}-${stamp}.html` })
    .then((file) => ({ path: file }), (error: Error) => ({ error: error.message }));
  const tradingState = describeTradingState(await readTradingState(client, options.account).catch(() => undefined));
  const lines = renderSummary({
    account: options.account, pace: options.pace, jobs: plan.jobs, replay, flow: tracker.counts(), performance, performanceError, broker, report,
    gatewayUrl: ctx.gatewayUrl, adminKey: ctx.adminKey ?? { error: 'not asked for' }, storedBars: coverage.reduce((sum, row) => sum + row.bars, 0), tradingState,
  });
  for (const line of lines) out(line);
  return 0;
}

async function printAccess(ctx: Context): Promise<void> {
  ctx.adminKey ??= await ensureAdminKey({ root, dataDir: ctx.dataRoot, gatewayUrl: ctx.gatewayUrl, env: ctx.env, now: new Date() })
    .then((key) => ({ key: key.key, file: key.file }), (error: Error) => ({ error: error.message }));
  out(`  ops gateway     ${ctx.gatewayUrl}  (REST /api/v1, OpenAPI ${ctx.gatewayUrl}/docs)`);
  out(ctx.adminKey.key ? `  admin API key   ${ctx.adminKey.key}  (kept in ${ctx.adminKey.file})` : `  admin API key   none: ${ctx.adminKey.error}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseDemoOptions(argv, process.env);
  if (!parsed.ok) {
    if (parsed.help) {
      out(USAGE);
      return 0;
    }
    process.stderr.write(`${parsed.problems.join('\n')}\n\n${USAGE}\n`);
    return 2;
  }
  const started = performance.now();
  const options = parsed.options;
  const mode = resolveMode(options);
  if ('error' in mode) {
    process.stderr.write(`${mode.error}\n`);
    return 2;
  }
  const gatewayPort = process.env.OPS_GATEWAY_HTTP_PORT ?? '3000';
  const ctx: Context = {
    options, env: { ...process.env }, dataRoot: process.env.MT5_DATA_DIR ?? path.join(root, '.data'), gatewayUrl: `http://127.0.0.1:${gatewayPort}`, abort: new AbortController(),
  };
  process.on('SIGINT', () => {
    if (ctx.abort.signal.aborted) process.exit(130);
    warn('stopping the replay (Ctrl-C again to quit at once)');
    ctx.abort.abort();
  });
  startStack(ctx, mode.live);
  const nats = await connectNats({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'run-command' });
  try {
    const client = new PlatformClient(nats, process.env.MD_VENUE ?? 'MT5');
    await importAndSeed(ctx, client, mode.dataDir);
    if (mode.live) {
      step('live mode: the simulator\'s random walk drives the system (no replay)');
      out('  quotes → execution → md.tick → market-data M1 bars → strategies → risk-guard → orders on the simulator');
      out('  note: live bars are stored after the history and the strategies move on to them; a later history replay');
      out('  then has nothing left to evaluate (start over with: bash tools/stack.sh reset, which deletes the project\'s data)');
      await printAccess(ctx);
      return 0;
    }
    const code = await replayAndSummarise(ctx, nats, client);
    out(`\n  run command finished in ${duration(performance.now() - started)}`);
    return code;
  } finally {
    await nats.nc.drain().catch(() => undefined);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`✗ ${(error as Error).message}\n`);
  process.exitCode = 1;
}
