import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { BridgeClient, type BridgeClientOptions } from './bridge-client.js';
import type { BridgeCloseInfo } from './bridge-connection.js';
import { BridgeServer, type BridgeServerOptions } from './bridge-server.js';
import type { BridgeSession } from './bridge-session.js';
import { helloIdentityExample, listenRaw, RawBridgePeer, until } from './raw-bridge-peer.fixture.js';

const SECRET = 'test-secret-0123456789';
const ACCOUNT = helloIdentityExample.account;
const { protocolVersion: _version, ...identity } = helloIdentityExample;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(options: Partial<BridgeServerOptions> = {}) {
  const server = new BridgeServer({ port: 0, secretFor: (account) => (account === ACCOUNT ? SECRET : undefined), ...options });
  const { port } = await server.listen();
  cleanups.push(() => server.close());
  return { server, port };
}

function startClient(port: number, options: Partial<BridgeClientOptions> = {}) {
  const client = new BridgeClient({
    host: '127.0.0.1', port, secret: SECRET, identity: () => identity,
    heartbeatBody: () => ({ terminalConnected: true, tradeAllowed: true }),
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, ...options,
  });
  cleanups.push(() => client.stop());
  client.start();
  return client;
}

const nextSession = (server: BridgeServer) => new Promise<BridgeSession>((resolve) => server.once('session', resolve));

describe('BridgeClient', () => {
  it('answers the challenge, opens a session and serves a gateway request', async () => {
    const { server, port } = await startServer();
    const sessionOpened = nextSession(server);
    const client = startClient(port);
    client.on('frame', (frame) => {
      if (frame.kind === 'positions_request') client.reply(frame, 'positions', { positions: [] });
    });
    const session = await sessionOpened;
    expect(session.hello).toMatchObject({ account: ACCOUNT, eaInstanceId: identity.eaInstanceId, protocolVersion: 1 });
    await until(() => client.isOpen);
    await expect(session.request('positions_request', {}, 1000)).resolves.toMatchObject({ kind: 'positions', body: { positions: [] } });
  });

  it('pushes unsolicited frames to the gateway session', async () => {
    const { server, port } = await startServer();
    const sessionOpened = nextSession(server);
    const client = startClient(port);
    const session = await sessionOpened;
    await until(() => client.isOpen);
    const ticks: unknown[] = [];
    session.on('frame', (frame) => ticks.push(frame.body));
    expect(client.send('tick', { symbol: 'EURUSD', time: 1, bid: 1.1, ask: 1.10002 })).toBe(true);
    await until(() => ticks.length === 1);
    expect(ticks[0]).toEqual({ symbol: 'EURUSD', time: 1, bid: 1.1, ask: 1.10002 });
  });

  it('never opens with a wrong secret and keeps retrying with backoff', async () => {
    const { server, port } = await startServer();
    const failures: string[] = [];
    server.on('handshake-failed', (failure) => failures.push(failure.code));
    const client = startClient(port, { secret: 'wrong-secret-wrong-secret' });
    await until(() => failures.length >= 2, 3000);
    expect(new Set(failures)).toEqual(new Set(['BRIDGE.AUTH_FAILED']));
    expect(client.isOpen).toBe(false);
  });

  it('reconnects after the gateway drops the session', async () => {
    const { server, port } = await startServer();
    const first = nextSession(server);
    const client = startClient(port);
    const firstSession = await first;
    const second = nextSession(server);
    firstSession.close({ reason: 'test drop' });
    const secondSession = await second;
    expect(secondSession.sessionId).not.toBe(firstSession.sessionId);
    await until(() => client.isOpen);
  });

  it('keeps an idle session open with heartbeats both ways and measures the round trip', async () => {
    const { server, port } = await startServer({ heartbeatIntervalMs: 25, heartbeatTimeoutMs: 100 });
    const opened = nextSession(server);
    const client = startClient(port);
    const session = await opened;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(session.isClosed).toBe(false);
    expect(client.isOpen).toBe(true);
    expect(session.lastRoundTripMs).toBeGreaterThanOrEqual(0);
  });

  it('drops a gateway that stops answering heartbeats with BRIDGE.HEARTBEAT_TIMEOUT', async () => {
    let gateway: RawBridgePeer | undefined;
    const { server, port } = await listenRaw((socket) => {
      gateway = RawBridgePeer.wrap(socket);
      gateway.writeFrame({ v: 1, kind: 'challenge', id: 'g-1', ts: 1, body: { nonce: 'ab'.repeat(32), protocolVersions: [1] } });
      void gateway.kind('hello').then((hello) => gateway!.writeFrame({ v: 1, kind: 'welcome', id: 'g-2', replyTo: hello.id, ts: 1, body: { sessionId: 's', heartbeatIntervalMs: 30, maxFrameBytes: 1_048_576 } }));
    });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    cleanups.push(() => gateway?.close());
    const client = startClient(port, { reconnect: { initialDelayMs: 5000 } });
    const closed = new Promise<BridgeCloseInfo>((resolve) => client.once('close', resolve));
    await expect(closed).resolves.toMatchObject({ code: 'BRIDGE.HEARTBEAT_TIMEOUT', byPeer: false });
  });

  it('suspends like a crashed terminal and comes back after the pause', async () => {
    const { server, port } = await startServer();
    const first = nextSession(server);
    const client = startClient(port);
    await first;
    await until(() => client.isOpen);
    const second = nextSession(server);
    client.suspend(150);
    expect(client.isOpen).toBe(false);
    const startedAt = Date.now();
    await second;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(140);
  });

  it('speaks the protocol over TLS with a self-signed gateway certificate', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bridge-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const certPath = path.join(dir, 'cert.pem');
    const keyPath = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    const { server, port } = await startServer({ tls: { certPath, keyPath } });
    const opened = nextSession(server);
    const client = startClient(port, { tls: { caPath: certPath, servername: 'localhost' } });
    client.on('frame', (frame) => {
      if (frame.kind === 'orders_request') client.reply(frame, 'orders', { orders: [] });
    });
    const session = await opened;
    await until(() => client.isOpen);
    await expect(session.request('orders_request', {}, 1000)).resolves.toMatchObject({ kind: 'orders' });
  });
});
