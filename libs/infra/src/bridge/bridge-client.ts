import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import {
  BRIDGE_PROTOCOL_VERSION,
  DEFAULT_MAX_FRAME_BYTES,
  type BridgeBody,
  type BridgeFrame,
  type BridgeFrameKind,
  type ErrorCode,
} from '@mt5/contracts';
import { BridgeConnection, type BridgeCloseInfo, type BridgeProtocolError } from './bridge-connection.js';
import { BridgeRequestError, type BridgeReplyKind, type BridgeRequestKind } from './bridge-errors.js';
import { helloHmac } from './hello-auth.js';

/** TLS for the dialling side. */
export interface BridgeClientTlsOptions {
  /** PEM of the CA (or the self-signed gateway certificate) to trust; default: the system store. */
  readonly caPath?: string;
  /** Name the gateway certificate must carry; default the host. */
  readonly servername?: string;
}

export interface BridgeReconnectOptions {
  /** First delay after a drop; default 250 ms. */
  readonly initialDelayMs?: number;
  /** Cap; default 15 000 ms. */
  readonly maxDelayMs?: number;
  /** Growth per failed attempt; default 2. */
  readonly factor?: number;
}

/** What the terminal says about itself in `hello`; the HMAC and version are added by the client. */
export type BridgeHelloIdentity = Omit<BridgeBody<'hello'>, 'hmac' | 'protocolVersion'>;

export interface BridgeClientOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: BridgeClientTlsOptions;
  readonly secret: string;
  /** Read at every handshake, so a reconnect reports the current state. */
  readonly identity: () => BridgeHelloIdentity;
  /** Body of the terminal's heartbeats (terminal connected, trading allowed, time offset). */
  readonly heartbeatBody?: () => BridgeBody<'heartbeat'>;
  readonly reconnect?: BridgeReconnectOptions;
  /** Time from connect to `welcome`; default 10 000 ms. */
  readonly handshakeTimeoutMs?: number;
  readonly maxFrameBytes?: number;
  readonly now?: () => number;
}

type ClientEvents = {
  /** Handshake done: the session is open. */
  open: [welcome: BridgeBody<'welcome'>];
  /** Requests and other frames from the gateway once the session is open. */
  frame: [frame: BridgeFrame];
  'protocol-error': [error: BridgeProtocolError];
  /** The session (or a connection attempt) ended; the client reconnects unless stopped or suspended. */
  close: [info: BridgeCloseInfo];
  'handshake-failed': [failure: { readonly code: ErrorCode | string; readonly message: string }];
};

/**
 * The terminal side of the bridge, as the EA behaves: dials the gateway, answers the challenge
 * with the HMAC of its nonce, waits for `welcome`, then serves requests and pushes ticks and
 * transactions. Reconnects with exponential backoff (jittered ±20%) until stopped.
 */
export class BridgeClient extends EventEmitter<ClientEvents> {
  private connection: BridgeConnection | undefined;
  private open = false;
  private running = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private resumeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BridgeClientOptions) {
    super();
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Starts dialling (and redialling after every drop). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.dial();
  }

  /** Stops redialling and closes the connection. */
  stop(): void {
    this.running = false;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.resumeTimer);
    this.connection?.close({ reason: 'terminal stopping' });
  }

  /** Cuts the connection without a goodbye; the client redials as after a network drop. */
  dropConnection(reason = 'connection dropped'): void {
    this.connection?.destroy(reason);
  }

  /**
   * Cuts the connection and stays silent for `forMs` (a crashed terminal), then dials again;
   * `forMs` undefined stays down until {@link start}.
   */
  suspend(forMs?: number): void {
    this.running = false;
    clearTimeout(this.reconnectTimer);
    this.connection?.destroy('terminal suspended');
    if (forMs !== undefined) this.resumeTimer = setTimeout(() => this.start(), forMs);
  }

  /** Sends an unsolicited frame (tick, trade_transaction, account); false when no session is open. */
  send<K extends BridgeFrameKind>(kind: K, body: BridgeBody<K>): boolean {
    if (!this.open || !this.connection) return false;
    this.connection.send(kind, body);
    return true;
  }

  /** Answers a gateway request; false when the session closed meanwhile. */
  reply<K extends BridgeFrameKind>(to: BridgeFrame, kind: K, body: BridgeBody<K>): boolean {
    if (!this.open || !this.connection) return false;
    this.connection.reply(to, kind, body);
    return true;
  }

  replyError(to: BridgeFrame, code: ErrorCode | string, message: string): void {
    if (this.open) this.connection?.sendError(code, message, to.id);
  }

  request<K extends BridgeRequestKind>(kind: K, body: BridgeBody<K>, timeoutMs: number): Promise<BridgeFrame<BridgeReplyKind<K>>> {
    if (!this.open || !this.connection) {
      return Promise.reject(new BridgeRequestError('BRIDGE.NOT_CONNECTED', `cannot send ${kind}: no session`, { sent: false, kind }));
    }
    return this.connection.request(kind, body, timeoutMs);
  }

  private dial(): void {
    const { host, port, tls } = this.options;
    const socket: Socket = tls
      ? connectTls({ host, port, servername: tls.servername ?? host, ...(tls.caPath ? { ca: readFileSync(tls.caPath) } : {}) })
      : connectTcp({ host, port });
    const connection = new BridgeConnection({
      socket, idPrefix: 't', maxFrameBytes: this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, now: this.options.now,
      heartbeatBody: this.options.heartbeatBody,
    });
    this.connection = connection;
    const handshakeMs = this.options.handshakeTimeoutMs ?? 10_000;
    const timer = setTimeout(() => connection.close({ code: 'BRIDGE.HANDSHAKE_TIMEOUT', reason: `no welcome within ${handshakeMs} ms` }), handshakeMs);
    timer.unref();
    connection.on('protocol-error', (error) => this.emit('protocol-error', error));
    connection.on('frame', (frame) => {
      if (this.open) {
        this.emit('frame', frame);
        return;
      }
      this.handshakeStep(connection, frame, timer);
    });
    connection.once('close', (info) => {
      clearTimeout(timer);
      const wasOpen = this.open;
      this.open = false;
      if (this.connection === connection) this.connection = undefined;
      if (wasOpen) this.emit('close', info);
      this.scheduleReconnect();
    });
  }

  private handshakeStep(connection: BridgeConnection, frame: BridgeFrame, timer: NodeJS.Timeout): void {
    if (frame.kind === 'challenge') {
      if (!frame.body.protocolVersions.includes(BRIDGE_PROTOCOL_VERSION)) {
        this.emit('handshake-failed', { code: 'BRIDGE.UNSUPPORTED_VERSION', message: `gateway speaks ${frame.body.protocolVersions.join(',')}` });
        connection.close({ code: 'BRIDGE.UNSUPPORTED_VERSION', reason: `this terminal speaks protocol ${BRIDGE_PROTOCOL_VERSION}` });
        return;
      }
      const hmac = helloHmac(this.options.secret, frame.body.nonce);
      connection.reply(frame, 'hello', { ...this.options.identity(), protocolVersion: BRIDGE_PROTOCOL_VERSION, hmac });
    } else if (frame.kind === 'welcome') {
      clearTimeout(timer);
      this.open = true;
      this.attempt = 0;
      connection.startHeartbeat(frame.body.heartbeatIntervalMs);
      this.emit('open', frame.body);
    } else if (frame.kind === 'error') {
      this.emit('handshake-failed', { code: frame.body.code, message: frame.body.message });
    }
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    const { initialDelayMs = 250, maxDelayMs = 15_000, factor = 2 } = this.options.reconnect ?? {};
    const base = Math.min(maxDelayMs, initialDelayMs * factor ** this.attempt);
    this.attempt++;
    // Jitter spreads the redials of many terminals after a gateway restart.
    const delay = Math.round(base * (0.8 + 0.4 * Math.random()));
    this.reconnectTimer = setTimeout(() => {
      if (this.running) this.dial();
    }, delay);
  }
}
