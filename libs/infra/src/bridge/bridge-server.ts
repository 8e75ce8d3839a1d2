import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import {
  BRIDGE_PROTOCOL_VERSION,
  DEFAULT_MAX_FRAME_BYTES,
  type BridgeBody,
  type BridgeFrame,
  type ErrorCode,
} from '@mt5/contracts';
import { BridgeConnection, type BridgeCloseInfo } from './bridge-connection.js';
import { newNonce, verifyHelloHmac } from './hello-auth.js';
import { BridgeSession } from './bridge-session.js';

/** TLS for the listening side: PEM files of the gateway's certificate and key. */
export interface BridgeServerTlsOptions {
  readonly certPath: string;
  readonly keyPath: string;
}

/** What to do when a second terminal says hello for an account that already has a session. */
export const DuplicateSessionPolicies = ['refuse', 'replace'] as const;
export type DuplicateSessionPolicy = (typeof DuplicateSessionPolicies)[number];

export interface BridgeServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly tls?: BridgeServerTlsOptions;
  /** The shared secret of an account, undefined when the account is not served here. */
  readonly secretFor: (account: string) => string | undefined;
  /**
   * Extra checks on an authenticated hello (login matches the configured account, trading
   * allowed, …): return an error to refuse the session.
   */
  readonly checkHello?: (hello: BridgeBody<'hello'>) => { readonly code: ErrorCode; readonly message: string } | undefined;
  /**
   * `refuse` (default): the existing session stays, the newcomer gets BRIDGE.DUPLICATE_SESSION and
   * is closed. A terminal whose old connection is half-open gets in once the gateway's heartbeat
   * timeout drops it (three intervals). `replace`: the old session is closed with
   * BRIDGE.DUPLICATE_SESSION and the newcomer takes over.
   */
  readonly duplicateSession?: DuplicateSessionPolicy;
  /** Default 5000 ms; sent to the terminal in `welcome`. */
  readonly heartbeatIntervalMs?: number;
  /** Silence that closes a session; default three intervals. */
  readonly heartbeatTimeoutMs?: number;
  /** Time from connect to a valid hello; default 10 000 ms. */
  readonly handshakeTimeoutMs?: number;
  readonly maxFrameBytes?: number;
  readonly now?: () => number;
}

/** A connection that did not become a session, and why. */
export interface BridgeHandshakeFailure {
  readonly remoteAddress: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly account?: string;
}

type ServerEvents = {
  /** A terminal passed the handshake; the session is open. */
  session: [session: BridgeSession];
  'session-closed': [session: BridgeSession, info: BridgeCloseInfo];
  'handshake-failed': [failure: BridgeHandshakeFailure];
  /** The listening socket failed after it was bound (the server keeps its sessions). */
  'server-error': [error: Error];
};

/**
 * The gateway side of the bridge: listens, challenges every connection with a fresh nonce,
 * verifies the hello (HMAC-SHA256 of the nonce with the account's secret, in constant time, and
 * the protocol version), answers `welcome`, and keeps one session per account.
 */
export class BridgeServer extends EventEmitter<ServerEvents> {
  private server: Server | undefined;
  private readonly sessions = new Map<string, BridgeSession>();
  private readonly connections = new Set<BridgeConnection>();
  private readonly heartbeatIntervalMs: number;
  private readonly maxFrameBytes: number;

  constructor(private readonly options: BridgeServerOptions) {
    super();
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 5000;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Starts listening; resolves with the bound address (the port when 0 was asked). */
  async listen(): Promise<AddressInfo> {
    const onSocket = (socket: Socket) => this.accept(socket);
    const tls = this.options.tls;
    const server = tls
      ? createTlsServer({ cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) }, onSocket)
      : createTcpServer(onSocket);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        server.on('error', (error) => this.emit('server-error', error));
        resolve();
      });
    });
    return server.address() as AddressInfo;
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    for (const connection of this.connections) connection.close({ reason: 'gateway stopping' });
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The open session of an account. */
  session(account: string): BridgeSession | undefined {
    return this.sessions.get(account);
  }

  openSessions(): BridgeSession[] {
    return [...this.sessions.values()];
  }

  private accept(socket: Socket): void {
    const connection = new BridgeConnection({ socket, idPrefix: 'g', maxFrameBytes: this.maxFrameBytes, now: this.options.now });
    this.connections.add(connection);
    connection.once('close', () => this.connections.delete(connection));
    const nonce = newNonce();
    const challengeId = connection.send('challenge', { nonce, protocolVersions: [BRIDGE_PROTOCOL_VERSION] });
    const refuse = (code: ErrorCode, message: string, account?: string) => {
      clearTimeout(timer);
      this.emit('handshake-failed', { remoteAddress: connection.remoteAddress, code, message, ...(account ? { account } : {}) });
      connection.close({ code, reason: message });
    };
    const timer = setTimeout(() => refuse('BRIDGE.HANDSHAKE_TIMEOUT', `no valid hello within ${this.options.handshakeTimeoutMs ?? 10_000} ms`), this.options.handshakeTimeoutMs ?? 10_000);
    timer.unref();
    connection.once('close', () => clearTimeout(timer));
    // Before the hello, a frame of another protocol version means the terminal cannot talk to us.
    const onProtocolError = (error: { code: ErrorCode; message: string }) => {
      if (error.code === 'BRIDGE.UNSUPPORTED_VERSION') refuse(error.code, error.message);
    };
    connection.on('protocol-error', onProtocolError);
    const onFrame = (frame: BridgeFrame) => {
      if (frame.kind === 'hello') {
        connection.off('frame', onFrame);
        connection.off('protocol-error', onProtocolError);
        clearTimeout(timer);
        this.onHello(connection, frame, challengeId, nonce, refuse);
      } else if (frame.kind !== 'heartbeat' && frame.kind !== 'error') {
        connection.sendError('BRIDGE.UNEXPECTED_FRAME', `${frame.kind} before hello`, frame.id);
      }
    };
    connection.on('frame', onFrame);
  }

  private onHello(
    connection: BridgeConnection,
    frame: BridgeFrame<'hello'>,
    challengeId: string,
    nonce: string,
    refuse: (code: ErrorCode, message: string, account?: string) => void,
  ): void {
    const hello = frame.body;
    if (frame.replyTo !== challengeId) {
      refuse('BRIDGE.AUTH_FAILED', 'hello must answer the challenge (replyTo = challenge id)', hello.account);
      return;
    }
    if (!verifyHelloHmac(this.options.secretFor(hello.account), nonce, hello.hmac)) {
      refuse('BRIDGE.AUTH_FAILED', 'hello hmac does not match', hello.account);
      return;
    }
    const problem = this.options.checkHello?.(hello);
    if (problem) {
      refuse(problem.code, problem.message, hello.account);
      return;
    }
    const existing = this.sessions.get(hello.account);
    if (existing && !existing.isClosed) {
      if ((this.options.duplicateSession ?? 'refuse') === 'refuse') {
        refuse('BRIDGE.DUPLICATE_SESSION', `account ${hello.account} already has session ${existing.sessionId}`, hello.account);
        return;
      }
      existing.close({ code: 'BRIDGE.DUPLICATE_SESSION', reason: 'replaced by a newer terminal connection' });
    }
    const sessionId = `sess-${randomBytes(8).toString('hex')}`;
    const session = new BridgeSession(connection, hello, sessionId);
    this.sessions.set(hello.account, session);
    connection.reply(frame, 'welcome', { sessionId, heartbeatIntervalMs: this.heartbeatIntervalMs, maxFrameBytes: this.maxFrameBytes });
    connection.startHeartbeat(this.heartbeatIntervalMs, this.options.heartbeatTimeoutMs ?? this.heartbeatIntervalMs * 3);
    connection.once('close', (info) => {
      if (this.sessions.get(hello.account) === session) this.sessions.delete(hello.account);
      this.emit('session-closed', session, info);
    });
    this.emit('session', session);
  }
}
