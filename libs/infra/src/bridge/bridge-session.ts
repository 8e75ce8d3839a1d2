import { EventEmitter } from 'node:events';
import type { BridgeBody, BridgeFrame, BridgeFrameKind, ErrorCode } from '@mt5/contracts';
import type { BridgeCloseInfo, BridgeConnection, BridgeProtocolError } from './bridge-connection.js';
import type { BridgeReplyKind, BridgeRequestKind } from './bridge-errors.js';

type SessionEvents = {
  /** Unsolicited frames from the terminal (tick, trade_transaction, pushed account, late replies). */
  frame: [frame: BridgeFrame];
  'protocol-error': [error: BridgeProtocolError];
  close: [info: BridgeCloseInfo];
};

/** An authenticated terminal connection, as the gateway sees it. */
export class BridgeSession extends EventEmitter<SessionEvents> {
  readonly openedAt = Date.now();

  constructor(
    private readonly connection: BridgeConnection,
    /** The terminal's hello (account, login, server, eaInstanceId, margin mode, …). */
    readonly hello: BridgeBody<'hello'>,
    readonly sessionId: string,
  ) {
    super();
    connection.on('frame', (frame) => this.emit('frame', frame));
    connection.on('protocol-error', (error) => this.emit('protocol-error', error));
    connection.once('close', (info) => this.emit('close', info));
  }

  get account(): string {
    return this.hello.account;
  }

  get isClosed(): boolean {
    return this.connection.isClosed;
  }

  /** Round trip of the last heartbeat, milliseconds. */
  get lastRoundTripMs(): number | undefined {
    return this.connection.lastRoundTripMs;
  }

  /** See {@link BridgeConnection.request}: check `sent` on failure before deciding about a trade. */
  request<K extends BridgeRequestKind>(kind: K, body: BridgeBody<K>, timeoutMs: number): Promise<BridgeFrame<BridgeReplyKind<K>>> {
    return this.connection.request(kind, body, timeoutMs);
  }

  /** Sends a frame that expects no reply (`ticks_subscribe`); returns its id. */
  send<K extends BridgeFrameKind>(kind: K, body: BridgeBody<K>): string {
    return this.connection.send(kind, body);
  }

  close(reason?: { code?: ErrorCode; reason: string }): void {
    this.connection.close(reason);
  }
}
