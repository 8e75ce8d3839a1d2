// The gateway end to end over HTTP: real NATS, Postgres and Redis; risk-guard and signal-engine
// answered by the stand-ins in testing/stand-in-services.fixture.ts (execution, market-data and
// reporting are not running here, which the 503 tests rely on).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serveQuery, subjectIn } from '@mt5/infra/nats';
import { Subjects } from '@mt5/contracts';
import { waitFor } from '@mt5/testing';
import { pino } from 'pino';
import { RateLimitRedis } from './security/rate-limit-redis.js';
import { startGateway, type GatewayHarness } from './testing/gateway-harness.fixture.js';

let gw: GatewayHarness;
const order = (overrides: Record<string, unknown> = {}) => ({ symbol: 'EURUSD', side: 'BUY', volume: '0.10', stopLoss: '1.05000', ...overrides });
const auditRows = async (action: string) =>
  (await gw.pool.query('SELECT actor, role, action, params, result, trace_id FROM audit_log WHERE action = $1 ORDER BY id', [action])).rows;

beforeAll(async () => {
  gw = await startGateway({ OPS_RATE_ORDER_PER_KEY: '10', OPS_RATE_ORDER_PER_IP: '1000', OPS_QUERY_TIMEOUT_MS: '1500' });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('access', () => {
  it('refuses a request without a key, or with a key it does not know, with 401', async () => {
    const missing = await gw.request('GET', '/api/v1/risk/state', { key: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ code: 'OPS.UNAUTHENTICATED', retryable: false });
    const unknown = await gw.request('GET', '/api/v1/risk/state', { key: `mt5_${'A'.repeat(43)}` });
    expect(unknown.status).toBe(401);
  });

  it('lets a viewer read health, risk state, breakers, strategies, streams and cache statistics', async () => {
    for (const path of ['/api/v1/health', '/api/v1/risk/state', '/api/v1/risk/breakers', '/api/v1/strategies', '/api/v1/streams', '/api/v1/cache']) {
      const answer = await gw.request('GET', path, { key: gw.keys.viewer });
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
    }
    const state = await gw.request('GET', '/api/v1/risk/state');
    expect(state.body).toMatchObject({ account: 'paper-1', tradingState: { state: 'HALTED' } });
  });

  it('refuses a viewer every mutation with 403, and writes each refusal to the audit log', async () => {
    const document = (await gw.request('GET', '/docs-json', { key: null })).body as { paths: Record<string, Record<string, unknown>> };
    const mutations = Object.entries(document.paths).filter(([path]) => path.startsWith('/api/v1'))
      .flatMap(([path, operations]) => Object.keys(operations).filter((method) => method !== 'get').map((method) => ({ method: method.toUpperCase(), path })));
    expect(mutations.map(({ method, path }) => `${method} ${path}`).sort()).toEqual([
      'DELETE /api/v1/orders/{clientOrderId}', 'POST /api/v1/cache/invalidate', 'POST /api/v1/orders', 'POST /api/v1/positions/{positionId}/close',
      'POST /api/v1/risk/breakers/{breaker}/reset', 'POST /api/v1/risk/kill-switch', 'POST /api/v1/strategies/{id}/disable',
      'POST /api/v1/strategies/{id}/enable', 'PUT /api/v1/risk/state', 'PUT /api/v1/strategies/{id}/params',
    ]);
    const values: Record<string, string> = { id: 'ma-cross-eurusd', breaker: 'DAILY_LOSS', clientOrderId: 'c1', positionId: '123' };
    for (const { method, path } of mutations) {
      const answer = await gw.request(method, path.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!), { key: gw.keys.viewer, body: {} });
      expect({ method, path, status: answer.status, code: answer.body.error?.code }).toEqual({ method, path, status: 403, code: 'OPS.FORBIDDEN' });
    }
    const { rows } = await gw.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE actor = $1 AND result = 'denied: OPS.FORBIDDEN'", [gw.names.viewer]);
    expect(rows[0].n).toBe(mutations.length);
    expect(gw.riskGuard.intents).toHaveLength(0);
  });

  it('answers an unknown route under /api with a JSON 404', async () => {
    const answer = await gw.request('GET', '/api/v1/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('OPS.NOT_FOUND');
  });
});

describe('orders', () => {
  it('an operator places a manual order and gets the risk decision back, with the audit row', async () => {
    const answer = await gw.request('POST', '/api/v1/orders', { key: gw.keys.operator, body: order() });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ duplicate: false, decision: { outcome: 'ALLOW', source: 'MANUAL', volume: '0.10', intent: { symbol: 'EURUSD', account: 'paper-1' } } });
    expect(answer.body.decision.intentId).toBe(answer.body.intentId);
    expect(gw.riskGuard.intents.at(-1)).toMatchObject({ intentId: answer.body.intentId, requestedBy: gw.names.operator, volume: '0.10', stopLoss: '1.05000' });
    const rows = await auditRows('api.orders.place');
    expect(rows.at(-1)).toMatchObject({ actor: gw.names.operator, role: 'operator', result: 'ok: ALLOW', params: { body: order() } });
    expect(rows.at(-1)!.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('passes a denial back with its code, and decides an intent id only once', async () => {
    const denied = await gw.request('POST', '/api/v1/orders', { key: gw.keys.operator, body: order({ volume: 2, intentId: 'manual-42' }) });
    expect(denied.body).toMatchObject({ intentId: 'manual-42', duplicate: false, decision: { outcome: 'DENY', code: 'RISK.MAX_LOTS_EXCEEDED' } });
    const again = await gw.request('POST', '/api/v1/orders', { key: gw.keys.operator, body: order({ volume: 2, intentId: 'manual-42' }) });
    expect(again.body).toMatchObject({ duplicate: true, decision: { decisionId: denied.body.decision.decisionId } });
    expect((await auditRows('api.orders.place')).at(-1)!.result).toBe('ok: DENY RISK.MAX_LOTS_EXCEEDED');
  });

  it('cancels an order through risk-guard, and passes on its 404 for an order it never allowed', async () => {
    const placed = await gw.request('POST', '/api/v1/orders', { key: gw.keys.operator, body: order({ orderType: 'LIMIT', price: '1.08000' }) });
    const clientOrderId = placed.body.decision.clientOrderId as string;
    const cancel = await gw.request('DELETE', `/api/v1/orders/${clientOrderId}`, { key: gw.keys.operator, body: { reason: 'changed my mind' } });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ clientOrderId, account: 'paper-1', commandId: expect.any(String) });
    expect(gw.riskGuard.commands.at(-1)).toMatchObject({ name: 'cancel-order', body: { clientOrderId, requestedBy: gw.names.operator, reason: 'changed my mind' } });
    const unknown = await gw.request('DELETE', '/api/v1/orders/c123', { key: gw.keys.operator, body: {} });
    expect(unknown.status).toBe(404);
    expect((await auditRows('api.orders.cancel')).filter((row) => row.actor === gw.names.operator).map((row) => row.result)).toEqual(['ok', 'error: OPS.NOT_FOUND']);
  });

  it('answers 503 naming the service when nobody serves the request (execution is not running here)', async () => {
    const positions = await gw.request('GET', '/api/v1/positions');
    expect(positions.status).toBe(503);
    expect(positions.body.error).toMatchObject({ code: 'SYS.DEPENDENCY_UNAVAILABLE', retryable: true });
    expect(positions.body.error.message).toBe('execution is not answering exec.qry.positions (no responders): it is not running, or it does not serve this request yet');
    expect(positions.headers.get('retry-after')).toBe('5');
  });

  it('closes a position through risk-guard and returns its decision', async () => {
    const answer = await gw.request('POST', '/api/v1/positions/123456/close', { key: gw.keys.operator, body: {} });
    expect(answer.status).toBe(200);
    expect(answer.body.decision.outcome).toBe('ALLOW');
    expect(gw.riskGuard.commands.at(-1)).toMatchObject({ name: 'close-position', body: { positionId: '123456', account: 'paper-1', requestedBy: gw.names.operator } });
  });
});

describe('admin-only changes', () => {
  it('only an admin may reset a breaker, and the audit log has the row', async () => {
    const byOperator = await gw.request('POST', '/api/v1/risk/breakers/DAILY_LOSS/reset', { key: gw.keys.operator, body: { reason: 'reviewed the day' } });
    expect(byOperator.status).toBe(403);
    const byAdmin = await gw.request('POST', '/api/v1/risk/breakers/DAILY_LOSS/reset', { key: gw.keys.admin, body: { reason: 'reviewed the day' } });
    expect(byAdmin.status).toBe(200);
    expect(gw.riskGuard.commands.at(-1)).toMatchObject({ name: 'reset-breaker', body: { breaker: 'DAILY_LOSS', reason: 'reviewed the day', actor: { id: gw.names.admin, role: 'admin' } } });
    const rows = (await auditRows('api.risk.reset-breaker')).filter((row) => row.actor !== gw.names.viewer);
    expect(rows.map((row) => [row.actor, row.role, row.result])).toEqual([[gw.names.operator, 'operator', 'denied: OPS.FORBIDDEN'], [gw.names.admin, 'admin', 'ok']]);
    expect(rows[1]).toMatchObject({ params: { route: 'POST /api/v1/risk/breakers/DAILY_LOSS/reset', params: { breaker: 'DAILY_LOSS' }, body: { reason: 'reviewed the day' } } });
    expect(rows[1].trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a state change without a reason with 400, and takes it from an admin with one', async () => {
    const noReason = await gw.request('PUT', '/api/v1/risk/state', { key: gw.keys.admin, body: { state: 'ACTIVE' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('body.reason');
    const withReason = await gw.request('PUT', '/api/v1/risk/state', { key: gw.keys.admin, body: { state: 'ACTIVE', reason: 'breaker reviewed' } });
    expect(withReason.body).toMatchObject({ tradingState: { state: 'ACTIVE', by: gw.names.admin } });
  });

  it('lets an operator pull the kill switch, as risk-guard\'s trader role', async () => {
    const answer = await gw.request('POST', '/api/v1/risk/kill-switch', { key: gw.keys.operator, body: { reason: 'feed looks wrong' } });
    expect(answer.status).toBe(200);
    expect(gw.riskGuard.commands.at(-1)).toMatchObject({ name: 'kill-switch', body: { actor: { id: gw.names.operator, role: 'trader' } } });
  });
});

describe('rate limits', () => {
  it('answers a burst of orders past the key\'s bucket with 429, Retry-After and the X-RateLimit headers', async () => {
    const { keys } = await startBurstKey();
    const answers = await Promise.all(Array.from({ length: 12 }, () => gw.request('POST', '/api/v1/orders', { key: keys, body: order() })));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.body.error).toMatchObject({ code: 'OPS.RATE_LIMITED', retryable: true });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('10');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    const read = await gw.request('GET', '/api/v1/strategies', { key: keys });
    expect(read.status).toBe(200);
    expect(read.headers.get('x-ratelimit-limit')).toBe('600');
  });

  it('with Redis down, fails order endpoints closed with 503 and keeps reads working', async () => {
    const redis = gw.app.get(RateLimitRedis).client;
    redis.disconnect();
    try {
      const placed = await gw.request('POST', '/api/v1/orders', { key: gw.keys.operator, body: order() });
      expect(placed.status).toBe(503);
      expect(placed.body.error.message).toContain('rate limiter (Redis) is unavailable');
      const read = await gw.request('GET', '/api/v1/risk/state', { key: gw.keys.operator });
      expect(read.status).toBe(200);
      expect(read.headers.get('x-ratelimit-limit')).toBeNull();
    } finally {
      await redis.connect();
    }
    await waitFor(async () => (await gw.request('POST', '/api/v1/orders', { key: gw.keys.admin, body: order() })).status === 200, { description: 'orders back after Redis returned' });
  });
});

async function startBurstKey(): Promise<{ keys: string }> {
  const { runKeysCommand } = await import('./cli.js');
  const out: string[] = [];
  await runKeysCommand(['keys', 'create', '--name', `burst-${gw.redisPrefix.slice(0, -1)}`, '--role', 'operator'], { DATABASE_URL: gw.databaseUrl }, { stdout: (t) => out.push(t), stderr: () => undefined });
  return { keys: out.join('').split('\n')[1]!.trim() };
}

describe('upstream failures', () => {
  it('answers a service\'s internal failure with 502 and a fixed sentence, not the service\'s message', async () => {
    const subscription = serveQuery(gw.nats.nc, {
      subject: subjectIn(Subjects.query('reporting', 'trades'), gw.provision),
      handle: () => { throw Object.assign(new Error('relation "trades" does not exist (SELECT * FROM trades WHERE password=...)'), { code: 'RPT.QUERY_FAILED' }); },
    }, pino({ level: 'silent' }));
    try {
      const answer = await gw.request('GET', '/api/v1/reports/trades');
      expect(answer.status).toBe(502);
      expect(answer.body.error).toEqual({ code: 'RPT.QUERY_FAILED', message: 'reporting failed to answer rpt.qry.trades (RPT.QUERY_FAILED); its logs have the details', retryable: false, traceId: expect.any(String) });
      expect(answer.text).not.toMatch(/relation|SELECT|password|at .*\.js/);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('passes on a service\'s validation failure as 400 with its reason, and a stale version as 409', async () => {
    const bad = await gw.request('PUT', '/api/v1/strategies/ma-cross-eurusd/params', { key: gw.keys.operator, body: { params: { fast: 0 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('params.fast: must be a positive integer');
    const stale = await gw.request('POST', '/api/v1/strategies/ma-cross-eurusd/enable', { key: gw.keys.operator, body: { expectedVersion: 99 } });
    expect(stale.status).toBe(409);
  });
});
