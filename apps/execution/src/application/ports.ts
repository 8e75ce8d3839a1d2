import type {
  BridgeBody,
  BridgeOrder,
  BridgePosition,
  SubmitOrder,
  TradeRequestBody,
  TradeResultBody,
} from '@mt5/contracts';
import type { StoredOutboxMessage } from './orders/order.types.js';

/** Where code reads the current time, so a test can own it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The terminal as the core sees it: one request per method, failing with a `BridgeRequestError`
 * (`@mt5/infra/bridge`) whose `sent` flag says whether the request left. Times inside bodies are
 * broker server time; {@link TerminalPort.toUtc} and {@link TerminalPort.toServer} convert.
 */
export interface TerminalPort {
  isConnected(): boolean;
  trade(request: TradeRequestBody): Promise<TradeResultBody>;
  account(): Promise<BridgeBody<'account'>>;
  positions(filter?: BridgeBody<'positions_request'>): Promise<BridgePosition[]>;
  orders(filter?: BridgeBody<'orders_request'>): Promise<BridgeOrder[]>;
  deals(request: BridgeBody<'deals_request'>): Promise<BridgeBody<'deals'>>;
  symbols(symbols: readonly string[]): Promise<BridgeBody<'symbol_spec'>>;
  bars(request: BridgeBody<'bars_request'>): Promise<BridgeBody<'bars'>>;
  /**
   * Broker server time now (epoch ms): the latest reading of the terminal's clock (tick and account
   * times) moved on by the time elapsed since, or the wall clock plus the reported offset before any
   * reading. A simulator replaying history runs its own clock, so time windows sent to the terminal
   * are anchored here, never on the gateway's wall clock.
   */
  serverNow(): number;
  /** Server time at a past UTC instant, on the same clock as {@link serverNow}. */
  serverTimeAt(utcMs: number): number;
  toUtc(serverMs: number): number;
  toServer(utcMs: number): number;
}

/** A per-account limit on trade requests. `allowed: false` means nothing was sent; try after `retryAfterMs`. */
export interface RateLimiter {
  acquire(account: string): Promise<{ readonly allowed: boolean; readonly retryAfterMs: number }>;
}

/** Risk-guard's second look at a command that waited for the bridge. */
export interface RiskRecheck {
  /** `approved: false` with a reason when risk denies it or nobody answered. */
  recheck(command: SubmitOrder, waitedMs: number): Promise<{ readonly approved: boolean; readonly reason: string }>;
}

/** Publishes committed outbox rows (and marks them published). */
export interface OutboxPublisher {
  publish(rows: readonly StoredOutboxMessage[]): Promise<void>;
}
