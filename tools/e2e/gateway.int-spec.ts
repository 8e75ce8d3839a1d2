// The ops gateway in front of the REAL services, all seven as processes (tools/e2e/platform.fixture.ts)
// in live mode: the simulator's random walk feeds quotes through execution to market-data, so
// risk-guard's wall-clock checks hold as in production. An operator's order goes through risk-guard,
// execution and the simulator and comes back as a filled order, a position and a reported trade;
// the kill switch, the admin-only resume, strategy changes and the audit trail are the real ones.
// (apps/ops-gateway's own integration tests use stand-ins to test the gateway's behaviour alone.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Subjects } from '@mt5/contracts';
import { waitFor } from '@mt5/testing';
import path from 'node:path';
import { runChild } from '../demo/local-access.js';
import { startPlatform, type Platform } from './platform.fixture.js';
import { workspaceRoot } from './service-process.fixture.js';

type Role = 'viewer' | 'operator' | 'admin';
let platform: Platform;
let baseUrl: string;
const keys = {} as Record<Role, string>;

async function createKey(role: Role): Promise<string> {
  const result = await runChild(process.execPath, [path.join(workspaceRoot, 'dist/apps/ops-gateway/src/cli.js'), 'keys', 'create', '--name', `e2e-${role}`, '--role', role], {
    cwd: workspaceRoot, env: { PATH: process.env.PATH ?? '', DATABASE_URL: platform.env.DATABASE_URL!, LOG_LEVEL: 'warn' },
  });
  if (result.code !== 0) throw new Error(`keys create ${role}: ${result.stderr}`);
  const key = result.stdout.split('\n').map((line) => line.trim()).find((line) => line.startsWith('mt5_'));
  if (!key) throw new Error(`keys create ${role} printed no key: ${result.stdout}`);
  return key;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(method: string, route: string, role: Role, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${route}`, {
    method, headers: { 'x-api-key': keys[role], ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function bid(): Promise<number> {
  const latest = await call('GET', '/api/v1/market/latest?symbols=EURUSD', 'viewer');
  const quote = JSON.stringify(latest.body).match(/"bid":"?([0-9.]+)/);
  if (latest.status !== 200 || !quote) throw new Error(`no EURUSD quote yet: ${latest.status} ${JSON.stringify(latest.body)}`);
  return Number(quote[1]);
}

beforeAll(async () => {
  platform = await startPlatform({
    name: 'e2e-gateway', mode: 'live', symbols: ['EURUSD'],
    services: ['reporting', 'risk-guard', 'execution', 'signal-engine', 'market-data', 'mt5-simulator', 'ops-gateway'],
  });
  baseUrl = `http://127.0.0.1:${platform.services.get('ops-gateway')!.httpPort}`;
  for (const role of ['viewer', 'operator', 'admin'] as const) keys[role] = await createKey(role);
  await platform.waitForBridge();
  await platform.ask(Subjects.command('signal-engine', 'seed-defaults'), { enable: false }, 60_000);
  // risk-guard needs an account snapshot and a fresh quote before it allows an opening order.
  let missing = '';
  await waitFor(async () => {
    const snapshot = (await call('GET', '/api/v1/risk/state', 'viewer')).body?.snapshot;
    const quote = await bid().then(() => '', (error: Error) => error.message);
    missing = `${snapshot == null ? 'risk-guard has no account snapshot; ' : ''}${quote}`;
    return missing === '';
  }, { timeoutMs: 60_000, intervalMs: 500, description: 'risk-guard holds an account snapshot and market-data caches EURUSD quotes' }).catch((error: Error) => {
    const logs = [...platform.services].map(([name, service]) => `--- ${name}\n${service.output().slice(-1_500)}`).join('\n');
    throw new Error(`${error.message}: ${missing}\n${logs}`);
  });
}, 240_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

describe('the ops gateway in front of the real services', () => {
  it('reports every service and dependency healthy', async () => {
    await waitFor(async () => (await call('GET', '/api/v1/health', 'viewer')).body?.status === 'ok', { timeoutMs: 30_000, intervalMs: 500, description: 'health ok' });
    const health = await call('GET', '/api/v1/health', 'viewer');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', score: 100 });
  });

  it("takes an operator's order through risk-guard, execution and the simulator to a filled order, a position and, once closed, a reported trade", async () => {
    const price = await bid();
    const placed = await call('POST', '/api/v1/orders', 'operator', { symbol: 'EURUSD', side: 'BUY', volume: '0.10', stopLoss: (price - 0.005).toFixed(5), intentId: 'e2e-open-1' });
    expect(placed.status).toBe(200);
    expect(placed.body.decision).toMatchObject({ outcome: 'ALLOW' });
    expect(Number(placed.body.decision.volume)).toBe(0.1);
    const clientOrderId = placed.body.decision.clientOrderId as string;

    let filled: { status: string; filledVolume: string } | undefined;
    await waitFor(async () => {
      filled = (await call('GET', `/api/v1/orders?clientOrderId=${clientOrderId}`, 'viewer')).body.orders[0];
      return filled?.status === 'FILLED';
    }, { timeoutMs: 30_000, intervalMs: 200, description: `order ${clientOrderId} FILLED` });
    expect(filled?.status).toBe('FILLED');
    expect(Number(filled?.filledVolume)).toBe(0.1);

    // The same intent again is not a second order: the first decision comes back.
    const again = await call('POST', '/api/v1/orders', 'operator', { symbol: 'EURUSD', side: 'BUY', volume: '0.10', stopLoss: (price - 0.005).toFixed(5), intentId: 'e2e-open-1' });
    expect(again.body).toMatchObject({ duplicate: true, decision: { clientOrderId } });

    let positionId = '';
    await waitFor(async () => {
      const open = (await call('GET', '/api/v1/positions?symbol=EURUSD', 'viewer')).body.positions as { positionId: string; volume: string; side: string }[];
      positionId = open.find((p) => p.side === 'BUY' && Number(p.volume) === 0.1)?.positionId ?? '';
      return open.length === 1 && positionId !== '';
    }, { timeoutMs: 15_000, intervalMs: 200, description: 'one open 0.10 BUY position' });

    const closed = await call('POST', `/api/v1/positions/${positionId}/close`, 'operator', { intentId: 'e2e-close-1' });
    expect(closed.status).toBe(200);
    expect(closed.body.decision).toMatchObject({ outcome: 'ALLOW' });
    await waitFor(async () => (await call('GET', '/api/v1/positions', 'viewer')).body.positions.length === 0,
      { timeoutMs: 30_000, intervalMs: 200, description: 'the position closed' });
    await waitFor(async () => ((await call('GET', '/api/v1/reports/trades', 'viewer')).body.items ?? []).length === 1,
      { timeoutMs: 30_000, intervalMs: 300, description: 'reporting holds the round trip' });
    const trades = (await call('GET', '/api/v1/reports/trades', 'viewer')).body.items as { side: string; volume: string }[];
    expect(trades[0]?.side).toBe('BUY');
    expect(Number(trades[0]?.volume)).toBe(0.1);
  });

  it('refuses a viewer an order with 403, and nothing reaches risk-guard', async () => {
    const before = (await call('GET', '/api/v1/risk/decisions?limit=100', 'viewer')).body.items.length as number;
    const refused = await call('POST', '/api/v1/orders', 'viewer', { symbol: 'EURUSD', side: 'BUY', volume: '0.10' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('OPS.FORBIDDEN');
    expect((await call('GET', '/api/v1/risk/decisions?limit=100', 'viewer')).body.items).toHaveLength(before);
  });

  it('halts the account on an operator kill switch, denies new orders, and only an admin resumes it, each change audited', async () => {
    const halted = await call('POST', '/api/v1/risk/kill-switch', 'operator', { reason: 'e2e: operator pulls the plug' });
    expect(halted.status).toBe(200);
    expect((await call('GET', '/api/v1/risk/state', 'viewer')).body.tradingState.state).toBe('HALTED');

    const price = await bid();
    const denied = await call('POST', '/api/v1/orders', 'operator', { symbol: 'EURUSD', side: 'BUY', volume: '0.10', stopLoss: (price - 0.005).toFixed(5) });
    expect(denied.status).toBe(200);
    expect(denied.body.decision).toMatchObject({ outcome: 'DENY', code: 'RISK.TRADING_HALTED' });

    const byOperator = await call('PUT', '/api/v1/risk/state', 'operator', { state: 'ACTIVE', reason: 'e2e: operator may not resume' });
    expect(byOperator.status).toBe(403);
    // The engaged kill switch holds the account: even an admin resets it before resuming.
    const early = await call('PUT', '/api/v1/risk/state', 'admin', { state: 'ACTIVE', reason: 'e2e: admin resumes too early' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/KILL_SWITCH/);
    const reset = await call('POST', '/api/v1/risk/breakers/KILL_SWITCH/reset', 'admin', { reason: 'e2e: incident closed' });
    expect(reset.status).toBe(200);
    if ((await call('GET', '/api/v1/risk/state', 'viewer')).body.tradingState.state !== 'ACTIVE') {
      expect((await call('PUT', '/api/v1/risk/state', 'admin', { state: 'ACTIVE', reason: 'e2e: admin resumes' })).status).toBe(200);
    }
    expect((await call('GET', '/api/v1/risk/state', 'viewer')).body.tradingState.state).toBe('ACTIVE');

    const { rows } = await platform.pool.query("SELECT actor, action, result FROM audit_log WHERE action IN ('api.risk.kill-switch', 'api.risk.set-state', 'api.risk.reset-breaker') ORDER BY id");
    expect(rows.slice(0, 3)).toEqual([
      { actor: 'e2e-operator', action: 'api.risk.kill-switch', result: 'ok' },
      { actor: 'e2e-operator', action: 'api.risk.set-state', result: 'denied: OPS.FORBIDDEN' },
      { actor: 'e2e-admin', action: 'api.risk.set-state', result: expect.stringMatching(/^(denied|error).*CONFLICT/) },
    ]);
  });

  it("changes the real signal-engine's strategies: enable, parameters, a stale version is 409 and a bad value is 400", async () => {
    const listed = await call('GET', '/api/v1/strategies', 'viewer');
    expect(listed.status).toBe(200);
    const strategy = (listed.body.strategies as { id: string; enabled: boolean; version: number }[]).find((s) => s.id === 'ma-crossover-m1');
    expect(strategy).toMatchObject({ enabled: false });

    const enabled = await call('POST', '/api/v1/strategies/ma-crossover-m1/enable', 'operator', { expectedVersion: strategy!.version });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, version: strategy!.version + 1 });

    const stale = await call('PUT', '/api/v1/strategies/ma-crossover-m1/params', 'operator', { params: { fast: 12, slow: 30 }, expectedVersion: strategy!.version });
    expect(stale.status).toBe(409);
    const bad = await call('PUT', '/api/v1/strategies/ma-crossover-m1/params', 'operator', { params: { fast: -3 }, expectedVersion: strategy!.version + 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/fast/);
    const changed = await call('PUT', '/api/v1/strategies/ma-crossover-m1/params', 'operator', { params: { fast: 12, slow: 30 }, expectedVersion: strategy!.version + 1 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ params: { fast: 12, slow: 30 } });
  });
});
