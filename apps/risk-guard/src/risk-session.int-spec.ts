// One account through a scripted morning and the next broker day, through the running service:
// signals on the SIGNALS stream, manual intents and admin commands over request/reply, fills and
// account snapshots on EXEC_EVT, quotes in Redis. The decisions must match the table, and the
// same script with the service restarted at three points must give the same table (the state the
// decisions depend on lives in Postgres and Redis, not in the process).
import { afterAll, describe, expect, it } from '@jest/globals';
import { RiskGuardHarness, STRATEGY } from './test-support/risk-guard-harness.fixture.js';

const ACCOUNT = 'ACC-1';
/** 22:00 UTC, the broker-day boundary, in seconds after T0 (09:00 UTC). */
const NEXT_DAY = 13 * 3600;

// Quotes may be a minute old, snapshots a quarter hour; 3 orders in a burst, then one per 20 s.
const ENV = {
  STALE_QUOTE_SECONDS: '60', MAX_ACCOUNT_SNAPSHOT_AGE_SECONDS: '900', RATE_LIMIT_CAPACITY: '3', RATE_LIMIT_REFILL_PER_SECOND: '0.05',
  DAILY_LOSS_PERCENT: '5', MAX_DRAWDOWN_PERCENT: '20', LOSING_STREAK_MAX: '4', EXECUTION_FAILURE_THRESHOLD: '3', EXECUTION_BACKOFF_BASE_MS: '30000',
};

const admin = { id: 'alice', role: 'admin' };

type Step = { at: number; run: (h: RiskGuardHarness) => Promise<string | null> };

const intent = (intentId: string, fields: Record<string, string>) => async (h: RiskGuardHarness) => {
  const reply = await h.request('ctl', 'submit-intent', { intentId, account: ACCOUNT, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', requestedBy: 'bob', ...fields });
  if (!reply.ok) throw new Error(`${intentId}: ${reply.error.code} ${reply.error.message}`);
  return h.decisionLine(intentId);
};
const signal = (signalId: string, stopLoss?: string) => async (h: RiskGuardHarness) => {
  await h.signal(signalId, stopLoss ? { stopLoss } : {});
  return h.decisionLine(signalId);
};
const setActive = (reason: string) => async (h: RiskGuardHarness) => {
  const reply = await h.request('ctl', 'set-state', { account: ACCOUNT, state: 'ACTIVE', reason, actor: admin });
  return reply.ok ? 'set ACTIVE applied' : `set ACTIVE refused ${reply.error.code}: ${reply.error.message}`;
};
const clientOrderIdOf = async (h: RiskGuardHarness, signalId: string) =>
  (await h.pool.query<{ id: string }>('SELECT client_order_id AS id FROM risk_decisions WHERE signal_id = $1', [signalId])).rows[0]?.id ?? null;
const silent = (work: (h: RiskGuardHarness) => Promise<unknown>) => async (h: RiskGuardHarness) => {
  await work(h);
  return null;
};

const script: Step[] = [
  { at: 0, run: silent((h) => h.snapshot(10_000, 10_000)) },
  { at: 0, run: silent((h) => h.quote('EURUSD', 1.1, 1.1001)) },
  { at: 60, run: signal('S1') },
  // The same signal again (signal-engine republished it under a new envelope id): no new decision.
  { at: 61, run: silent((h) => h.signal('S1')) },
  { at: 62, run: silent(async (h) => h.deal({ positionId: '7001', side: 'BUY', entry: 'IN', volume: '0.5', price: '1.10010', clientOrderId: await clientOrderIdOf(h, 'S1') })) },
  { at: 120, run: silent((h) => h.quote('EURUSD', 1.1, 1.1004)) },
  { at: 121, run: signal('S2') },
  { at: 180, run: silent((h) => h.quote('EURUSD', 1.095, 1.0951)) },
  { at: 180, run: silent((h) => h.snapshot(10_000, 9_745, 550)) },
  { at: 181, run: intent('M1', { volume: '2.5', stopLoss: '1.09000' }) },
  { at: 182, run: intent('M2', { symbol: 'EURCHF', volume: '0.1' }) },
  { at: 183, run: intent('M3', { side: 'SELL', volume: '0.1' }) },
  { at: 184, run: intent('M4', { side: 'SELL', volume: '0.1', stopLoss: '1.09700' }) },
  { at: 240, run: silent((h) => h.deal({ positionId: '7001', side: 'SELL', entry: 'OUT', volume: '0.5', price: '1.09500', profit: '-255' })) },
  { at: 240, run: silent((h) => h.snapshot(9_745, 9_745)) },
  { at: 300, run: silent((h) => h.quote('EURUSD', 1.095, 1.0951)) },
  { at: 300, run: signal('S3', '1.09310') },
  { at: 301, run: silent(async (h) => h.deal({ positionId: '7002', side: 'BUY', entry: 'IN', volume: '0.48', price: '1.09510', clientOrderId: await clientOrderIdOf(h, 'S3') })) },
  { at: 600, run: silent((h) => h.quote('EURUSD', 1.09, 1.0901)) },
  { at: 600, run: silent((h) => h.snapshot(9_745, 9_509.8, 525.65)) },
  { at: 660, run: silent((h) => h.quote('EURUSD', 1.0898, 1.0899)) },
  { at: 660, run: silent((h) => h.snapshot(9_745, 9_490.6, 525.65)) },
  { at: 661, run: signal('S4', '1.08790') },
  {
    at: 662,
    run: async (h) => {
      const reply = await h.request('ctl', 'close-position', { intentId: 'C1', account: ACCOUNT, positionId: '7002', requestedBy: 'bob' });
      if (!reply.ok) throw new Error(`C1: ${reply.error.code} ${reply.error.message}`);
      return h.decisionLine('C1');
    },
  },
  { at: 663, run: silent((h) => h.deal({ positionId: '7002', side: 'SELL', entry: 'OUT', volume: '0.48', price: '1.08980', profit: '-254.4' })) },
  { at: 663, run: silent((h) => h.snapshot(9_490.6, 9_490.6)) },
  { at: 700, run: setActive('resume after review') },
  { at: NEXT_DAY - 1, run: silent((h) => h.runtime.clockTick.tick()) },
  { at: NEXT_DAY, run: silent((h) => h.runtime.clockTick.tick()) },
  { at: NEXT_DAY + 1, run: setActive('new broker day') },
  { at: NEXT_DAY + 60, run: silent((h) => h.quote('EURUSD', 1.09, 1.0901)) },
  { at: NEXT_DAY + 60, run: silent((h) => h.snapshot(9_490.6, 9_490.6)) },
  { at: NEXT_DAY + 61, run: signal('S5', '1.08810') },
  { at: NEXT_DAY + 62, run: silent((h) => h.executionFailure('x-1')) },
  { at: NEXT_DAY + 63, run: silent((h) => h.executionFailure('x-2')) },
  { at: NEXT_DAY + 64, run: silent((h) => h.executionFailure('x-3')) },
  { at: NEXT_DAY + 70, run: signal('S6', '1.08810') },
  { at: NEXT_DAY + 100, run: silent((h) => h.quote('EURUSD', 1.09, 1.0901)) },
  { at: NEXT_DAY + 100, run: signal('S7', '1.08810') },
];

/** Volumes: 1% of equity over a 200-point stop at 1 USD a point per lot (EURUSD, catalogue v1). */
const expected = [
  'S1 ALLOW 0.5', // 100 / 200
  'S2 RISK.SPREAD_TOO_WIDE: symbol=EURUSD, spread=40, max=30',
  'M1 RISK.MAX_LOTS_EXCEEDED: volume=2.5, max=2.0',
  'M2 RISK.UNKNOWN_INSTRUMENT: symbol=EURCHF',
  'M3 RISK.NO_STOP_LOSS: symbol=EURUSD',
  'M4 RISK.RATE_LIMITED: retryAfterMs=17000', // four tokens in 4 s from a bucket of 3 refilled to full
  'S3 ALLOW 0.48', // 97.45 / 200 = 0.487, rounded down
  'S4 RISK.TRADING_HALTED: by=breaker:DAILY_LOSS, since=2024-03-04T09:11:00.000Z', // -509.40 against a 500 limit
  'C1 ALLOW 0.48', // a close passes while halted
  'set ACTIVE refused OPS.CONFLICT: cannot move to ACTIVE: DAILY_LOSS holds it at HALTED; reset first',
  'set ACTIVE applied',
  'S5 ALLOW 0.47', // 94.906 / 200
  'S6 RISK.BREAKER_OPEN: breaker=EXECUTION_FAILURES, retryAt=2024-03-04T22:01:34.000Z',
  'S7 ALLOW 0.47', // the probe after the 30 s backoff
];

async function run(h: RiskGuardHarness, restartBefore: ReadonlySet<number> = new Set()): Promise<string[]> {
  const lines: string[] = [];
  for (const [index, step] of script.entries()) {
    if (restartBefore.has(index)) await h.restart();
    h.at(step.at);
    const line = await step.run(h);
    if (line !== null) lines.push(line);
  }
  return lines;
}

/** What went to execution: one command per allowed decision, in order. */
async function commands(h: RiskGuardHarness): Promise<string[]> {
  return (await h.messages('EXEC_CMD')).map((message) => `${message.subject} ${String(message.data.volume)}`);
}

const expectedCommands = [
  `exec.cmd.${ACCOUNT}.submit-order 0.5`, `exec.cmd.${ACCOUNT}.submit-order 0.48`, `exec.cmd.${ACCOUNT}.close-position 0.48`,
  `exec.cmd.${ACCOUNT}.submit-order 0.47`, `exec.cmd.${ACCOUNT}.submit-order 0.47`,
];

const harnesses: RiskGuardHarness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.tearDown();
});

describe('a scripted session through the risk-guard service', () => {
  it('decides every signal and intent as the table says and sends one command per allowed order', async () => {
    const h = new RiskGuardHarness({ account: ACCOUNT, env: ENV });
    harnesses.push(h);
    await h.setUp();
    expect(await run(h)).toEqual(expected);
    expect(await commands(h)).toEqual(expectedCommands);
    const first = (await h.messages('EXEC_CMD'))[0]?.data;
    const s1 = await h.pool.query<{ client_order_id: string }>("SELECT client_order_id FROM risk_decisions WHERE signal_id = 'S1'");
    expect(first).toMatchObject({
      clientOrderId: s1.rows[0]?.client_order_id, comment: s1.rows[0]?.client_order_id, magic: 1001, signalId: 'S1', strategyId: STRATEGY,
      side: 'BUY', orderType: 'MARKET', price: '1.10010', stopLoss: '1.09810', validUntil: '2024-03-04T09:01:30.000Z',
    });
    const denials = (await h.messages('RISK_EVT')).filter((message) => message.type === 'risk.order-denied');
    expect(denials.map((denial) => denial.data.code)).toEqual([
      'RISK.SPREAD_TOO_WIDE', 'RISK.MAX_LOTS_EXCEEDED', 'RISK.UNKNOWN_INSTRUMENT', 'RISK.NO_STOP_LOSS', 'RISK.RATE_LIMITED', 'RISK.TRADING_HALTED', 'RISK.BREAKER_OPEN',
    ]);
    const breakers = await h.request<{ breakers: { breaker: string; state: string; figures: Record<string, unknown> }[] }>('qry', 'breakers', { account: ACCOUNT });
    expect(breakers.ok && breakers.data.breakers.map((b) => `${b.breaker} ${b.state}`)).toEqual([
      'DAILY_LOSS CLOSED', 'MAX_DRAWDOWN CLOSED', 'LOSING_STREAK CLOSED', 'EXECUTION_FAILURES HALF_OPEN', 'KILL_SWITCH CLOSED',
    ]);
    expect(breakers.ok && breakers.data.breakers[0]?.figures).toMatchObject({ dayStartBalance: '9490.60', limit: '474.53', equity: '9490.60' });
  }, 120_000);

  it('gives the same decisions and commands when the service restarts in the middle, three times', async () => {
    const h = new RiskGuardHarness({ account: ACCOUNT, env: ENV });
    harnesses.push(h);
    await h.setUp();
    // Restarts: after the first fill, after the daily-loss trip, after the execution failures.
    const restartBefore = new Set([script.findIndex((s) => s.at === 120), script.findIndex((s) => s.at === 661), script.findIndex((s) => s.at === NEXT_DAY + 70)]);
    expect(restartBefore.has(-1)).toBe(false);
    expect(await run(h, restartBefore)).toEqual(expected);
    expect(await commands(h)).toEqual(expectedCommands);
  }, 120_000);
});
