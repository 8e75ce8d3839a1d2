import type { AddressInfo } from 'node:net';
import type { BridgeBody, BridgeFrame, BridgeOrder, BridgePosition, TradeRequestBody, TradeResultBody } from '@mt5/contracts';
import { BridgeServer, type BridgeReplyKind, type BridgeRequestKind, type BridgeServerTlsOptions, type BridgeSession } from '@mt5/infra/bridge';
import { BridgeRequestError } from '@mt5/infra/bridge';
import type { Logger } from '@mt5/infra/logging';
import type { TerminalPort } from '../../application/ports.js';

export interface BridgeLinkOptions {
  readonly account: string;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly secret: string;
  readonly tls?: BridgeServerTlsOptions;
  readonly heartbeatIntervalMs: number;
  readonly tradeTimeoutMs: number;
  readonly queryTimeoutMs: number;
  readonly tradingMode: 'paper' | 'live';
  readonly logger: Logger;
}

export interface BridgeLinkEvents {
  connected(session: BridgeSession): void;
  disconnected(reason: string): void;
  /** An unsolicited frame (tick, trade_transaction, pushed account, a late reply). */
  frame(frame: BridgeFrame, session: BridgeSession): void;
}

/**
 * The gateway's end of the bridge for one account: listens for the terminal (the EA or the
 * simulator dials in), keeps the newest authenticated session, and exposes it as the
 * {@link TerminalPort}. Broker server time is converted with the offset the terminal reported in
 * its hello.
 */
export class BridgeLink implements TerminalPort {
  private readonly server: BridgeServer;
  private current: BridgeSession | undefined;
  private offsetMs = 0;
  /** Latest reading of the terminal's clock and when (gateway monotonic ms) it was taken. */
  private clockReading: { serverMs: number; at: number } | undefined;

  constructor(private readonly options: BridgeLinkOptions, private readonly events: BridgeLinkEvents) {
    this.server = new BridgeServer({
      host: options.host, port: options.port, tls: options.tls, heartbeatIntervalMs: options.heartbeatIntervalMs,
      secretFor: (account) => (account === options.account ? options.secret : undefined),
      // A terminal that restarted while its old connection is still half-open takes over at once.
      duplicateSession: 'replace',
    });
    this.server.on('session', (session) => this.opened(session));
    this.server.on('session-closed', (session, info) => {
      if (session !== this.current) return;
      this.current = undefined;
      options.logger.warn({ sessionId: session.sessionId, reason: info.reason, code: info.code }, 'terminal session closed');
      this.events.disconnected(info.reason);
    });
    this.server.on('handshake-failed', (failure) => options.logger.warn(failure, 'terminal handshake refused'));
  }

  async start(): Promise<AddressInfo> {
    const address = await this.server.listen();
    const log = this.options.logger;
    if (this.options.tradingMode === 'live') {
      log.warn({ account: this.options.account, port: address.port }, 'LIVE TRADING: orders for this account go to a real MT5 terminal and broker');
    } else {
      log.info({ account: this.options.account, port: address.port }, 'paper trading: waiting for the simulator (or a demo terminal) to connect');
    }
    return address;
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  /** The open session, if any. */
  get session(): BridgeSession | undefined {
    return this.current && !this.current.isClosed ? this.current : undefined;
  }

  isConnected(): boolean {
    return this.session !== undefined;
  }

  trade(request: TradeRequestBody): Promise<TradeResultBody> {
    return this.request('trade_request', request, this.options.tradeTimeoutMs);
  }

  async account(): Promise<BridgeBody<'account'>> {
    const body = await this.request('account_request', {}, this.options.queryTimeoutMs);
    this.observeServerTime(body.time);
    return body;
  }

  async positions(filter: BridgeBody<'positions_request'> = {}): Promise<BridgePosition[]> {
    return (await this.request('positions_request', filter, this.options.queryTimeoutMs)).positions;
  }

  async orders(filter: BridgeBody<'orders_request'> = {}): Promise<BridgeOrder[]> {
    return (await this.request('orders_request', filter, this.options.queryTimeoutMs)).orders;
  }

  deals(request: BridgeBody<'deals_request'>): Promise<BridgeBody<'deals'>> {
    return this.request('deals_request', request, this.options.queryTimeoutMs);
  }

  symbols(symbols: readonly string[]): Promise<BridgeBody<'symbol_spec'>> {
    return this.request('symbols_request', symbols.length > 0 ? { symbols: [...symbols] } : {}, this.options.queryTimeoutMs);
  }

  bars(request: BridgeBody<'bars_request'>): Promise<BridgeBody<'bars'>> {
    return this.request('bars_request', request, this.options.queryTimeoutMs);
  }

  /** Sends `ticks_subscribe`; false without a session. */
  subscribeTicks(symbols: readonly string[]): boolean {
    const session = this.session;
    if (!session) return false;
    session.send('ticks_subscribe', { symbols: [...symbols] });
    return true;
  }

  serverNow(): number {
    const reading = this.clockReading;
    return reading ? reading.serverMs + Math.round(performance.now() - reading.at) : Date.now() + this.offsetMs;
  }

  serverTimeAt(utcMs: number): number {
    return this.serverNow() - Math.max(0, Date.now() - utcMs);
  }

  toUtc(serverMs: number): number {
    return serverMs - this.offsetMs;
  }

  toServer(utcMs: number): number {
    return utcMs + this.offsetMs;
  }

  /** A reading of the terminal's clock (a tick's or the account's time); older readings are ignored. */
  observeServerTime(serverMs: number): void {
    if (!this.clockReading || serverMs >= this.clockReading.serverMs) this.clockReading = { serverMs, at: performance.now() };
  }

  private opened(session: BridgeSession): void {
    const hello = session.hello;
    if (hello.account !== this.options.account) {
      session.close({ code: 'BRIDGE.ACCOUNT_MISMATCH', reason: `this gateway serves ${this.options.account}` });
      return;
    }
    this.current = session;
    this.offsetMs = hello.serverTimeOffsetSeconds * 1000;
    this.clockReading = undefined;
    const level = this.options.tradingMode === 'live' ? 'warn' : 'info';
    this.options.logger[level]({
      sessionId: session.sessionId, login: hello.login, server: hello.server, company: hello.company, eaVersion: hello.eaVersion,
      marginMode: hello.marginMode, tradeAllowed: hello.tradeAllowed, mode: this.options.tradingMode,
    }, this.options.tradingMode === 'live' ? 'LIVE terminal connected: reconciling before any order' : 'terminal connected: reconciling before any order');
    session.on('frame', (frame) => {
      if (session !== this.current) return;
      if (frame.kind === 'tick' || frame.kind === 'account') this.observeServerTime(frame.body.time);
      this.events.frame(frame, session);
    });
    session.on('protocol-error', (error) => this.options.logger.warn(error, 'bridge protocol error (session kept)'));
    this.events.connected(session);
  }

  private async request<K extends BridgeRequestKind>(kind: K, body: BridgeBody<K>, timeoutMs: number): Promise<BridgeBody<BridgeReplyKind<K>>> {
    const session = this.session;
    if (!session) throw new BridgeRequestError('BRIDGE.NOT_CONNECTED', `${kind} not sent: no terminal session for ${this.options.account}`, { sent: false, kind });
    const reply = (await session.request(kind, body, timeoutMs)) as unknown as { body: BridgeBody<BridgeReplyKind<K>> };
    return reply.body;
  }
}
