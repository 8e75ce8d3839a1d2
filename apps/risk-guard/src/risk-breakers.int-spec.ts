// Each breaker through the running service: it trips at its threshold (and not a cent before),
// blocks opening orders, lets closes through, and resets only by its own rule or by an admin,
// never by a trader. The pure reducers are unit-tested in libs/domain; this checks the wiring:
// execution events in, denials and events out, state in Postgres across a restart.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OrderAcceptedMessage } from '@mt5/contracts';
import { RiskGuardHarness, STRATEGY } from './test-support/risk-guard-harness.fixture.js';

const HOUR = 3600;
const DAY = 24 * HOUR;
const ENV = {
  DAILY_LOSS_PERCENT: '5', DAILY_LOSS_AMOUNT: '200', MAX_DRAWDOWN_PERCENT: '3', LOSING_STREAK_MAX: '2', LOSING_STREAK_COOLDOWN_MINUTES: '60',
  EXECUTION_FAILURE_THRESHOLD: '3', EXECUTION_BACKOFF_BASE_MS: '30000', STALE_QUOTE_SECONDS: '3600', MAX_ACCOUNT_SNAPSHOT_AGE_SECONDS: '86400',
  RATE_LIMIT_CAPACITY: '100', RATE_LIMIT_REFILL_PER_SECOND: '10', MAX_OPEN_POSITIONS_PER_SYMBOL: '10',
};
const admin = { id: 'alice', role: 'admin' };
const trader = { id: 'carol', role: 'trader' };

const h = new RiskGuardHarness({ account: 'LS-1', env: ENV });
let sequence = 0;

beforeAll(async () => {
  await h.setUp();
  await h.pool.query(
    `INSERT INTO strategy_configs (id, kind, name, venue, timeframe, enabled, magic, account, risk_per_trade_pct) VALUES ('other-eurusd', 'donchian', 'other', 'MT5', 'H1', true, 1002, 'LS-1', 1)`,
  );
}, 60_000);
afterAll(() => h.tearDown());

/** Sets the clock and a fresh 1-pip EURUSD quote: `at(day, seconds)`. */
async function at(day: number, seconds = 0): Promise<void> {
  h.at(day * DAY + seconds);
  await h.quote('EURUSD', 1.1, 1.1001);
}

/** A sized manual buy (stop 200 points under the ask): its decision line. */
async function open(account: string): Promise<string> {
  const intentId = `m-${account}-${++sequence}`;
  const reply = await h.request('ctl', 'submit-intent', { intentId, account, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', stopLoss: '1.09810', requestedBy: 'bob' });
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return (await h.decisionLine(intentId)).slice(intentId.length + 1);
}

async function close(account: string, positionId: string): Promise<string> {
  const intentId = `c-${account}-${++sequence}`;
  const reply = await h.request('ctl', 'close-position', { intentId, account, positionId, requestedBy: 'bob' });
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return (await h.decisionLine(intentId)).slice(intentId.length + 1);
}

async function command(name: string, body: Record<string, unknown>): Promise<string> {
  const reply = await h.request<{ tradingState: { state: string } }>('ctl', name, body);
  return reply.ok ? `applied, ${reply.data.tradingState.state}` : `${reply.error.code}: ${reply.error.message}`;
}

async function breaker(account: string, kind: string): Promise<{ state: string; figures: Record<string, unknown> }> {
  const reply = await h.request<{ breakers: { breaker: string; state: string; figures: Record<string, unknown> }[] }>('qry', 'breakers', { account });
  if (!reply.ok) throw new Error(reply.error.message);
  const found = reply.data.breakers.find((candidate) => candidate.breaker === kind);
  if (!found) throw new Error(`no ${kind}`);
  return found;
}

async function tradingState(account: string): Promise<string> {
  const reply = await h.request<{ tradingState: { state: string; by: string } }>('qry', 'state', { account });
  if (!reply.ok) throw new Error(reply.error.message);
  return `${reply.data.tradingState.state} by ${reply.data.tradingState.by}`;
}

const openPosition = (account: string, positionId: string, magic = 0) =>
  h.deal({ positionId, side: 'BUY', entry: 'IN', volume: '0.1', price: '1.10010', magic }, account);

describe('the daily loss breaker', () => {
  it('trips at the loss limit and not before, halts opening orders and lets closes through', async () => {
    await at(0);
    await h.snapshot(10_000, 10_000, 0, 'DL-1');
    await openPosition('DL-1', '8001');
    await h.snapshot(10_000, 9_800.01, 0, 'DL-1');
    expect(await open('DL-1')).toBe('ALLOW 0.49'); // 1% of 9 800.01 over 200 points
    await at(0, 60);
    await h.snapshot(10_000, 9_800, 0, 'DL-1');
    expect(await breaker('DL-1', 'DAILY_LOSS')).toMatchObject({
      state: 'OPEN', figures: { dailyPnl: '-200.00', limit: '200.00', trippedAt: '2024-03-04T09:01:00.000Z' },
    });
    expect(await tradingState('DL-1')).toBe('HALTED by breaker:DAILY_LOSS');
    expect(await open('DL-1')).toBe('RISK.TRADING_HALTED: by=breaker:DAILY_LOSS, since=2024-03-04T09:01:00.000Z');
    expect(await close('DL-1', '8001')).toBe('ALLOW 0.1');
    const events = (await h.messages('RISK_EVT')).filter((message) => message.data.account === 'DL-1' && message.type !== 'risk.decision' && message.type !== 'risk.order-denied');
    expect(events.map((event) => `${event.type} ${String(event.data.to ?? event.data.state)}`)).toEqual(['risk.breaker.changed OPEN', 'risk.trading-state.changed HALTED']);
    expect(events[0]?.data.figures).toMatchObject({ dailyPnl: '-200', limit: '200', dayStartBalance: '10000' });
  });

  it('resets on the next broker day (the state stays halted until an admin moves it), or earlier by an admin reset', async () => {
    expect(await command('reset-breaker', { account: 'DL-1', breaker: 'DAILY_LOSS', reason: 'seen', actor: trader })).toBe('OPS.FORBIDDEN: only an admin may reset the DAILY_LOSS breaker');
    expect(await command('reset-breaker', { account: 'DL-1', breaker: 'DAILY_LOSS', reason: ' ', actor: admin })).toMatch(/^OPS\.INVALID_REQUEST: reason: a reason is required/);
    await at(0, 13 * HOUR - 1);
    await h.runtime.clockTick.tick();
    expect((await breaker('DL-1', 'DAILY_LOSS')).state).toBe('OPEN');
    await at(0, 13 * HOUR);
    await h.runtime.clockTick.tick();
    expect((await breaker('DL-1', 'DAILY_LOSS')).state).toBe('CLOSED');
    expect(await open('DL-1')).toBe('RISK.TRADING_HALTED: by=breaker:DAILY_LOSS, since=2024-03-04T09:01:00.000Z');
    expect(await command('set-state', { account: 'DL-1', state: 'ACTIVE', reason: 'new day', actor: trader })).toBe('OPS.FORBIDDEN: only an admin may move the trading state from HALTED to ACTIVE');
    expect(await command('set-state', { account: 'DL-1', state: 'ACTIVE', reason: 'new day', actor: admin })).toBe('applied, ACTIVE');
    expect(await open('DL-1')).toBe('ALLOW 0.49');
    // The new day measures from the last balance (10 000): equity 9 800 trips it again at once.
    await at(0, 13 * HOUR + 60);
    await h.snapshot(10_000, 9_800, 0, 'DL-1');
    expect((await breaker('DL-1', 'DAILY_LOSS')).state).toBe('OPEN');
    expect(await command('reset-breaker', { account: 'DL-1', breaker: 'DAILY_LOSS', reason: 'deposit pending, checked', actor: admin })).toBe('applied, HALTED');
    expect(await breaker('DL-1', 'DAILY_LOSS')).toMatchObject({ state: 'CLOSED', figures: { dayStartBalance: '9800.00' } });
    expect(await command('set-state', { account: 'DL-1', state: 'ACTIVE', reason: 'reset reviewed', actor: admin })).toBe('applied, ACTIVE');
    expect(await open('DL-1')).toBe('ALLOW 0.49');
  });
});

describe('the max drawdown breaker', () => {
  it('trips at the limit below the equity peak and not before, survives the next day, and resets only by an admin', async () => {
    await at(1);
    await h.snapshot(10_000, 10_000, 0, 'DD-1');
    await openPosition('DD-1', '8201');
    await h.snapshot(10_000, 10_500, 0, 'DD-1');
    await h.snapshot(10_000, 10_185.01, 0, 'DD-1');
    expect(await open('DD-1')).toBe('ALLOW 0.5');
    await h.snapshot(10_000, 10_185, 0, 'DD-1'); // exactly 3 % under the 10 500 peak
    expect(await breaker('DD-1', 'MAX_DRAWDOWN')).toMatchObject({ state: 'OPEN', figures: { peakEquity: '10500.00', drawdownPercent: '3.00', limitPercent: '3.00' } });
    expect(await open('DD-1')).toMatch(/^RISK\.TRADING_HALTED: by=breaker:MAX_DRAWDOWN/);
    expect(await close('DD-1', '8201')).toBe('ALLOW 0.1');
    await at(1, 13 * HOUR);
    await h.runtime.clockTick.tick();
    expect((await breaker('DD-1', 'MAX_DRAWDOWN')).state).toBe('OPEN');
    expect(await command('set-state', { account: 'DD-1', state: 'ACTIVE', reason: 'try', actor: admin })).toBe('OPS.CONFLICT: cannot move to ACTIVE: MAX_DRAWDOWN holds it at HALTED; reset first');
    expect(await command('reset-breaker', { account: 'DD-1', breaker: 'MAX_DRAWDOWN', reason: 'strategy reviewed', actor: admin })).toBe('applied, HALTED');
    expect(await breaker('DD-1', 'MAX_DRAWDOWN')).toMatchObject({ state: 'CLOSED', figures: { peakEquity: '10185.00' } });
    expect(await command('set-state', { account: 'DD-1', state: 'ACTIVE', reason: 'strategy reviewed', actor: admin })).toBe('applied, ACTIVE');
    expect(await open('DD-1')).toBe('ALLOW 0.5');
    const peak = await h.pool.query<{ peak: string }>(`SELECT equity_peak::float8::text AS peak FROM risk_states WHERE account = 'DD-1'`);
    expect(peak.rows[0]?.peak).toBe('10185');
  });
});

describe('the losing streak breaker', () => {
  async function losingTrade(signalId: string, positionId: string): Promise<void> {
    await h.signal(signalId);
    const cid = (await h.pool.query<{ id: string }>('SELECT client_order_id AS id FROM risk_decisions WHERE signal_id = $1', [signalId])).rows[0]?.id;
    await h.deal({ positionId, side: 'BUY', entry: 'IN', volume: '0.1', price: '1.10010', clientOrderId: cid ?? null });
    await h.deal({ positionId, side: 'SELL', entry: 'OUT', volume: '0.1', price: '1.09960', profit: '-50' });
  }

  it('blocks the strategy after its losing streak until the cool-down ends, while other strategies and closes pass', async () => {
    await at(2);
    await h.snapshot(10_000, 10_000);
    await losingTrade('L1', '8301');
    await openPosition('LS-1', '8303', 1001);
    await losingTrade('L2', '8302');
    const streak = await breaker('LS-1', 'LOSING_STREAK');
    expect(streak).toMatchObject({ state: 'OPEN', figures: { strategies: [{ strategyId: STRATEGY, consecutiveLosses: 0, blockedUntil: '2024-03-06T10:00:00.000Z' }] } });
    await h.signal('L3');
    expect(await h.decisionLine('L3')).toBe(`L3 RISK.BREAKER_OPEN: breaker=LOSING_STREAK, strategy=${STRATEGY}, until=2024-03-06T10:00:00.000Z`);
    await h.signal('O1', { strategyId: 'other-eurusd' });
    expect(await h.decisionLine('O1')).toBe('O1 ALLOW 0.5');
    expect(await close('LS-1', '8303')).toBe('ALLOW 0.1');
    const event = (await h.messages('RISK_EVT')).find((message) => message.type === 'risk.breaker.changed' && message.data.breaker === 'LOSING_STREAK');
    expect(event?.data.reason).toBe(`strategy ${STRATEGY}: 2 losing trades in a row (last -50.00); blocked until 2024-03-06T10:00:00.000Z`);
    await at(2, HOUR - 1);
    await h.signal('L4');
    expect(await h.decisionLine('L4')).toMatch(/^L4 RISK\.BREAKER_OPEN/);
    await at(2, HOUR);
    await h.signal('L5');
    expect(await h.decisionLine('L5')).toBe('L5 ALLOW 0.5');
  });

  it('is released early by an admin, never by a trader', async () => {
    await at(2, 2 * HOUR);
    await h.snapshot(10_000, 10_000);
    await losingTrade('L6', '8306');
    await losingTrade('L7', '8307');
    expect((await breaker('LS-1', 'LOSING_STREAK')).state).toBe('OPEN');
    expect(await command('reset-breaker', { account: 'LS-1', breaker: 'LOSING_STREAK', strategyId: STRATEGY, reason: 'reviewed', actor: trader })).toMatch(/^OPS\.FORBIDDEN/);
    expect(await command('reset-breaker', { account: 'LS-1', breaker: 'LOSING_STREAK', strategyId: STRATEGY, reason: 'reviewed', actor: admin })).toBe('applied, ACTIVE');
    expect((await breaker('LS-1', 'LOSING_STREAK')).state).toBe('CLOSED');
    await h.signal('L8');
    expect(await h.decisionLine('L8')).toBe('L8 ALLOW 0.5');
  });
});

describe('the execution failures breaker', () => {
  const success = (clientOrderId: string) => h.publish(OrderAcceptedMessage, {
    account: 'EX-1', clientOrderId, symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', time: h.clock.now().toISOString(), status: 'ACCEPTED', orderTicket: '1',
  }).then(() => h.settled('EXEC_EVT'));

  it('opens after consecutive transport failures, probes after the backoff, doubles it on a failed probe, closes on success or by an admin', async () => {
    await at(3);
    await h.snapshot(10_000, 10_000, 0, 'EX-1');
    await openPosition('EX-1', '8401');
    await success('ok-1');
    await h.executionFailure('f-1', 'EX-1');
    await h.executionFailure('f-2', 'EX-1');
    expect(await open('EX-1')).toBe('ALLOW 0.5');
    await h.executionFailure('f-3', 'EX-1');
    expect(await breaker('EX-1', 'EXECUTION_FAILURES')).toMatchObject({
      state: 'OPEN', figures: { consecutiveFailures: 3, failureThreshold: 3, healthScore: 25, retryAt: '2024-03-07T09:00:30.000Z' },
    });
    expect(await open('EX-1')).toBe('RISK.BREAKER_OPEN: breaker=EXECUTION_FAILURES, retryAt=2024-03-07T09:00:30.000Z');
    expect(await close('EX-1', '8401')).toBe('ALLOW 0.1');
    expect(await tradingState('EX-1')).toBe('ACTIVE by init');
    await at(3, 30);
    expect(await open('EX-1')).toBe('ALLOW 0.5'); // the probe
    expect((await breaker('EX-1', 'EXECUTION_FAILURES')).state).toBe('HALF_OPEN');
    await h.executionFailure('f-4', 'EX-1');
    expect(await open('EX-1')).toBe('RISK.BREAKER_OPEN: breaker=EXECUTION_FAILURES, retryAt=2024-03-07T09:01:30.000Z');
    await at(3, 90);
    expect(await open('EX-1')).toBe('ALLOW 0.5');
    await success('ok-2');
    expect((await breaker('EX-1', 'EXECUTION_FAILURES')).state).toBe('CLOSED');
    for (const id of ['f-5', 'f-6', 'f-7']) await h.executionFailure(id, 'EX-1');
    expect((await breaker('EX-1', 'EXECUTION_FAILURES')).state).toBe('OPEN');
    expect(await command('reset-breaker', { account: 'EX-1', breaker: 'EXECUTION_FAILURES', reason: 'bridge restarted', actor: admin })).toBe('applied, ACTIVE');
    expect(await open('EX-1')).toBe('ALLOW 0.5');
  });
});

describe('the kill switch', () => {
  it('halts the account and sends flatten-all; the halt survives a restart; only an admin releases it; closes still pass', async () => {
    await at(3, 2 * HOUR);
    await h.snapshot(10_000, 10_000, 0, 'KS-1');
    await openPosition('KS-1', '8501');
    expect(await command('kill-switch', { account: 'KS-1', reason: 'x', actor: { id: 'victor', role: 'viewer' } })).toBe('OPS.FORBIDDEN: a viewer may not risk.kill-switch');
    expect(await command('kill-switch', { account: 'KS-1', actor: trader })).toMatch(/^OPS\.INVALID_REQUEST: reason:/);
    expect(await command('kill-switch', { account: 'KS-1', reason: 'runaway strategy', actor: trader })).toBe('applied, HALTED');
    const flatten = (await h.messages('EXEC_CMD')).filter((message) => message.type === 'exec.flatten-all');
    expect(flatten.map((message) => [message.subject, message.data.requestedBy, message.data.reason, message.data.includeExternal])).toEqual([
      ['exec.cmd.KS-1.flatten-all', 'carol', 'runaway strategy', false],
    ]);
    await h.restart();
    expect((await breaker('KS-1', 'KILL_SWITCH')).state).toBe('OPEN');
    expect(await open('KS-1')).toBe('RISK.TRADING_HALTED: by=carol, since=2024-03-07T11:00:00.000Z');
    expect(await close('KS-1', '8501')).toBe('ALLOW 0.1');
    expect(await command('set-state', { account: 'KS-1', state: 'ACTIVE', reason: 'all clear', actor: admin })).toBe('OPS.CONFLICT: cannot move to ACTIVE: KILL_SWITCH holds it at HALTED; reset first');
    expect(await command('reset-breaker', { account: 'KS-1', breaker: 'KILL_SWITCH', reason: 'all clear', actor: trader })).toMatch(/^OPS\.FORBIDDEN/);
    expect(await command('reset-breaker', { account: 'KS-1', breaker: 'KILL_SWITCH', reason: 'all clear', actor: admin })).toBe('applied, HALTED');
    expect(await command('set-state', { account: 'KS-1', state: 'ACTIVE', reason: 'all clear', actor: admin })).toBe('applied, ACTIVE');
    expect(await open('KS-1')).toBe('ALLOW 0.5');
    const audit = await h.pool.query<{ actor: string; action: string; result: string }>(`SELECT actor, action, result FROM audit_log WHERE params->>'account' = 'KS-1' ORDER BY id`);
    expect(audit.rows.map((row) => `${row.actor} ${row.action} ${row.result}`)).toEqual([
      'victor risk.kill-switch denied: OPS.FORBIDDEN', 'carol risk.kill-switch ok', 'alice risk.set-state denied: OPS.CONFLICT',
      'carol risk.reset-breaker denied: OPS.FORBIDDEN', 'alice risk.reset-breaker ok', 'alice risk.set-state ok',
    ]);
    const state = await h.pool.query<{ to_state: string; changed_by: string; reason: string }>(`SELECT to_state, changed_by, reason FROM trading_state_events WHERE account = 'KS-1' ORDER BY id`);
    expect(state.rows.map((row) => `${row.to_state} ${row.changed_by} ${row.reason}`)).toEqual(['HALTED carol runaway strategy', 'ACTIVE alice all clear']);
  }, 60_000);
});
