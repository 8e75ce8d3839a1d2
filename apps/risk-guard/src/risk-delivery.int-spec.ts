// Delivery guarantees of the running service: a signal delivered twice produces one order
// command; a decision whose messages could not be published (a crash or a NATS stream outage
// between commit and publish) is published later, once; the order command travels in the
// signal's trace; the Redis token bucket is the domain's `tokenBucket`, and Redis down makes
// opening orders fail closed while closes pass.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { OrderRejectedMessage, SignalMessage, Streams } from '@mt5/contracts';
import { tokenBucket, type TokenBucketState } from '@mt5/domain/risk';
import { ensureStream } from '@mt5/infra/nats';
import { RedisService } from '@mt5/infra/redis';
import { startTelemetry, withSpan } from '@mt5/infra/telemetry';
import { waitFor } from '@mt5/testing';
import fc from 'fast-check';
import { RedisTokenBucketLimiter } from './adapters/redis/token-bucket.limiter.js';
import { RiskGuardHarness, STRATEGY } from './test-support/risk-guard-harness.fixture.js';

const ENV = { STALE_QUOTE_SECONDS: '60', MAX_ACCOUNT_SNAPSHOT_AGE_SECONDS: '3600', RATE_LIMIT_CAPACITY: '10' };
const traceId = (traceparent: string | undefined) => traceparent?.split('-')[1];

describe('delivery', () => {
  const h = new RiskGuardHarness({ account: 'DV-1', env: ENV });

  beforeAll(async () => {
    startTelemetry('risk-guard-delivery-test');
    await h.setUp();
    h.at(0);
    await h.snapshot(10_000, 10_000);
    await h.quote('EURUSD', 1.1, 1.1001);
  }, 60_000);
  afterAll(() => h.tearDown());

  it('turns a signal delivered twice into one decision and one order command, in the signal trace', async () => {
    h.at(10);
    const signal = {
      signalId: 'D1', strategyId: STRATEGY, strategyKind: 'sma-cross', symbol: 'EURUSD', venue: 'MT5', timeframe: 'M15' as const,
      barTime: h.clock.now().toISOString(), side: 'BUY' as const, strength: 1, reason: 'cross', price: '1.10000', stopLoss: '1.09810',
    };
    let signalTrace: string | undefined;
    await withSpan('signal-engine publish', { kind: 'producer' }, async (span) => {
      signalTrace = span.spanContext().traceId;
      await h.publish(SignalMessage, signal, 'sig-envelope-1');
    });
    await h.settled('SIGNALS');
    await h.publish(SignalMessage, signal, 'sig-envelope-1'); // same Nats-Msg-Id: JetStream drops it
    await h.publish(SignalMessage, signal, 'sig-envelope-2'); // same signal, new envelope: risk-guard drops it
    await h.settled('SIGNALS');
    const commands = await h.messages('EXEC_CMD');
    expect(commands.map((command) => [command.type, command.data.signalId, command.data.volume])).toEqual([['exec.submit-order', 'D1', '0.5']]);
    expect((await h.nats.jsm.streams.info(h.streamName('EXEC_CMD'))).state.messages).toBe(1);
    expect((await h.pool.query("SELECT count(*)::int AS n FROM risk_decisions WHERE signal_id = 'D1'")).rows[0].n).toBe(1);
    expect((await h.nats.jsm.streams.info(h.streamName('DLQ'))).state.messages).toBe(0);
    expect(traceId(commands[0]?.headers.traceparent)).toBe(signalTrace);
    const decision = (await h.messages('RISK_EVT')).find((message) => message.type === 'risk.decision' && message.data.signalId === 'D1');
    expect(traceId(decision?.headers.traceparent)).toBe(signalTrace);
    const row = (await h.pool.query("SELECT correlation_id FROM risk_decisions WHERE signal_id = 'D1'")).rows[0];
    expect(row.correlation_id).toBe('sig-envelope-1');
  });

  it('publishes a committed decision whose command could not be sent once the stream is back, exactly once', async () => {
    h.at(20);
    await h.nats.jsm.streams.delete(h.streamName('EXEC_CMD'));
    await h.signal('D2');
    expect(await h.decisionLine('D2')).toBe('D2 ALLOW 0.5');
    const pending = await h.pool.query("SELECT count(*)::int AS n FROM outbox WHERE subject LIKE 'exec.cmd.%' AND published_at IS NULL");
    expect(pending.rows[0].n).toBe(1);
    await ensureStream(h.nats.jsm, Streams.EXEC_CMD, h.provision);
    await h.signal('D2'); // the redelivered signal repairs it (the relay would too; both use the command's id)
    await waitFor(async () => (await h.pool.query("SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL")).rows[0].n === 0, { description: 'outbox drained' });
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // two relay passes: nothing more may arrive
    const commands = await h.messages('EXEC_CMD');
    expect(commands.map((command) => command.data.signalId)).toEqual(['D2']);
  });

  it('pages recent decisions newest first', async () => {
    type Page = { items: { signalId?: string; outcome: string; volume?: string }[]; nextCursor: string | null };
    const first = await h.request<Page>('qry', 'decisions', { account: 'DV-1', limit: 1 });
    expect(first.ok && first.data.items.map((item) => item.signalId)).toEqual(['D2']);
    const cursor = first.ok ? first.data.nextCursor : null;
    expect(cursor).toEqual(expect.any(String));
    const second = await h.request<Page>('qry', 'decisions', { account: 'DV-1', limit: 1, before: cursor });
    expect(second.ok && second.data).toEqual({ items: [expect.objectContaining({ signalId: 'D1', outcome: 'ALLOW', volume: '0.5' })], nextCursor: null });
    expect(await h.request('qry', 'decisions', { outcome: 'DENY' })).toEqual({ ok: true, data: { items: [], nextCursor: null } });
    expect(await h.request('qry', 'decisions', { before: 'not-a-cursor' })).toMatchObject({ ok: false, error: { code: 'OPS.INVALID_REQUEST' } });
  });

  it('answers execution\'s re-check of a waiting command with the current state', async () => {
    const clientOrderId = (await h.pool.query<{ id: string }>("SELECT client_order_id AS id FROM risk_decisions WHERE signal_id = 'D1'")).rows[0]?.id;
    const recheck = (id: string | undefined) => h.request('qry', 'recheck', { command: { clientOrderId: id, account: 'DV-1' }, waitedMs: 4_000, reason: 'waited for the bridge' });
    h.at(30);
    expect(await recheck(clientOrderId)).toEqual({ ok: true, data: { approved: true, reason: 'still allowed after waiting 4000 ms' } });
    const halt = await h.request('ctl', 'set-state', { account: 'DV-1', state: 'HALTED', reason: 'bridge flapping', actor: { id: 'carol', role: 'trader' } });
    expect(halt.ok).toBe(true);
    expect(await recheck(clientOrderId)).toEqual({
      ok: true, data: { approved: false, code: 'RISK.TRADING_HALTED', reason: 'RISK.TRADING_HALTED: by=carol, since=2024-03-04T09:00:30.000Z' },
    });
    expect(await recheck('rg-unknown')).toMatchObject({ ok: true, data: { approved: false, code: 'OPS.NOT_FOUND' } });
  });

  it('counts allowed orders not filled yet against the position limits, until their deal or rejection arrives', async () => {
    h.at(40);
    await h.snapshot(10_000, 10_000, 0, 'DV-2');
    await h.quote('EURUSD', 1.1, 1.1001);
    const open = async (intentId: string) => {
      const reply = await h.request<{ decision: { message: string; clientOrderId?: string } }>('ctl', 'submit-intent', {
        intentId, account: 'DV-2', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', stopLoss: '1.09810', requestedBy: 'bob',
      });
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.data.decision;
    };
    const first = await open('B1');
    const second = await open('B2');
    await open('B3');
    expect((await open('B4')).message).toBe('RISK.MAX_POSITIONS: symbol=EURUSD, open=3, max=3'); // three on their way, none filled
    await h.deal({ positionId: '8701', side: 'BUY', entry: 'IN', volume: '0.5', price: '1.10010', clientOrderId: first.clientOrderId ?? null }, 'DV-2');
    expect((await open('B5')).message).toBe('RISK.MAX_POSITIONS: symbol=EURUSD, open=3, max=3'); // one filled, two on their way
    await h.publish(OrderRejectedMessage, {
      account: 'DV-2', clientOrderId: second.clientOrderId ?? '', symbol: 'EURUSD', side: 'BUY', orderType: 'MARKET', time: h.clock.now().toISOString(),
      status: 'REJECTED', retcode: 10019, retcodeName: 'NO_MONEY', code: 'EXEC.VENUE_REJECTED', reason: 'no money',
    });
    await h.settled('EXEC_EVT');
    expect((await open('B6')).message).toBe('ALLOW: BUY 0.5 EURUSD at 1.10010');
  });

  it('sends an operator\'s cancel of an order it allowed even on a halted account, once per intent id', async () => {
    const clientOrderId = (await h.pool.query<{ id: string }>("SELECT client_order_id AS id FROM risk_decisions WHERE signal_id = 'D1'")).rows[0]?.id;
    const cancel = (intentId: string, id: string | undefined) => h.request('ctl', 'cancel-order', { intentId, account: 'DV-1', clientOrderId: id, requestedBy: 'bob', reason: 'changed my mind' });
    const state = await h.request<{ tradingState: { state: string } }>('qry', 'state', { account: 'DV-1' });
    expect(state.ok && state.data.tradingState.state).toBe('HALTED');
    expect(await cancel('X1', clientOrderId)).toMatchObject({ ok: true, data: { account: 'DV-1', clientOrderId, intentId: 'X1' } });
    expect(await cancel('X1', clientOrderId)).toMatchObject({ ok: true });
    const cancels = (await h.messages('EXEC_CMD')).filter((message) => message.type === 'exec.cancel-order');
    expect(cancels.map((message) => [message.subject, message.data.clientOrderId, message.data.reason])).toEqual([['exec.cmd.DV-1.cancel-order', clientOrderId, 'changed my mind']]);
    expect(await cancel('X2', 'rg-not-ours')).toMatchObject({ ok: false, error: { code: 'OPS.NOT_FOUND' } });
  });

  it('gives back the rate-limit token it took ahead for a signal that was decided before', async () => {
    h.at(20);
    const tokens = async () => Number(await h.redis.hget('risk:ratelimit:DV-1', 'tokens'));
    await h.signal('D9');
    const after = await tokens();
    // Decided again at the same instant (no refill in between): taken ahead of the lock, then given back.
    await h.signal('D9', {}, 'sig-envelope-d9-again');
    await waitFor(async () => (await tokens()) === after, { description: 'the token given back' });
    expect((await h.pool.query("SELECT count(*)::int AS n FROM risk_decisions WHERE signal_id = 'D9'")).rows[0].n).toBe(1);
  });

});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

describe('a private Redis', () => {
  let port: number;
  let redis: ChildProcess;
  let h: RiskGuardHarness;

  beforeAll(async () => {
    port = await freePort();
    redis = startRedis(port);
    h = new RiskGuardHarness({ account: 'RD-1', env: ENV, redisUrl: `redis://127.0.0.1:${port}` });
    await waitFor(() => canConnect(port), { description: 'private redis-server listening' });
    await h.setUp();
  }, 60_000);
  afterAll(async () => {
    await h.tearDown();
    redis.kill('SIGKILL');
  });

  it('runs the token bucket exactly as the domain specification says', async () => {
    const limiter = new RedisTokenBucketLimiter(h.redis, { capacity: 3, refillPerSecond: 0.7 });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ dt: fc.integer({ min: -2_000, max: 6_000 }), cost: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 12 }), async (steps) => {
        const account = `spec-${run++}`;
        let state: TokenBucketState | null = null;
        let now = 1_700_000_000_000;
        for (const step of steps) {
          now += step.dt;
          const expected = tokenBucket(state, now, step.cost, 3, 0.7);
          state = expected.state;
          const [allowed, tokens, retryAfterMs] = await limiter.takeRaw(account, now, step.cost);
          expect([allowed === 1, retryAfterMs]).toEqual([expected.allowed, expected.retryAfterMs]);
          expect(Number(tokens)).toBeCloseTo(expected.tokens, 9);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('gives a token back into an existing bucket, never above its capacity, and creates no bucket', async () => {
    const limiter = new RedisTokenBucketLimiter(h.redis, { capacity: 3, refillPerSecond: 0.7 });
    const now = 1_700_000_000_000;
    expect((await limiter.takeRaw('refund-1', now, 2))[1]).toBe('1');
    expect(await limiter.refundRaw('refund-1')).toBe('2');
    expect(await limiter.refundRaw('refund-1')).toBe('3');
    expect(await limiter.refundRaw('refund-1')).toBe('3');
    expect(await limiter.refundRaw('refund-none')).toBeNull();
    expect(await h.redis.exists('risk:ratelimit:refund-none')).toBe(0);
  });

  it('denies opening orders while Redis is down, with the reason, and lets closes through', async () => {
    h.at(0);
    await h.snapshot(10_000, 10_000);
    await h.quote('EURUSD', 1.1, 1.1001);
    await h.signal('R1');
    expect(await h.decisionLine('R1')).toBe('R1 ALLOW 0.5');
    await h.deal({ positionId: '8601', side: 'BUY', entry: 'IN', volume: '0.5', price: '1.10010' });
    redis.kill('SIGKILL');
    const service = h.app.get(RedisService).client;
    await waitFor(() => service.status !== 'ready', { description: 'service sees Redis down' });
    h.at(5);
    await h.signal('R2');
    expect(await h.decisionLine('R2')).toBe('R2 RISK.RATE_LIMITED: limiter=unavailable, retryAfterMs=1000');
    const manual = await h.request('ctl', 'submit-intent', { intentId: 'R3', account: 'RD-1', symbol: 'EURUSD', side: 'SELL', orderType: 'MARKET', volume: '0.1', stopLoss: '1.10300', requestedBy: 'bob' });
    expect(manual.ok && (manual.data as { decision: { message: string } }).decision.message).toBe('RISK.RATE_LIMITED: limiter=unavailable, retryAfterMs=1000');
    const close = await h.request('ctl', 'close-position', { intentId: 'R4', account: 'RD-1', positionId: '8601', requestedBy: 'bob' });
    expect(close.ok && (close.data as { decision: { outcome: string; volume: string } }).decision).toMatchObject({ outcome: 'ALLOW', volume: '0.5' });
    const commands = await h.messages('EXEC_CMD');
    expect(commands.map((command) => command.type)).toEqual(['exec.submit-order', 'exec.close-position']);
    redis = startRedis(port);
    await waitFor(() => service.status === 'ready', { timeoutMs: 10_000, description: 'service reconnected to Redis' });
    await h.quote('EURUSD', 1.1, 1.1001);
    await h.signal('R5');
    expect(await h.decisionLine('R5')).toBe('R5 ALLOW 0.5');
  });
});

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
