// Boots the gateway in-process, as `main.ts` would (the module plus configureHttp), against the
// real NATS, Postgres and Redis of the integration setup: its own Postgres schema (migrated),
// Redis key prefix and NATS subject namespace, three API keys made through the keys CLI, and
// the stand-ins of testing/stand-in-services.fixture.ts for risk-guard and signal-engine. To run
// against the real services instead, start them on the same namespace and drop the stand-ins here.
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { connectNats, type NatsHandles, type ProvisionOptions } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { testEnv, uniqueName } from '@mt5/testing';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { pino } from 'pino';
import { runKeysCommand } from '../cli.js';
import { loadServiceConfig, type OpsGatewayConfig } from '../config.js';
import { configureHttp } from '../http/configure-http.js';
import { OpsGatewayModule } from '../ops-gateway.module.js';
import type { Role } from '../security/api-key.js';
import { startRiskGuardStandIn, startSignalEngineStandIn, type RiskGuardStandIn } from './stand-in-services.fixture.js';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly text: string;
}

export interface GatewayHarness {
  readonly app: INestApplication;
  readonly config: OpsGatewayConfig;
  readonly baseUrl: string;
  readonly wsUrl: string;
  readonly keys: Record<Role, string>;
  readonly names: Record<Role, string>;
  readonly provision: ProvisionOptions;
  readonly redisPrefix: string;
  /** The test's own connection, to publish events and serve extra responders. */
  readonly nats: NatsHandles;
  /** The gateway's schema, to read audit_log and api_keys. */
  readonly pool: pg.Pool;
  readonly databaseUrl: string;
  readonly riskGuard: RiskGuardStandIn;
  request(method: string, path: string, options?: { key?: string | null; body?: unknown; rawBody?: string }): Promise<HttpAnswer>;
  close(): Promise<void>;
}

async function createKey(databaseUrl: string, name: string, role: Role): Promise<string> {
  const out: string[] = [];
  const code = await runKeysCommand(['keys', 'create', '--name', name, '--role', role], { DATABASE_URL: databaseUrl }, { stdout: (text) => out.push(text), stderr: () => undefined });
  if (code !== 0) throw new Error(`keys create ${name} exited ${code}`);
  return out.join('').split('\n')[1]!.trim();
}

export async function startGateway(overrides: Record<string, string> = {}): Promise<GatewayHarness> {
  const env = testEnv();
  const tag = uniqueName('og');
  const schema = tag;
  await applyMigrations({ connectionString: env.databaseUrl, schema });
  const url = new URL(env.databaseUrl);
  url.searchParams.set('schema', schema);
  const databaseUrl = url.toString();
  const provision: ProvisionOptions = { namespace: { stream: `${tag.toUpperCase()}_`, subject: `${tag}.` } };
  const redisPrefix = `${tag}:`;
  const config = loadServiceConfig({
    NATS_URL: env.natsUrl, DATABASE_URL: databaseUrl, REDIS_URL: env.redisUrl, REDIS_KEY_PREFIX: redisPrefix, LOG_LEVEL: 'silent', ...overrides,
  });
  const names = { viewer: `viewer-${tag}`, operator: `operator-${tag}`, admin: `admin-${tag}` };
  const keys = {
    viewer: await createKey(databaseUrl, names.viewer, 'viewer'),
    operator: await createKey(databaseUrl, names.operator, 'operator'),
    admin: await createKey(databaseUrl, names.admin, 'admin'),
  };
  const logger = pino({ level: 'silent' });
  const nats = await connectNats({ url: env.natsUrl, name: `${tag}-test` });
  const riskGuard = startRiskGuardStandIn(nats.nc, provision, logger);
  const signalEngine = startSignalEngineStandIn(nats.nc, provision, logger);
  const app = await NestFactory.create(OpsGatewayModule.forRoot(config, logger, { provision }) as never, { logger: false });
  configureHttp(app, config, logger);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const pool = createPgPool({ url: databaseUrl, poolMax: 2 });

  const request: GatewayHarness['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.key !== null) headers['x-api-key'] = options.key ?? keys.viewer;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // HTML or empty: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  return {
    app, config, baseUrl, wsUrl: `ws://127.0.0.1:${port}/api/v1/stream`, keys, names, provision, redisPrefix, nats, pool, databaseUrl, riskGuard, request,
    close: async () => {
      await app.close();
      riskGuard.stop();
      signalEngine.stop();
      await nats.nc.drain();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}
