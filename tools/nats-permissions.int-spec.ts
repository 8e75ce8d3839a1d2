import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect, type NatsConnection, type Status } from '@nats-io/transport-node';
import { PermissionViolationError } from '@nats-io/nats-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Consumers, Streams, type ConsumerSpec, type StreamName } from '@mt5/contracts';
import { ensureConsumer, ensureStream } from '@mt5/infra/nats';
import { waitFor } from '@mt5/testing';
import { natsPasswordVariable, startDeployNatsServer, type DeployNatsServer, type NatsUser } from './validate-deploy/deploy-nats-server.js';

// A real, throwaway nats-server runs deploy/nats/nats-server.conf unchanged (which includes
// accounts.conf, the same file the Kubernetes cluster mounts); only the ports (flags), the store
// directory and the passwords (environment variables) are the test's own.
const root = path.resolve(import.meta.dirname, '..');
const natsDir = path.join(root, 'deploy', 'nats');
const natsServerBinary = process.env.NATS_SERVER_BIN ?? 'nats-server';
const encoder = new TextEncoder();
type User = NatsUser;

let server: DeployNatsServer;
const connections: NatsConnection[] = [];

async function connectAs(user: User): Promise<NatsConnection> {
  const nc = await connect({ servers: server.url, user, pass: server.passwords[user], name: `perm-test-${user}`, inboxPrefix: `_INBOX.${user}`, maxReconnectAttempts: 0 });
  connections.push(nc);
  return nc;
}

/** Collects the permission violations the server reports on a connection (async `-ERR`s). */
function violations(nc: NatsConnection): PermissionViolationError[] {
  const seen: PermissionViolationError[] = [];
  void (async () => {
    for await (const status of nc.status() as AsyncIterable<Status>) {
      if (status.type === 'error' && status.error instanceof PermissionViolationError) seen.push(status.error);
    }
  })();
  return seen;
}

/** The error or one of its causes, when it is a permission violation. */
function permissionViolationIn(error: unknown): PermissionViolationError | undefined {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof PermissionViolationError) return e;
  return undefined;
}

/** Resolves with the subject the server refused; fails when the call succeeds or fails otherwise. */
async function refusedSubject(call: Promise<unknown>): Promise<string> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  if (error === undefined) throw new Error('expected a permissions violation, but the call succeeded');
  const violation = permissionViolationIn(error);
  if (!violation) throw new Error(`expected a permissions violation, got: ${String(error)}`, { cause: error });
  return violation.subject;
}

async function messagesIn(stream: string): Promise<number> {
  const jsm = await jetstreamManager(await connectAs('ops'));
  return (await jsm.streams.info(stream)).state.messages;
}

beforeAll(async () => {
  server = await startDeployNatsServer(root);
  // EXEC_CMD exists before anyone tries to misuse it, provisioned the way risk-guard does at boot.
  const jsm = await jetstreamManager(await connectAs('risk-guard'));
  await ensureStream(jsm, Streams.EXEC_CMD);
});

afterAll(async () => {
  await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
  await server?.stop();
});

describe('NATS users and permissions (deploy/nats/accounts.conf) on a real nats-server', () => {
  it('rejects a connection with a wrong password', async () => {
    await expect(connect({ servers: server.url, user: 'risk-guard', pass: 'wrong', maxReconnectAttempts: 0 })).rejects.toThrow(/authorization/i);
  });

  it('lets risk-guard publish an order command to exec.cmd.acct1.submit-order, stored in EXEC_CMD', async () => {
    const js = jetstream(await connectAs('risk-guard'));
    const ack = await js.publish('exec.cmd.acct1.submit-order', encoder.encode('{"test":1}'), { msgID: randomUUID() });
    expect(ack.stream).toBe('EXEC_CMD');
    expect(ack.duplicate).toBe(false);
  });

  it('refuses an order command published by signal-engine with a permissions violation, and stores nothing', async () => {
    const before = await messagesIn('EXEC_CMD');
    const nc = await connectAs('signal-engine');
    const reported = violations(nc);
    const outcome = await jetstream(nc).publish('exec.cmd.acct1.submit-order', encoder.encode('{"forged":1}'), { timeout: 2_000 })
      .then(() => 'published', (error: unknown) => error);
    expect(outcome).not.toBe('published');
    await waitFor(() => reported.length > 0, { timeoutMs: 5_000 });
    expect(reported[0]).toMatchObject({ operation: 'publish', subject: 'exec.cmd.acct1.submit-order' });
    // nats.js 3 rejects the request with a RequestError caused by the violation.
    expect(permissionViolationIn(outcome)).toMatchObject({ operation: 'publish', subject: 'exec.cmd.acct1.submit-order' });
    expect(await messagesIn('EXEC_CMD')).toBe(before);
  });

  it('refuses a core publish to exec.cmd.> by every service but risk-guard', async () => {
    for (const user of ['market-data', 'execution', 'reporting', 'ops-gateway', 'mt5-simulator'] as const) {
      const nc = await connectAs(user);
      const reported = violations(nc);
      nc.publish(`exec.cmd.acct1.${user}`, encoder.encode('{}'));
      await nc.flush();
      await waitFor(() => reported.length > 0, { timeoutMs: 5_000 });
      expect(reported[0]).toMatchObject({ operation: 'publish', subject: `exec.cmd.acct1.${user}` });
    }
  });

  it('lets execution create its consumer on EXEC_CMD, pull the command and acknowledge it', async () => {
    const nc = await connectAs('execution');
    const jsm = await jetstreamManager(nc);
    const spec = Consumers.executionCommands('acct1');
    await ensureConsumer(jsm, spec);
    const consumer = await jetstream(nc).consumers.get('EXEC_CMD', spec.durable);
    const msg = await consumer.next({ expires: 2_000 });
    expect(msg?.subject).toBe('exec.cmd.acct1.submit-order');
    expect(await msg!.ackAck()).toBe(true);
    // Work-queue retention: an acknowledged command is gone.
    await waitFor(async () => (await messagesIn('EXEC_CMD')) === 0, { timeoutMs: 5_000 });
  });

  it('refuses risk-guard and ops-gateway pulling from or creating consumers on EXEC_CMD', async () => {
    await jetstream(await connectAs('risk-guard')).publish('exec.cmd.acct1.cancel-order', encoder.encode('{}'), { msgID: randomUUID() });
    for (const user of ['risk-guard', 'ops-gateway'] as const) {
      const nc = await connectAs(user);
      const reported = violations(nc);
      const jsm = await jetstreamManager(nc);
      // Reading consumer state is allowed (the operator's stream view needs it)…
      const consumer = await jetstream(nc).consumers.get('EXEC_CMD', Consumers.executionCommands('acct1').durable);
      // …pulling a message is not.
      const pulled = await consumer.next({ expires: 1_000 }).catch(() => null);
      expect(pulled).toBeNull();
      await waitFor(() => reported.some((v) => v.subject.startsWith('$JS.API.CONSUMER.MSG.NEXT.EXEC_CMD.')), { timeoutMs: 5_000 });
      const thief: ConsumerSpec = { ...Consumers.executionCommands('acct2'), durable: `${user}-steals` };
      expect(await refusedSubject(ensureConsumer(jsm, thief))).toMatch(/^\$JS\.API\.CONSUMER\.CREATE\.EXEC_CMD\./);
    }
    expect(await messagesIn('EXEC_CMD')).toBe(1);
  });

  it('refuses stream delete and purge to every service user, and lets ops delete a stream', async () => {
    for (const user of ['market-data', 'signal-engine', 'risk-guard', 'execution', 'reporting', 'ops-gateway'] as const) {
      const jsm = await jetstreamManager(await connectAs(user));
      expect(await refusedSubject(jsm.streams.delete('EXEC_CMD'))).toBe('$JS.API.STREAM.DELETE.EXEC_CMD');
      expect(await refusedSubject(jsm.streams.purge('EXEC_CMD'))).toBe('$JS.API.STREAM.PURGE.EXEC_CMD');
    }
    expect(await messagesIn('EXEC_CMD')).toBe(1);
    const ops = await jetstreamManager(await connectAs('ops'));
    expect(await ops.streams.delete('EXEC_CMD')).toBe(true);
    await expect(ops.streams.info('EXEC_CMD')).rejects.toThrow(/stream not found/i);
  });

  it('lets each service provision the streams and consumers its module declares', async () => {
    for (const [user, declared] of Object.entries(declaredProvisioning())) {
      const jsm = await jetstreamManager(await connectAs(user as User));
      for (const stream of declared.streams) {
        await expect(ensureStream(jsm, Streams[stream], { replicas: 1 })).resolves.toMatch(/created|unchanged/);
      }
      for (const consumer of declared.consumers) await expect(ensureConsumer(jsm, consumer)).resolves.toMatch(/created|unchanged/);
    }
  });

  it('refuses a service creating or changing a stream it does not own', async () => {
    const jsm = await jetstreamManager(await connectAs('signal-engine'));
    // A stream sourcing EXEC_CMD would be a copy of every order command.
    expect(await refusedSubject(jsm.streams.add({ name: 'ROGUE', subjects: ['rogue.>'], sources: [{ name: 'EXEC_CMD' }] }))).toBe('$JS.API.STREAM.CREATE.ROGUE');
    expect(await refusedSubject(jsm.streams.update('EXEC_CMD', { max_age: 1_000_000_000 }))).toBe('$JS.API.STREAM.UPDATE.EXEC_CMD');
    await expect(jsm.streams.info('ROGUE')).rejects.toThrow(/stream not found/i);
  });
});

describe('NATS server configuration files', () => {
  const check = (file: string, env: NodeJS.ProcessEnv) => promisify(execFile)(natsServerBinary, ['-t', '-c', path.join(natsDir, file)], { env });

  it('accepts the Kubernetes cluster configuration (nats-server -t)', async () => {
    const { stdout, stderr } = await check('nats-cluster.conf', { ...server.env, POD_NAME: 'nats-0' });
    expect(`${stdout}${stderr}`).toMatch(/configuration file .*nats-cluster\.conf is valid/);
  });

  it('refuses to start when a user has no password variable', async () => {
    const env: NodeJS.ProcessEnv = { ...server.env, NATS_STORE_DIR: '/tmp/unused' };
    delete env[natsPasswordVariable('execution')];
    await expect(check('nats-server.conf', env)).rejects.toMatchObject({ stderr: expect.stringContaining('NATS_PASSWORD_EXECUTION') });
  });
});

/**
 * What each service provisions at boot, read from its module (`streams: [...]` and
 * `Consumers.<name>` in apps/<service>/src/<service>.module.ts), so a service that starts using a
 * new stream fails here before it fails on a cluster.
 */
function declaredProvisioning(): Record<string, { streams: StreamName[]; consumers: ConsumerSpec[] }> {
  const services = ['market-data', 'signal-engine', 'risk-guard', 'execution', 'reporting', 'ops-gateway', 'mt5-simulator'];
  return Object.fromEntries(services.map((service) => {
    const source = readFileSync(path.join(root, 'apps', service, 'src', `${service}.module.ts`), 'utf8');
    const list = /streams:\s*\[([^\]]*)\]/.exec(source);
    if (!list) throw new Error(`${service}.module.ts: no "streams: [...]" found; update this test's reader`);
    const streams = [...list[1]!.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] as StreamName);
    const consumers = [...source.matchAll(/Consumers\.(\w+)/g)].map(([, name]) => {
      const entry = Consumers[name as keyof typeof Consumers];
      return typeof entry === 'function' ? entry('acct1') : entry;
    });
    for (const stream of streams) if (!(stream in Streams)) throw new Error(`${service}: unknown stream ${stream}`);
    return [service, { streams, consumers }];
  }));
}
