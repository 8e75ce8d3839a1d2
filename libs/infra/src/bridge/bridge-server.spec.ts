import { afterEach, describe, expect, it } from '@jest/globals';
import type { BridgeFrame } from '@mt5/contracts';
import { BridgeServer, type BridgeServerOptions } from './bridge-server.js';
import type { BridgeSession } from './bridge-session.js';
import { RawBridgePeer, until } from './raw-bridge-peer.fixture.js';

const SECRET = 'test-secret-0123456789';
const ACCOUNT = '12345678';

const started: { server: BridgeServer; peers: RawBridgePeer[] }[] = [];

async function startServer(options: Partial<BridgeServerOptions> = {}) {
  const server = new BridgeServer({ port: 0, secretFor: (account) => (account === ACCOUNT ? SECRET : undefined), ...options });
  const { port } = await server.listen();
  const context = { server, peers: [] as RawBridgePeer[] };
  started.push(context);
  const connect = async () => {
    const peer = await RawBridgePeer.connect(port);
    context.peers.push(peer);
    return peer;
  };
  return { server, port, connect };
}

function nextSession(server: BridgeServer): Promise<BridgeSession> {
  return new Promise((resolve) => server.once('session', resolve));
}

afterEach(async () => {
  for (const { server, peers } of started.splice(0)) {
    peers.forEach((peer) => peer.close());
    await server.close();
  }
});

describe('BridgeServer handshake', () => {
  it('opens a session when the hello carries the HMAC of the nonce', async () => {
    const { server, connect } = await startServer({ heartbeatIntervalMs: 1000 });
    const peer = await connect();
    const challenge = await peer.kind('challenge');
    expect(challenge.body).toEqual({ nonce: expect.stringMatching(/^[0-9a-f]{64}$/), protocolVersions: [1] });
    const sessionOpened = nextSession(server);
    const welcome = await peer.handshake(SECRET);
    expect(welcome).toMatchObject({ kind: 'welcome', replyTo: 't-1', body: { heartbeatIntervalMs: 1000, maxFrameBytes: 1_048_576 } });
    const session = await sessionOpened;
    expect(session.account).toBe(ACCOUNT);
    expect(server.session(ACCOUNT)).toBe(session);
  });

  it('refuses a wrong secret with BRIDGE.AUTH_FAILED and closes the connection', async () => {
    const { server, connect } = await startServer();
    const failures: string[] = [];
    server.on('handshake-failed', (failure) => failures.push(failure.code));
    const peer = await connect();
    expect(await peer.handshake('not-the-secret-at-all')).toMatchObject({ kind: 'error', body: { code: 'BRIDGE.AUTH_FAILED' } });
    await peer.waitClosed();
    expect(failures).toEqual(['BRIDGE.AUTH_FAILED']);
    expect(server.session(ACCOUNT)).toBeUndefined();
  });

  it('refuses an account it does not serve exactly like a wrong secret', async () => {
    const { connect } = await startServer();
    const peer = await connect();
    expect(await peer.handshake(SECRET, '99999')).toMatchObject({ kind: 'error', body: { code: 'BRIDGE.AUTH_FAILED', message: 'hello hmac does not match' } });
  });

  it('refuses a hello of another protocol version and closes', async () => {
    const { connect } = await startServer();
    const peer = await connect();
    await peer.kind('challenge');
    peer.writeFrame({ v: 2, kind: 'hello', id: 't-1', ts: 1, body: {} });
    const error = await peer.kind('error');
    expect(error.body).toMatchObject({ code: 'BRIDGE.UNSUPPORTED_VERSION', refId: 't-1' });
    await peer.waitClosed();
  });

  it('closes a connection that sends no hello within the handshake timeout', async () => {
    const { connect } = await startServer({ handshakeTimeoutMs: 100 });
    const peer = await connect();
    const error = await peer.kind('error');
    expect(error.body).toMatchObject({ code: 'BRIDGE.HANDSHAKE_TIMEOUT' });
    await peer.waitClosed();
  });

  it('refuses a second terminal for the same account by default and keeps the first session', async () => {
    const { server, connect } = await startServer();
    const first = await connect();
    await first.handshake(SECRET);
    const second = await connect();
    expect(await second.handshake(SECRET)).toMatchObject({ kind: 'error', body: { code: 'BRIDGE.DUPLICATE_SESSION' } });
    await second.waitClosed();
    expect(first.isClosed).toBe(false);
    expect(server.session(ACCOUNT)?.isClosed).toBe(false);
  });

  it('replaces the old session when configured to', async () => {
    const { server, connect } = await startServer({ duplicateSession: 'replace' });
    const first = await connect();
    await first.handshake(SECRET);
    const oldSession = server.session(ACCOUNT)!;
    const second = await connect();
    await second.handshake(SECRET);
    await first.waitClosed();
    expect(first.frames.find((f) => f.kind === 'error')?.body).toMatchObject({ code: 'BRIDGE.DUPLICATE_SESSION' });
    expect(oldSession.isClosed).toBe(true);
    expect(server.session(ACCOUNT)).not.toBe(oldSession);
  });
});

describe('BridgeServer frames on an open session', () => {
  async function openSession(options: Partial<BridgeServerOptions> = {}) {
    const { server, connect } = await startServer(options);
    const peer = await connect();
    const opened = nextSession(server);
    await peer.handshake(SECRET);
    return { server, peer, session: await opened };
  }

  /** Proves the session still works: a request from the gateway gets its answer. */
  async function expectSessionAlive(peer: RawBridgePeer, session: BridgeSession) {
    const reply = session.request('account_request', {}, 1000);
    const request = await peer.kind('account_request');
    peer.writeFrame({ v: 1, kind: 'account', id: 't-99', replyTo: request.id, ts: 1, body: { login: 1, currency: 'USD', balance: 1, equity: 1, margin: 0, freeMargin: 1, marginLevel: null, marginMode: 'HEDGING', leverage: 100, tradeAllowed: true, time: 1 } });
    await expect(reply).resolves.toMatchObject({ kind: 'account', body: { login: 1 } });
  }

  it.each([
    ['a line that is not JSON', '{"v":1,"kind":', 'BRIDGE.MALFORMED'],
    ['a frame of an unknown protocol version', JSON.stringify({ v: 7, kind: 'tick', id: 't-5', ts: 1, body: {} }), 'BRIDGE.UNSUPPORTED_VERSION'],
    ['a frame of an unknown kind', JSON.stringify({ v: 1, kind: 'launch_rockets', id: 't-5', ts: 1, body: {} }), 'BRIDGE.SCHEMA_VIOLATION'],
    ['a tick with a negative price', JSON.stringify({ v: 1, kind: 'tick', id: 't-5', ts: 1, body: { symbol: 'EURUSD', time: 1, bid: -1, ask: 1 } }), 'BRIDGE.SCHEMA_VIOLATION'],
  ])('answers %s with an error frame and keeps the session', async (_name, line, code) => {
    const { peer, session } = await openSession();
    const errors: string[] = [];
    session.on('protocol-error', (error) => errors.push(error.code));
    peer.writeLine(line);
    const error = await peer.kind('error');
    expect((error.body as { code: string }).code).toBe(code);
    expect(errors).toEqual([code]);
    await expectSessionAlive(peer, session);
  });

  it('answers a line over the frame limit with BRIDGE.FRAME_TOO_LARGE, discards it and keeps the session', async () => {
    const { peer, session } = await openSession({ maxFrameBytes: 4096 });
    peer.writeLine(JSON.stringify({ v: 1, kind: 'tick', id: 't-5', ts: 1, body: { symbol: 'x'.repeat(10_000) } }));
    const error = await peer.kind('error');
    expect(error.body).toMatchObject({ code: 'BRIDGE.FRAME_TOO_LARGE' });
    await expectSessionAlive(peer, session);
  });

  it('emits unsolicited frames and answers the peer heartbeat', async () => {
    const { peer, session } = await openSession();
    const frames: BridgeFrame[] = [];
    session.on('frame', (frame) => frames.push(frame));
    peer.writeFrame({ v: 1, kind: 'tick', id: 't-7', ts: 1, body: { symbol: 'EURUSD', time: 1, bid: 1.1, ask: 1.1001 } });
    peer.writeFrame({ v: 1, kind: 'heartbeat', id: 't-8', ts: 1, body: { terminalConnected: true } });
    await peer.next((frame) => frame.kind === 'heartbeat' && frame.replyTo === 't-8');
    expect(frames.map((frame) => frame.kind)).toEqual(['tick']);
  });

  it('rejects a request with the peer error code when the terminal answers with an error frame', async () => {
    const { peer, session } = await openSession();
    const reply = session.request('positions_request', {}, 1000);
    const request = await peer.kind('positions_request');
    peer.writeFrame({ v: 1, kind: 'error', id: 't-9', replyTo: request.id, ts: 1, body: { code: 'EA.NOT_READY', message: 'terminal busy', refId: request.id } });
    await expect(reply).rejects.toMatchObject({ code: 'BRIDGE.UNEXPECTED_FRAME', sent: true, remote: { code: 'EA.NOT_READY' } });
  });

  it('times out a request with sent=true and passes a late reply on as a frame', async () => {
    const { peer, session } = await openSession();
    const late: BridgeFrame[] = [];
    session.on('frame', (frame) => late.push(frame));
    const reply = session.request('trade_request', { action: 'DEAL', symbol: 'EURUSD', volume: 0.1, type: 'BUY', typeFilling: 'IOC', magic: 1, comment: 'c' }, 50);
    await expect(reply).rejects.toMatchObject({ code: 'BRIDGE.REQUEST_TIMEOUT', sent: true });
    const request = await peer.kind('trade_request');
    peer.writeFrame({ v: 1, kind: 'trade_result', id: 't-10', replyTo: request.id, ts: 1, body: { retcode: 10009, deal: '1', order: '2', volume: 0.1, price: 1.1, bid: 1.1, ask: 1.1, comment: '', requestId: 1, retcodeExternal: 0 } });
    await until(() => late.length > 0);
    expect(late).toEqual([expect.objectContaining({ kind: 'trade_result', replyTo: request.id })]);
  });

  it('fails a pending request with NOT_CONNECTED and sent=true when the terminal drops', async () => {
    const { peer, session } = await openSession();
    const reply = session.request('orders_request', {}, 2000);
    await peer.kind('orders_request');
    peer.close();
    await expect(reply).rejects.toMatchObject({ code: 'BRIDGE.NOT_CONNECTED', sent: true });
    await expect(session.request('orders_request', {}, 100)).rejects.toMatchObject({ code: 'BRIDGE.NOT_CONNECTED', sent: false });
  });

  it('closes a session whose terminal went silent with BRIDGE.HEARTBEAT_TIMEOUT', async () => {
    const { server, peer, session } = await openSession({ heartbeatIntervalMs: 40, heartbeatTimeoutMs: 150 });
    const closed = new Promise((resolve) => session.once('close', resolve));
    // The raw peer never answers heartbeats.
    await expect(closed).resolves.toMatchObject({ code: 'BRIDGE.HEARTBEAT_TIMEOUT', byPeer: false });
    expect(peer.frames.filter((f) => f.kind === 'heartbeat').length).toBeGreaterThanOrEqual(2);
    expect((await peer.kind('error')).body).toMatchObject({ code: 'BRIDGE.HEARTBEAT_TIMEOUT' });
    await peer.waitClosed();
    expect(server.session(ACCOUNT)).toBeUndefined();
  });
});
