import { AppError, isErrorCode, type BridgeFrameKind, type ErrorCode } from '@mt5/contracts';

/** Which frame kind answers which request kind. `ticks_subscribe` has no answer. */
export const BridgeReplyKinds = {
  symbols_request: 'symbol_spec',
  bars_request: 'bars',
  account_request: 'account',
  positions_request: 'positions',
  orders_request: 'orders',
  deals_request: 'deals',
  trade_request: 'trade_result',
  heartbeat: 'heartbeat',
} as const satisfies Partial<Record<BridgeFrameKind, BridgeFrameKind>>;
export type BridgeRequestKind = keyof typeof BridgeReplyKinds;
export type BridgeReplyKind<K extends BridgeRequestKind> = (typeof BridgeReplyKinds)[K];

export function isBridgeRequestKind(kind: BridgeFrameKind): kind is BridgeRequestKind {
  return Object.hasOwn(BridgeReplyKinds, kind);
}

/** Why a request got no matching reply. */
export interface BridgeRequestErrorDetails {
  /**
   * Whether the request frame was written to the socket. `false`: the peer never saw it, so it
   * is safe to send again. `true` with no reply: for a trade request the outcome is UNKNOWN.
   */
  readonly sent: boolean;
  readonly requestId?: string;
  readonly kind: BridgeFrameKind;
  /** The peer's `error` frame, when it answered with one. */
  readonly remote?: { readonly code: string; readonly message: string };
}

/**
 * A request that ended without its reply: BRIDGE.NOT_CONNECTED (no session, or it closed while
 * waiting), BRIDGE.REQUEST_TIMEOUT, BRIDGE.UNEXPECTED_FRAME (a reply of the wrong kind) or the
 * peer's own `error` code (the AppError code falls back to BRIDGE.UNEXPECTED_FRAME when the peer's
 * code is not registered; `remote.code` keeps it). Check `sent` before deciding anything about a
 * trade request.
 */
export class BridgeRequestError extends AppError {
  readonly sent: boolean;
  readonly requestId?: string;
  readonly kind: BridgeFrameKind;
  readonly remote?: { readonly code: string; readonly message: string };

  constructor(code: ErrorCode, message: string, details: BridgeRequestErrorDetails) {
    super(code, message, { context: { kind: details.kind, sent: String(details.sent), ...(details.requestId ? { requestId: details.requestId } : {}) } });
    this.sent = details.sent;
    this.requestId = details.requestId;
    this.kind = details.kind;
    this.remote = details.remote;
  }

  /** Builds the error for a peer's `error` frame. */
  static fromRemote(remote: { code: string; message: string }, details: Omit<BridgeRequestErrorDetails, 'remote'>): BridgeRequestError {
    const code = isErrorCode(remote.code) ? remote.code : 'BRIDGE.UNEXPECTED_FRAME';
    return new BridgeRequestError(code, `${remote.code}: ${remote.message}`, { ...details, remote });
  }
}

export function isBridgeRequestError(error: unknown): error is BridgeRequestError {
  return error instanceof BridgeRequestError;
}
