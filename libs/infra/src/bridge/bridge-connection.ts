import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import {
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  makeFrame,
  parseFrame,
  type BridgeBody,
  type BridgeFrame,
  type BridgeFrameKind,
  type ErrorCode,
} from '@mt5/contracts';
import { BridgeReplyKinds, BridgeRequestError, type BridgeReplyKind, type BridgeRequestKind } from './bridge-errors.js';
import { LineReader } from './line-reader.js';

/** Why a connection ended. */
export interface BridgeCloseInfo {
  /** The bridge error code when the close had one (BRIDGE.HEARTBEAT_TIMEOUT, BRIDGE.AUTH_FAILED, …). */
  readonly code?: ErrorCode;
  readonly reason: string;
  /** True when the peer closed (or the network dropped) rather than this side. */
  readonly byPeer: boolean;
}

/** A frame from the peer this side answered with an `error` frame; the connection stays up. */
export interface BridgeProtocolError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly refId?: string;
}

export interface BridgeConnectionOptions {
  readonly socket: Socket;
  /** Prefix of the ids this side gives its frames (`g` gateway, `t` terminal). */
  readonly idPrefix: string;
  /** Largest line, in UTF-8 bytes including the newline, read or written. Default 1 MiB. */
  readonly maxFrameBytes?: number;
  /** Epoch milliseconds for frame `ts`; tests pass a fake. */
  readonly now?: () => number;
  /** Body of this side's heartbeats (the terminal reports its state in them). */
  readonly heartbeatBody?: () => BridgeBody<'heartbeat'>;
  /** Bytes queued for a peer that does not read before the connection is dropped. Default 16 MiB. */
  readonly maxQueuedWriteBytes?: number;
}

type ConnectionEvents = {
  /** Every frame that is not the reply to one of this side's pending requests or a heartbeat. */
  frame: [frame: BridgeFrame];
  'protocol-error': [error: BridgeProtocolError];
  close: [info: BridgeCloseInfo];
};

interface Pending {
  readonly kind: BridgeRequestKind;
  readonly resolve: (frame: BridgeFrame) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One bridge socket, either side: reads bounded lines, parses frames (a bad frame gets an `error`
 * frame back and the connection survives), writes frames, matches replies to requests by
 * `replyTo`, answers and sends heartbeats and closes on silence. It knows nothing about the
 * handshake: the server and the client drive that on top.
 */
export class BridgeConnection extends EventEmitter<ConnectionEvents> {
  private readonly reader: LineReader;
  private readonly maxFrameBytes: number;
  private readonly now: () => number;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private closedInfo: BridgeCloseInfo | undefined;
  private lastHeardAt = performance.now();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatSent: { id: string; at: number } | undefined;
  /** The socket is corked until the current tick ends (see {@link write}). */
  private corked = false;
  /** Round trip of the last answered heartbeat, milliseconds. */
  lastRoundTripMs: number | undefined;

  constructor(private readonly options: BridgeConnectionOptions) {
    super();
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    // The limit counts the newline; the reader and the codec count the line without it.
    this.reader = new LineReader(this.maxFrameBytes - 1);
    this.now = options.now ?? Date.now;
    const socket = options.socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.finish({ reason: `socket error: ${error.message}`, byPeer: true }));
    socket.on('close', () => this.finish({ reason: 'socket closed', byPeer: true }));
  }

  get isClosed(): boolean {
    return this.closedInfo !== undefined;
  }

  get closeInfo(): BridgeCloseInfo | undefined {
    return this.closedInfo;
  }

  get remoteAddress(): string {
    return `${this.options.socket.remoteAddress ?? '?'}:${this.options.socket.remotePort ?? '?'}`;
  }

  /** Writes one frame and returns its id. Throws BRIDGE.NOT_CONNECTED once closed. */
  send<K extends BridgeFrameKind>(kind: K, body: BridgeBody<K>, replyTo?: string): string {
    if (this.closedInfo) {
      throw new BridgeRequestError('BRIDGE.NOT_CONNECTED', `cannot send ${kind}: connection closed (${this.closedInfo.reason})`, { sent: false, kind });
    }
    const id = `${this.options.idPrefix}-${this.nextId++}`;
    this.write(makeFrame(kind, body, { id, ts: this.now(), ...(replyTo === undefined ? {} : { replyTo }) }) as BridgeFrame);
    return id;
  }

  /** Answers a frame of the peer. */
  reply<K extends BridgeFrameKind>(to: { readonly id: string }, kind: K, body: BridgeBody<K>): string {
    return this.send(kind, body, to.id);
  }

  /** Sends an `error` frame about the peer's frame `refId` (or about nothing in particular). */
  sendError(code: ErrorCode | string, message: string, refId?: string): void {
    if (this.closedInfo) return;
    // The peer's id may itself be what is wrong with its frame: echo it only when it is a valid id.
    const ref = refId !== undefined && refId.length >= 1 && refId.length <= 64 ? refId : undefined;
    this.send('error', { code, message: message.slice(0, 1000), ...(ref === undefined ? {} : { refId: ref }) }, ref);
  }

  /**
   * Sends a request and resolves with the peer's reply of the matching kind. Rejects with a
   * {@link BridgeRequestError}: NOT_CONNECTED (`sent: false` when it never left, `sent: true` when
   * the connection closed while waiting), REQUEST_TIMEOUT (`sent: true`), the peer's error code, or
   * UNEXPECTED_FRAME for a reply of another kind. A reply that comes after the timeout is emitted as
   * a `frame` event (with its `replyTo`), so a late `trade_result` is not lost.
   */
  request<K extends BridgeRequestKind>(kind: K, body: BridgeBody<K>, timeoutMs: number): Promise<BridgeFrame<BridgeReplyKind<K>>> {
    return new Promise<BridgeFrame<BridgeReplyKind<K>>>((resolve, reject) => {
      const id = this.send(kind, body);
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BridgeRequestError('BRIDGE.REQUEST_TIMEOUT', `${kind} ${id}: no reply within ${timeoutMs} ms`, { sent: true, kind, requestId: id }));
      }, timeoutMs);
      this.pending.set(id, { kind, resolve: resolve as (frame: BridgeFrame) => void, reject, timer });
    });
  }

  /**
   * Sends a heartbeat every `intervalMs` and closes with BRIDGE.HEARTBEAT_TIMEOUT when nothing at
   * all (any frame counts) was heard for `timeoutMs`.
   */
  startHeartbeat(intervalMs: number, timeoutMs: number = intervalMs * 3): void {
    this.stopHeartbeat();
    this.lastHeardAt = performance.now();
    this.heartbeatTimer = setInterval(() => {
      if (performance.now() - this.lastHeardAt > timeoutMs) {
        this.close({ code: 'BRIDGE.HEARTBEAT_TIMEOUT', reason: `nothing heard for ${timeoutMs} ms` });
        return;
      }
      const id = this.send('heartbeat', this.options.heartbeatBody?.() ?? {});
      this.heartbeatSent = { id, at: performance.now() };
    }, intervalMs);
    this.heartbeatTimer.unref();
  }

  stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /**
   * Closes this side: with a `code`, the peer first gets an `error` frame saying why. Pending
   * requests fail with BRIDGE.NOT_CONNECTED (`sent: true`).
   */
  close(reason: { code?: ErrorCode; reason: string } = { reason: 'closed by this side' }): void {
    if (this.closedInfo) return;
    if (reason.code) {
      try {
        this.sendError(reason.code, reason.reason);
      } catch {
        // The socket may already be unwritable; closing is what matters.
      }
    }
    this.finish({ ...reason, byPeer: false });
    const socket = this.options.socket;
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  /** Drops the socket at once, without a goodbye (a network cut, a crashed peer). */
  destroy(reason = 'destroyed'): void {
    this.finish({ reason, byPeer: false });
    this.options.socket.destroy();
  }

  /**
   * Frames written in one tick leave in one write: the socket is corked at the first and uncorked
   * once the tick's synchronous code and microtasks are done. A trade result and the transactions
   * behind it, or two requests sent together, cost one syscall (and one wake-up of the peer)
   * instead of one each; on a loaded machine each write costs a fraction of a millisecond.
   */
  private write(frame: BridgeFrame): void {
    const socket = this.options.socket;
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    socket.write(encodeFrame(frame, this.maxFrameBytes - 1));
    if (socket.writableLength > (this.options.maxQueuedWriteBytes ?? 16 * 1024 * 1024)) {
      this.destroy(`peer is not reading: ${socket.writableLength} bytes queued`);
    }
  }

  private onData(chunk: Buffer): void {
    for (const event of this.reader.push(chunk)) {
      if (this.closedInfo) return;
      if (event.kind === 'too-large') {
        this.protocolError({ code: 'BRIDGE.FRAME_TOO_LARGE', message: `frame exceeds ${this.maxFrameBytes} bytes; discarded up to the next newline` });
      } else if (event.kind === 'invalid-utf8') {
        this.protocolError({ code: 'BRIDGE.MALFORMED', message: 'frame is not valid UTF-8' });
      } else {
        const parsed = parseFrame(event.text, this.maxFrameBytes - 1);
        if (parsed.ok) this.onFrame(parsed.frame);
        else this.protocolError({ code: parsed.code, message: parsed.message, ...(parsed.refId === undefined ? {} : { refId: parsed.refId }) });
      }
    }
  }

  private protocolError(error: BridgeProtocolError): void {
    this.lastHeardAt = performance.now();
    this.sendError(error.code, error.message, error.refId);
    this.emit('protocol-error', error);
  }

  private onFrame(frame: BridgeFrame): void {
    this.lastHeardAt = performance.now();
    if (frame.kind === 'heartbeat') {
      if (frame.replyTo === undefined) this.reply(frame, 'heartbeat', this.options.heartbeatBody?.() ?? {});
      else if (frame.replyTo === this.heartbeatSent?.id) this.lastRoundTripMs = performance.now() - this.heartbeatSent.at;
      if (!this.pending.has(frame.replyTo ?? '')) return;
    }
    const pending = frame.replyTo === undefined ? undefined : this.pending.get(frame.replyTo);
    if (!pending) {
      this.emit('frame', frame);
      return;
    }
    this.pending.delete(frame.replyTo!);
    clearTimeout(pending.timer);
    const details = { sent: true, kind: pending.kind, requestId: frame.replyTo };
    if (frame.kind === 'error') pending.reject(BridgeRequestError.fromRemote(frame.body, details));
    else if (frame.kind !== BridgeReplyKinds[pending.kind]) {
      pending.reject(new BridgeRequestError('BRIDGE.UNEXPECTED_FRAME', `${pending.kind} answered with ${frame.kind}`, details));
    } else pending.resolve(frame);
  }

  private finish(info: BridgeCloseInfo): void {
    if (this.closedInfo) return;
    this.closedInfo = info;
    this.stopHeartbeat();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new BridgeRequestError('BRIDGE.NOT_CONNECTED', `${pending.kind} ${id}: connection closed before the reply (${info.reason})`, { sent: true, kind: pending.kind, requestId: id }));
    }
    this.pending.clear();
    this.emit('close', info);
  }
}
