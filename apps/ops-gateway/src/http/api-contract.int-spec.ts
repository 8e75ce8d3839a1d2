// What the API promises about its input and its description: every bad input named in the issue
// is a 400 that says why (and never reaches risk-guard), the OpenAPI document lists every route
// with its schemas, and the streams and cache endpoints read the real JetStream and Redis.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { Consumers, Streams } from '@mt5/contracts';
import { ensureConsumer, ensureStream } from '@mt5/infra/nats';
import { createRedis } from '@mt5/infra/redis';
import { testEnv } from '@mt5/testing';
import { API_CONTROLLERS } from '../ops-gateway.module.js';
import { startGateway, type GatewayHarness } from '../testing/gateway-harness.fixture.js';

let gw: GatewayHarness;

beforeAll(async () => {
  gw = await startGateway({ OPS_RATE_ORDER_PER_KEY: '100' });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

const order = (overrides: Record<string, unknown> = {}) => JSON.stringify({ symbol: 'EURUSD', side: 'BUY', volume: '0.10', ...overrides });

describe('validation', () => {
  const cases: [string, string, string][] = [
    ['an unknown field', order({ leverage: 500 }), 'body: unknown field "leverage"'],
    ['NaN as a JSON token', '{"symbol":"EURUSD","side":"BUY","volume":NaN}', 'request body is not valid JSON'],
    ['NaN as a string', order({ volume: 'NaN' }), 'body.volume: volume must be a number, got "NaN"'],
    ['an infinite number (1e999 parses to Infinity)', '{"symbol":"EURUSD","side":"BUY","volume":1e999}', 'body.volume: volume must be finite, got Infinity'],
    ['Infinity as a string', order({ volume: '-Infinity' }), 'body.volume: volume must be finite, got "-Infinity"'],
    ['a negative volume', order({ volume: '-0.10' }), 'body.volume: volume must be positive, got "-0.10"'],
    ['a negative volume as a number', order({ volume: -1 }), 'body.volume: volume must be positive, got -1'],
    ['a zero volume', order({ volume: '0' }), 'body.volume: volume must be positive, got "0"'],
    ['an off-step volume', order({ volume: '0.015' }), 'volume: 0.015 is not a multiple of the volume step 0.01 for EURUSD'],
    ['a volume above the instrument maximum', order({ volume: '150' }), 'volume: 150 is above the maximum 100 for EURUSD'],
    ['an unknown symbol', order({ symbol: 'EURUSDX' }), 'symbol: unknown symbol "EURUSDX" on venue mt5-demo'],
    ['a LIMIT order without a price', order({ orderType: 'LIMIT' }), 'body.price: price is required for a LIMIT order'],
    ['a side that does not exist', order({ side: 'HOLD' }), 'body.side: Invalid option: expected one of "BUY"|"SELL"'],
  ];

  it.each(cases)('refuses %s with a 400 that says why', async (_name, rawBody, reason) => {
    const before = gw.riskGuard.intents.length;
    const answer = await gw.request('POST', '/api/v1/orders', { key: gw.keys.operator, rawBody });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('OPS.INVALID_REQUEST');
    expect(answer.body.error.message).toContain(reason);
    expect(gw.riskGuard.intents).toHaveLength(before);
  });

  it('refuses bad query strings and path parameters the same way', async () => {
    const timeframe = await gw.request('GET', '/api/v1/market/bars?symbol=EURUSD&timeframe=M2');
    expect(timeframe.body.error.message).toContain('query.timeframe');
    const extra = await gw.request('GET', '/api/v1/risk/state?acount=paper-1');
    expect(extra.body.error.message).toBe('query: unknown field "acount"');
    const breaker = await gw.request('POST', '/api/v1/risk/breakers/NOT_A_BREAKER/reset', { key: gw.keys.admin, body: { reason: 'because' } });
    expect(breaker.status).toBe(400);
    expect(breaker.body.error.message).toContain('path.breaker');
  });

  it('refuses a partial close volume that is not a decimal, before asking anyone', async () => {
    const answer = await gw.request('POST', '/api/v1/positions/77/close', { key: gw.keys.operator, body: { volume: '1e-2' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain('volume must be a plain decimal string');
  });
});

describe('the OpenAPI document', () => {
  it('lists every API route with its parameters, request body and response schemas', async () => {
    const answer = await gw.request('GET', '/docs-json', { key: null });
    expect(answer.status).toBe(200);
    const document = answer.body as { paths: Record<string, Record<string, OpenApiOperation>>; components: { schemas: Record<string, unknown> } };
    const routes = API_CONTROLLERS.flatMap((controller) => {
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      return Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
        const handler = (controller.prototype as unknown as Record<string, object>)[name]!;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (method === undefined || path === undefined) return [];
        const full = `/${[base, path].filter((part) => part && part !== '/').join('/')}`.replace(/:(\w+)/g, '{$1}');
        return [`${['get', 'post', 'put', 'delete', 'patch'][method]} ${full}`];
      });
    });
    expect(routes).toHaveLength(29);
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      const operation = document.paths[path]?.[method];
      expect({ route, documented: Boolean(operation) }).toEqual({ route, documented: true });
      const ok = operation!.responses['200']!.content;
      expect({ route, okSchema: Boolean(ok?.['application/json']?.schema ?? ok?.['text/html']?.schema) }).toEqual({ route, okSchema: true });
      expect({ route, errors: ['401', '429', '503'].every((status) => status in operation!.responses) }).toEqual({ route, errors: true });
      expect({ route, secured: operation!.security }).toEqual({ route, secured: [{ 'api-key': [] }] });
      if (method !== 'get') expect({ route, body: Boolean(operation!.requestBody?.content['application/json']?.schema) }).toEqual({ route, body: true });
    }
    const place = document.paths['/api/v1/orders']!.post!;
    expect(place.requestBody!.content['application/json']!.schema).toMatchObject({ additionalProperties: false, required: ['symbol', 'side'] });
    expect(document.components.schemas).toHaveProperty('OrderDecision');
    expect(document.components.schemas).toHaveProperty('ErrorResponse');
  });

  it('serves Swagger UI at /docs', async () => {
    const answer = await gw.request('GET', '/docs', { key: null });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('swagger-ui');
  });
});

interface OpenApiOperation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  requestBody?: { content: Record<string, { schema?: unknown }> };
  security?: unknown;
}

describe('streams and cache', () => {
  it('shows each JetStream stream with its consumers and their counts', async () => {
    const provision = gw.provision;
    await ensureStream(gw.nats.jsm, Streams.RISK_EVT, provision);
    await ensureConsumer(gw.nats.jsm, Consumers.reportingRiskEvents, provision);
    await gw.nats.js.publish(`${provision.namespace!.subject}risk.evt.state`, '{}');
    try {
      const answer = await gw.request('GET', '/api/v1/streams');
      expect(answer.body.streams).toEqual([expect.objectContaining({
        name: `${provision.namespace!.stream}RISK_EVT`, messages: 1, bytes: expect.any(Number), description: Streams.RISK_EVT.description,
        consumers: [expect.objectContaining({ name: 'reporting-risk-events', pending: 1, ackPending: 0, redelivered: 0, filterSubjects: [`${provision.namespace!.subject}risk.evt.>`] })],
      })]);
    } finally {
      await gw.nats.jsm.streams.delete(`${provision.namespace!.stream}RISK_EVT`);
    }
  });

  it('an admin invalidates cached keys by pattern, never the rate-limit buckets, and the audit row commits with it', async () => {
    const redis = createRedis({ url: testEnv().redisUrl, keyPrefix: gw.redisPrefix });
    await new Promise((resolve) => redis.once('ready', resolve));
    try {
      await redis.set('md:latest:EURUSD', '1');
      await redis.set('md:latest:GBPUSD', '1');
      await redis.set('rl:md:trap', '1');
      await redis.set('other:keep', '1');
      const stats = await gw.request('GET', '/api/v1/cache');
      expect(stats.body.keys.byNamespace).toMatchObject({ md: 2, other: 1 });
      expect(stats.body.server).toHaveProperty('redis_version');
      const refused = await gw.request('POST', '/api/v1/cache/invalidate', { key: gw.keys.operator, body: { pattern: 'md:*', reason: 'stale quotes' } });
      expect(refused.status).toBe(403);
      const done = await gw.request('POST', '/api/v1/cache/invalidate', { key: gw.keys.admin, body: { pattern: '*:*', reason: 'stale everything' } });
      expect(done.body).toMatchObject({ pattern: '*:*', deleted: 3 });
      expect(await redis.exists('md:latest:EURUSD', 'md:latest:GBPUSD', 'other:keep', 'rl:md:trap')).toBe(1);
      const { rows } = await gw.pool.query("SELECT actor, role, result, params FROM audit_log WHERE action = 'api.cache.invalidate' ORDER BY id");
      expect(rows.map((row) => [row.role, row.result])).toEqual([['operator', 'denied: OPS.FORBIDDEN'], ['admin', 'ok: deleted 3']]);
      expect(rows[1].params).toEqual({ pattern: '*:*', reason: 'stale everything' });
    } finally {
      await redis.del('rl:md:trap');
      await redis.quit();
    }
  });
});
