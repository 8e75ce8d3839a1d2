// The reporting module as it runs (Nest, its durable consumers, its queries) against real NATS
// and Postgres, fed the scripted session; then the HTML report opened in headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BreakerChangedMessage, Consumers, Streams, Subjects, TradingStateChangedMessage, createMessage } from '@mt5/contracts';
import { connectNats, ensureStream, publishEnvelope, requestQuery, subjectIn, type NatsHandles, type ProvisionOptions, type QueryReply } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { testEnv, uniqueName, waitFor } from '@mt5/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type pg from 'pg';
import { pino } from 'pino';
import { runReportCommand } from './cli.js';
import { loadServiceConfig } from './config.js';
import { ReportingModule } from './reporting.module.js';
import { SESSION_ACCOUNT, scriptedSession } from './test-support/scripted-session.fixture.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
let app: INestApplicationContext;
let nats: NatsHandles;
let pool: pg.Pool;
let schema: string;
let provision: ProvisionOptions;
let databaseUrl: string;
let workDir: string;
let riskRowsWrittenByReporting: string;

type Reply = QueryReply<Record<string, unknown>>;
const query = (name: string, body: unknown) => requestQuery<Record<string, unknown>>(nats.nc, subjectIn(Subjects.query('reporting', name), provision), body, 15_000) as Promise<Reply>;
const data = (reply: Reply) => {
  if (!reply.ok) throw new Error(`query failed: ${reply.error.code} ${reply.error.message}`);
  return reply.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const HALTED_AT = '2024-03-05T16:05:00.000Z';
/** After the session's last event: the heartbeat (60 s) never finds an account due. */
const NOW = Date.parse('2024-03-06T12:00:30.000Z');

function riskEvents() {
  const state = { account: SESSION_ACCOUNT, from: 'ACTIVE', to: 'HALTED', by: 'breaker:DAILY_LOSS', reason: 'daily loss limit reached', time: HALTED_AT } as const;
  const breaker = { account: SESSION_ACCOUNT, breaker: 'DAILY_LOSS', state: 'OPEN', previousState: 'CLOSED', figures: { dailyLoss: '-35.1', limit: '30' }, reason: 'daily loss 35.10 over 30', time: HALTED_AT } as const;
  return [
    { subject: TradingStateChangedMessage.subject(state), envelope: createMessage(TradingStateChangedMessage, { id: 'state-1', tsEvent: HALTED_AT, tsInit: HALTED_AT, data: state }) },
    { subject: BreakerChangedMessage.subject(breaker), envelope: createMessage(BreakerChangedMessage, { id: 'breaker-1', tsEvent: HALTED_AT, tsInit: HALTED_AT, data: { ...breaker, figures: { ...breaker.figures } } }) },
  ];
}

beforeAll(async () => {
  const env = testEnv();
  schema = uniqueName('rpt_service');
  await applyMigrations({ connectionString: env.databaseUrl, schema });
  const url = new URL(env.databaseUrl);
  url.searchParams.set('schema', schema);
  databaseUrl = url.toString();
  pool = createPgPool({ url: databaseUrl, poolMax: 2 });
  const tag = uniqueName('rs');
  provision = { namespace: { stream: `${tag.toUpperCase()}_`, subject: `${tag}.` } };
  const config = loadServiceConfig({ NATS_URL: env.natsUrl, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', REPORTING_STRATEGY_MAGICS: '770001=ma-cross,770002=donchian' });
  const logger = pino({ level: 'silent' });
  // The whole session is in the streams before the service starts, as after a restart: the
  // heartbeat must wait for the backlog (its clock is already past the last event).
  nats = await connectNats({ url: env.natsUrl, name: 'reporting-service-test' });
  for (const stream of [Streams.EXEC_EVT, Streams.RISK_EVT]) await ensureStream(nats.jsm, stream, provision);
  for (const { subject, envelope } of scriptedSession()) await publishEnvelope(nats.js, subjectIn(subject, provision), envelope);
  for (const { subject, envelope } of riskEvents()) await publishEnvelope(nats.js, subjectIn(subject, provision), envelope);
  app = await NestFactory.createApplicationContext(ReportingModule.forRoot(config, logger, { provision, clock: { now: () => NOW } }) as never, { logger: false });
  await waitFor(async () => {
    const { rows } = await pool.query(`SELECT count(*)::int AS trades FROM trades WHERE r_multiple IS NOT NULL OR position_id = '503'`);
    const risk = await nats.jsm.consumers.info(`${provision.namespace?.stream}RISK_EVT`, Consumers.reportingRiskEvents.durable);
    return rows[0].trades === 6 && risk.delivered.consumer_seq >= 2 && risk.num_pending === 0 && risk.num_ack_pending === 0;
  }, { timeoutMs: 30_000, description: 'session recorded and risk events acknowledged' });
  riskRowsWrittenByReporting = (await pool.query('SELECT (SELECT count(*) FROM breaker_events) + (SELECT count(*) FROM trading_state_events) AS n')).rows[0].n;
  // risk-guard records its own events; the report reads them.
  await pool.query(`INSERT INTO trading_state_events (account, from_state, to_state, reason, changed_by, occurred_at) VALUES ($1, 'ACTIVE', 'HALTED', 'daily loss limit reached', 'breaker:DAILY_LOSS', $2)`, [SESSION_ACCOUNT, HALTED_AT]);
  await pool.query(`INSERT INTO breaker_events (account, kind, from_state, to_state, reason, context, occurred_at) VALUES ($1, 'DAILY_LOSS', 'CLOSED', 'OPEN', 'daily loss 35.10 over 30', '{}', $2)`, [SESSION_ACCOUNT, HALTED_AT]);
  workDir = await mkdtemp(path.join(tmpdir(), 'rpt-report-'));
}, 90_000);

afterAll(async () => {
  await app?.close();
  for (const stream of ['EXEC_EVT', 'RISK_EVT', 'DLQ']) await nats?.jsm.streams.delete(`${provision.namespace?.stream}${stream}`).catch(() => undefined);
  await nats?.nc.drain();
  await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool?.end();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('reporting queries over NATS', () => {
  it('pages trades newest first with a cursor and filters by strategy', async () => {
    const first = data(await query('trades', { account: SESSION_ACCOUNT, strategy: 'ma-cross', limit: 2 }));
    expect(first.items.map((t: { closeDealTicket: string }) => t.closeDealTicket)).toEqual(['1011', '1009']);
    expect(first.items[1]).toMatchObject({ netProfit: '188.6', swap: '-5', rMultiple: 0.5669, entryTime: '2024-03-05T08:00:00.000Z', exitTime: '2024-03-06T09:00:00.000Z' });
    const second = data(await query('trades', { account: SESSION_ACCOUNT, strategy: 'ma-cross', limit: 2, cursor: first.nextCursor }));
    expect(second.items.map((t: { closeDealTicket: string }) => t.closeDealTicket)).toEqual(['1003', '1002']);
    expect(second.nextCursor).toBeNull();
    const day = data(await query('trades', { account: SESSION_ACCOUNT, from: '2024-03-05T00:00:00.000Z', to: '2024-03-06T00:00:00.000Z' }));
    expect(day.items.map((t: { closeDealTicket: string }) => t.closeDealTicket)).toEqual(['1008']);
  });

  it('acknowledges risk events without writing risk-guard\'s tables, and parks nothing', async () => {
    expect(riskRowsWrittenByReporting).toBe('0');
    expect((await nats.jsm.streams.info(`${provision.namespace?.stream}DLQ`)).state.messages).toBe(0);
  });

  it('answers bad requests with stable codes', async () => {
    expect(await query('trades', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'MSG.SCHEMA_VIOLATION', retryable: false } });
    expect(await query('trades', { cursor: 'bm90LWEtY3Vyc29y' })).toMatchObject({ ok: false, error: { code: 'RPT.INVALID_CURSOR' } });
    expect(await query('snapshots', { account: SESSION_ACCOUNT, from: '2024-03-06T00:00:00.000Z', to: '2024-03-05T00:00:00.000Z' })).toMatchObject({ ok: false, error: { code: 'MSG.SCHEMA_VIOLATION' } });
  });

  it('lists positions and account snapshots over a range', async () => {
    const positions = data(await query('positions', { account: SESSION_ACCOUNT, status: 'ALL' }));
    expect(positions.items.map((p: { positionId: string; status: string }) => `${p.positionId}:${p.status}`).sort()).toEqual(['500:CLOSED', '501:CLOSED', '502:CLOSED', '503:CLOSED', '504:CLOSED']);
    expect(positions.items.find((p: { positionId: string }) => p.positionId === '502')).toMatchObject({ initialStopLoss: '149.5', strategyId: 'ma-cross', volume: '0' });
    const snapshots = data(await query('snapshots', { account: SESSION_ACCOUNT, from: '2024-03-04T00:00:00.000Z', to: '2024-03-05T00:00:00.000Z' }));
    expect(snapshots.items.map((s: { equity: string }) => s.equity)).toEqual(['10000', '9996.5', '9846.5', '10195.1', '10163', '10161.25', '10059.5']);
    // The heartbeat never stamped a half-replayed state with the current time.
    const all = data(await query('snapshots', { account: SESSION_ACCOUNT }));
    expect(all.items).toHaveLength(13);
  });

  it('serves performance with breakdowns and daily rows that carry the largest win and loss and the end balance', async () => {
    const performance = data(await query('performance', { account: SESSION_ACCOUNT }));
    expect(performance.summary).toMatchObject({ trades: 6, wins: 3, losses: 3, netProfit: '214.6', longestWinningStreak: 2, longestLosingStreak: 2 });
    expect(performance.equitySource).toBe('account-snapshots');
    // Account equity falls 10 000 → 9 846.50 (153.50, 1.535 %, back above at 10:00) and later 10 195.10 → 10 044.40
    // (150.70, 1.478 %): the first is the deepest in money and in percent.
    expect(performance.maxDrawdown.money).toMatchObject({ money: 153.5, peakTime: '2024-03-04T08:00:00.000Z', troughTime: '2024-03-04T09:30:00.000Z', recoveryTime: '2024-03-04T10:00:00.000Z' });
    expect(performance.breakdowns.strategy.map((r: { key: string; netProfit: string }) => [r.key, r.netProfit])).toEqual([['donchian', '-103.5'], ['ma-cross', '350.2'], ['manual', '-32.1']]);
    expect(performance.daily.map((d: Record<string, unknown>) => [d.day, d.netProfit, d.largestWin, d.largestLoss, d.endBalance, d.endEquity])).toEqual([
      ['2024-03-04', '59.5', '85.8', '-103.5', '10059.5', '10059.5'],
      ['2024-03-05', '-32.1', null, '-32.1', '10024.4', '10044.4'],
      ['2024-03-06', '187.2', '188.6', '-1.4', '10214.6', '10214.6'],
    ]);
  });

  it('writes the same assessment text each time it is asked', async () => {
    const first = data(await query('assessment', { account: SESSION_ACCOUNT, strategy: 'ma-cross' }));
    const second = data(await query('assessment', { account: SESSION_ACCOUNT, strategy: 'ma-cross' }));
    expect(second.text).toBe(first.text);
    expect(first.text.startsWith('Assessment of account A1, strategy ma-cross, 2024-03-04 to 2024-03-06')).toBe(true);
    expect(first.findings.map((f: { code: string }) => f.code)).toContain('SMALL_SAMPLE');
  });
});

describe('the HTML report', () => {
  it('is served over NATS as one self-contained page', async () => {
    const report = data(await query('report', { account: SESSION_ACCOUNT }));
    expect(report.contentType).toBe('text/html; charset=utf-8');
    expect(report.html).toContain('<svg xmlns="http://www.w3.org/2000/svg" id="equity-curve"');
    expect(report.html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('is written by the CLI and opens in headless Chromium with its equity curve, charts and tables', async () => {
    const out = path.join(workDir, 'reports', 'a1.html');
    const lines: string[] = [];
    const code = await runReportCommand(['report', '--account', SESSION_ACCOUNT, '--out', out], { DATABASE_URL: databaseUrl }, { stdout: (t) => lines.push(t), stderr: (t) => lines.push(t), now: () => NOW });
    expect({ code, lines }).toEqual({ code: 0, lines: [expect.stringContaining(out)] });
    expect((await readFile(out, 'utf8')).length).toBeGreaterThan(10_000);
    const { stdout: dom } = await run(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      `--user-data-dir=${path.join(workDir, 'chromium-profile')}`, '--dump-dom', `file://${out}`], { timeout: 90_000, maxBuffer: 32 * 1024 * 1024 });
    expect(dom).toMatch(/<svg[^>]*id="equity-curve"[^>]*>[\s\S]*?<path class="series" d="M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){10,}"/);
    for (const id of ['drawdown-chart', 'weekday-chart', 'hour-chart']) expect(dom).toContain(`id="${id}"`);
    for (const id of ['summary-table', 'monthly-returns', 'by-strategy', 'by-symbol', 'by-weekday', 'by-hour', 'by-day', 'daily-performance', 'trades-table', 'risk-events']) {
      expect(dom).toMatch(new RegExp(`<table id="${id}">`));
    }
    const tradeRows = dom.match(/<table id="trades-table">[\s\S]*?<\/table>/)?.[0].match(/<tr>/g) ?? [];
    expect(tradeRows).toHaveLength(7); // header + 6 trades
    expect(dom).toContain('daily loss limit reached');
    expect(dom).toContain('data-code="NO_STOP_LOSS"');
  }, 120_000);

  it('refuses a CLI call without an account or an output file, naming both', async () => {
    const errors: string[] = [];
    const code = await runReportCommand(['report', '--from', 'yesterday'], {}, { stdout: () => undefined, stderr: (t) => errors.push(t), now: () => 0 });
    expect(code).toBe(2);
    expect(errors.join('')).toContain('--from "yesterday" is not a date\n--account is required\n--out is required');
  });
});
