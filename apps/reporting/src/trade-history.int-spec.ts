// A scripted session through real NATS (namespaced streams) and Postgres (own schema) into the
// trade history. The expected tables are worked out by hand from the deals in
// test-support/scripted-session.fixture.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Consumers, Streams } from '@mt5/contracts';
import { JetStreamConsumer, connectNats, ensureConsumer, ensureStream, publishEnvelope, subjectIn, type NatsHandles, type ProvisionOptions } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { testEnv, uniqueName, waitFor } from '@mt5/testing';
import type pg from 'pg';
import { pino } from 'pino';
import { executionEventHandler, executionEventSchema } from './adapters/messaging/history-handlers.js';
import { AccountHeartbeat } from './application/account-heartbeat/account-heartbeat.js';
import { HistoryRecorder } from './application/record-history/history-recorder.js';
import { SESSION_ACCOUNT, SESSION_MAGICS, resentPartialClose, scriptedSession } from './test-support/scripted-session.fixture.js';

const logger = pino({ level: 'silent' });
const spec = Consumers.reportingExecutionEvents;
let nats: NatsHandles;
let pool: pg.Pool;
let schema: string;
let provision: ProvisionOptions;
const handled = new Map<string, number>();
let recorder: HistoryRecorder;

/** Runs a consumer until every id in `ids` was handled `times` times. */
async function consume(ids: readonly string[], times: number, failOnce?: string): Promise<void> {
  const handle = executionEventHandler(recorder, logger);
  const consumer = new JetStreamConsumer({
    js: nats.js, spec, schema: executionEventSchema, provision, logger, backoffMs: () => 100,
    handle: async (envelope, context) => {
      await handle(envelope, context);
      handled.set(envelope.id, (handled.get(envelope.id) ?? 0) + 1);
      // The write committed, then the process "dies" before its ack: the server redelivers.
      if (envelope.id === failOnce && context.deliveryCount === 1) throw Object.assign(new Error('crash after commit'), { retryable: true });
    },
  });
  await consumer.start();
  try {
    await waitFor(() => ids.every((id) => (handled.get(id) ?? 0) >= times), { timeoutMs: 30_000, description: `every event handled ${times}x` });
  } finally {
    await consumer.stop();
  }
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await pool.query(sql)).rows;
}

const tradesSql = `SELECT position_id, close_deal_ticket, strategy_id, symbol, side, volume::float8 AS volume, entry_price::float8 AS entry,
  exit_price::float8 AS exit, gross_profit::text AS gross, commission::text AS commission, swap::text AS swap, net_profit::text AS net,
  pips::float8 AS pips, r_multiple::float8 AS r, duration_seconds, exit_reason, external FROM trades ORDER BY exit_time, close_deal_ticket`;
const dailySql = `SELECT day::text AS day, strategy_id, symbol, trades, wins, losses, net_profit::text AS net, commission::text AS commission,
  swap::text AS swap, volume::float8 AS volume, max_drawdown::text AS dd, start_equity::text AS start, end_equity::text AS end
  FROM daily_performance ORDER BY day, strategy_id, symbol`;

beforeAll(async () => {
  const env = testEnv();
  schema = uniqueName('rpt_history');
  await applyMigrations({ connectionString: env.databaseUrl, schema });
  pool = createPgPool({ url: env.databaseUrl, schema, poolMax: 3 });
  const tag = uniqueName('rh');
  provision = { namespace: { stream: `${tag.toUpperCase()}_`, subject: `${tag}.` } };
  nats = await connectNats({ url: env.natsUrl, name: 'reporting-history-test' });
  await ensureStream(nats.jsm, Streams.EXEC_EVT, provision);
  await ensureStream(nats.jsm, Streams.DLQ, provision);
  await ensureConsumer(nats.jsm, spec, provision);
  recorder = new HistoryRecorder(pool, { magicToStrategy: SESSION_MAGICS, symbolDigits: new Map() }, spec.durable);

  const session = scriptedSession();
  for (const { subject, envelope } of session) {
    await publishEnvelope(nats.js, subjectIn(subject, provision), envelope);
    if (envelope.id === 'deal-1003') {
      const again = resentPartialClose();
      await publishEnvelope(nats.js, subjectIn(again.subject, provision), again.envelope);
    }
  }
  const ids = [...session.map((e) => e.envelope.id), 'deal-1002-reconciled'];
  await consume(ids, 1, 'deal-1005');
}, 90_000);

afterAll(async () => {
  for (const stream of ['EXEC_EVT', 'DLQ']) await nats?.jsm.streams.delete(`${provision.namespace?.stream}${stream}`).catch(() => undefined);
  await nats?.nc.drain();
  await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool?.end();
});

describe('trade history from a scripted stream of execution events', () => {
  it('builds the round trips of the hand-computed table, partial closes as trades of their own', async () => {
    expect(await rows(tradesSql)).toEqual([
      // 1.00 EURUSD @1.08500: 0.40 out @1.08700 (+80, commission -1.40 - 0.4 × 3.50 = -2.80), R 77.20 / 80.
      { position_id: '500', close_deal_ticket: '1002', strategy_id: 'ma-cross', symbol: 'EURUSD', side: 'BUY', volume: 0.4, entry: 1.085, exit: 1.087, gross: '80.00000000', commission: '-2.80000000', swap: '0.00000000', net: '77.20000000', pips: 20, r: 0.965, duration_seconds: 3600, exit_reason: 'STRATEGY', external: false },
      // the other 0.60 by TP @1.08650 (+90, commission -2.10 - 2.10 = -4.20), R 85.80 / (0.002 × 90 / 0.0015).
      { position_id: '500', close_deal_ticket: '1003', strategy_id: 'ma-cross', symbol: 'EURUSD', side: 'BUY', volume: 0.6, entry: 1.085, exit: 1.0865, gross: '90.00000000', commission: '-4.20000000', swap: '0.00000000', net: '85.80000000', pips: 15, r: 0.715, duration_seconds: 9000, exit_reason: 'TP', external: false },
      // 0.50 GBPUSD short @1.27000 stopped @1.27200: -100 - 3.50 = -103.50, R -103.50 / 100.
      { position_id: '501', close_deal_ticket: '1005', strategy_id: 'donchian', symbol: 'GBPUSD', side: 'SELL', volume: 0.5, entry: 1.27, exit: 1.272, gross: '-100.00000000', commission: '-3.50000000', swap: '0.00000000', net: '-103.50000000', pips: -20, r: -1.035, duration_seconds: 7200, exit_reason: 'SL', external: false },
      // Manual 0.30 EURUSD short, no stop: -30 - 2.10 = -32.10, no R.
      { position_id: '503', close_deal_ticket: '1008', strategy_id: 'manual', symbol: 'EURUSD', side: 'SELL', volume: 0.3, entry: 1.09, exit: 1.091, gross: '-30.00000000', commission: '-2.10000000', swap: '0.00000000', net: '-32.10000000', pips: -10, r: null, duration_seconds: 7200, exit_reason: 'MANUAL', external: true },
      // 1.00 USDJPY overnight: 199.60 - 6.00 - 5.00 swap = 188.60; R 188.60 / (0.5 × 199.60 / 0.3) = 0.5669.
      { position_id: '502', close_deal_ticket: '1009', strategy_id: 'ma-cross', symbol: 'USDJPY', side: 'BUY', volume: 1, entry: 150, exit: 150.3, gross: '199.60000000', commission: '-6.00000000', swap: '-5.00000000', net: '188.60000000', pips: 30, r: 0.5669, duration_seconds: 90_000, exit_reason: 'STRATEGY', external: false },
      // 0.20 EURUSD closed at entry: -1.40 of commission; R 0 (its stop came in a late snapshot).
      { position_id: '504', close_deal_ticket: '1011', strategy_id: 'ma-cross', symbol: 'EURUSD', side: 'BUY', volume: 0.2, entry: 1.088, exit: 1.088, gross: '0.00000000', commission: '-1.40000000', swap: '0.00000000', net: '-1.40000000', pips: 0, r: 0, duration_seconds: 7200, exit_reason: 'STRATEGY', external: false },
    ]);
  });

  it('stores each deal once despite the re-sent partial close and the redelivered stop-loss fill', async () => {
    expect(handled.get('deal-1005')).toBe(2);
    expect(handled.get('deal-1002-reconciled')).toBe(1);
    expect((await nats.jsm.streams.info(`${provision.namespace?.stream}DLQ`)).state.messages).toBe(0);
    expect(await rows("SELECT count(*)::int AS n FROM deals")).toEqual([{ n: 11 }]);
    expect(await rows("SELECT status, volume::float8 AS volume, count(*)::int AS n FROM positions GROUP BY 1, 2")).toEqual([{ status: 'CLOSED', volume: 0, n: 5 }]);
  });

  it('rolls the days up per account, strategy, symbol and pair, with the equity figures of the account row', async () => {
    expect(await rows(dailySql)).toEqual([
      // Day 1: equity 10 000 → 9 996.50 → 9 846.50 (-153.50 from the 10 000 peak) → 10 195.10 → … → 10 059.50.
      { day: '2024-03-04', strategy_id: '', symbol: '', trades: 3, wins: 2, losses: 1, net: '59.50000000', commission: '-10.50000000', swap: '0.00000000', volume: 1.5, dd: '153.50000000', start: '10000.00000000', end: '10059.50000000' },
      { day: '2024-03-04', strategy_id: '', symbol: 'EURUSD', trades: 2, wins: 2, losses: 0, net: '163.00000000', commission: '-7.00000000', swap: '0.00000000', volume: 1, dd: '0.00000000', start: null, end: null },
      { day: '2024-03-04', strategy_id: '', symbol: 'GBPUSD', trades: 1, wins: 0, losses: 1, net: '-103.50000000', commission: '-3.50000000', swap: '0.00000000', volume: 0.5, dd: '103.50000000', start: null, end: null },
      { day: '2024-03-04', strategy_id: 'donchian', symbol: '', trades: 1, wins: 0, losses: 1, net: '-103.50000000', commission: '-3.50000000', swap: '0.00000000', volume: 0.5, dd: '103.50000000', start: null, end: null },
      { day: '2024-03-04', strategy_id: 'donchian', symbol: 'GBPUSD', trades: 1, wins: 0, losses: 1, net: '-103.50000000', commission: '-3.50000000', swap: '0.00000000', volume: 0.5, dd: '103.50000000', start: null, end: null },
      { day: '2024-03-04', strategy_id: 'ma-cross', symbol: '', trades: 2, wins: 2, losses: 0, net: '163.00000000', commission: '-7.00000000', swap: '0.00000000', volume: 1, dd: '0.00000000', start: null, end: null },
      { day: '2024-03-04', strategy_id: 'ma-cross', symbol: 'EURUSD', trades: 2, wins: 2, losses: 0, net: '163.00000000', commission: '-7.00000000', swap: '0.00000000', volume: 1, dd: '0.00000000', start: null, end: null },
      // Day 2: from the previous close 10 059.50 to a 10 105.45 peak and down to 10 044.40 (61.05).
      { day: '2024-03-05', strategy_id: '', symbol: '', trades: 1, wins: 0, losses: 1, net: '-32.10000000', commission: '-2.10000000', swap: '0.00000000', volume: 0.3, dd: '61.05000000', start: '10059.50000000', end: '10044.40000000' },
      { day: '2024-03-05', strategy_id: '', symbol: 'EURUSD', trades: 1, wins: 0, losses: 1, net: '-32.10000000', commission: '-2.10000000', swap: '0.00000000', volume: 0.3, dd: '32.10000000', start: null, end: null },
      { day: '2024-03-05', strategy_id: 'manual', symbol: '', trades: 1, wins: 0, losses: 1, net: '-32.10000000', commission: '-2.10000000', swap: '0.00000000', volume: 0.3, dd: '32.10000000', start: null, end: null },
      { day: '2024-03-05', strategy_id: 'manual', symbol: 'EURUSD', trades: 1, wins: 0, losses: 1, net: '-32.10000000', commission: '-2.10000000', swap: '0.00000000', volume: 0.3, dd: '32.10000000', start: null, end: null },
      // Day 3: USDJPY closed overnight (+188.60) then -1.40; equity peak 10 216 down to 10 214.60.
      { day: '2024-03-06', strategy_id: '', symbol: '', trades: 2, wins: 1, losses: 1, net: '187.20000000', commission: '-7.40000000', swap: '-5.00000000', volume: 1.2, dd: '1.40000000', start: '10044.40000000', end: '10214.60000000' },
      { day: '2024-03-06', strategy_id: '', symbol: 'EURUSD', trades: 1, wins: 0, losses: 1, net: '-1.40000000', commission: '-1.40000000', swap: '0.00000000', volume: 0.2, dd: '1.40000000', start: null, end: null },
      { day: '2024-03-06', strategy_id: '', symbol: 'USDJPY', trades: 1, wins: 1, losses: 0, net: '188.60000000', commission: '-6.00000000', swap: '-5.00000000', volume: 1, dd: '0.00000000', start: null, end: null },
      { day: '2024-03-06', strategy_id: 'ma-cross', symbol: '', trades: 2, wins: 1, losses: 1, net: '187.20000000', commission: '-7.40000000', swap: '-5.00000000', volume: 1.2, dd: '1.40000000', start: null, end: null },
      { day: '2024-03-06', strategy_id: 'ma-cross', symbol: 'EURUSD', trades: 1, wins: 0, losses: 1, net: '-1.40000000', commission: '-1.40000000', swap: '0.00000000', volume: 0.2, dd: '1.40000000', start: null, end: null },
      { day: '2024-03-06', strategy_id: 'ma-cross', symbol: 'USDJPY', trades: 1, wins: 1, losses: 0, net: '188.60000000', commission: '-6.00000000', swap: '-5.00000000', volume: 1, dd: '0.00000000', start: null, end: null },
    ]);
  });

  it('sums the trade net profits to the balance change of the account snapshots, to the cent', async () => {
    const [{ nets }] = await rows('SELECT sum(net_profit)::text AS nets FROM trades');
    const [{ change }] = await rows(`SELECT ((SELECT balance FROM account_snapshots ORDER BY time DESC LIMIT 1)
      - (SELECT balance FROM account_snapshots ORDER BY time LIMIT 1))::numeric(24,2)::text AS change`);
    expect(change).toBe('214.60');
    expect(Number(nets).toFixed(2)).toBe(change);
  });

  it('changes nothing when the whole stream is delivered again', async () => {
    const before = [await rows(tradesSql), await rows(dailySql), await rows('SELECT count(*)::int FROM deals'), await rows('SELECT count(*)::int FROM account_snapshots')];
    await nats.jsm.consumers.delete(`${provision.namespace?.stream}EXEC_EVT`, spec.durable);
    await ensureConsumer(nats.jsm, spec, provision);
    await consume([...handled.keys()], 2);
    expect([await rows(tradesSql), await rows(dailySql), await rows('SELECT count(*)::int FROM deals'), await rows('SELECT count(*)::int FROM account_snapshots')]).toEqual(before);
  });

  it('writes the last known account state again when no snapshot came for a minute, once no event is pending', async () => {
    let now = Date.parse('2024-03-06T12:00:30.000Z');
    let caughtUp = false;
    const heartbeat = new AccountHeartbeat(pool, { now: () => now }, 60, logger, async () => caughtUp);
    heartbeat.remember({ account: SESSION_ACCOUNT, currency: 'USD', balance: '10214.6', equity: '10214.6', margin: '0', freeMargin: '10214.6', marginLevel: null, openPositions: 0, time: '2024-03-06T12:00:00.000Z' });
    expect(await heartbeat.tick()).toBe(0);
    now = Date.parse('2024-03-06T12:01:00.000Z');
    // Events still pending: the state may be stale, nothing is written.
    expect(await heartbeat.tick()).toBe(0);
    caughtUp = true;
    expect(await heartbeat.tick()).toBe(1);
    expect(await heartbeat.tick()).toBe(0);
    expect(await rows("SELECT time, balance::text FROM account_snapshots WHERE time > '2024-03-06T12:00:00Z'")).toEqual([{ time: new Date(now), balance: '10214.60000000' }]);
  });
});
