import { classifyRetcode, type BridgeFrameKind } from '@mt5/contracts';
import { BridgeRequestError, isBridgeRequestError } from '@mt5/infra/bridge';
import type { TerminalPort } from '../ports.js';
import type { CircuitBreaker } from './circuit-breaker.js';

/**
 * The terminal behind a circuit breaker. A refused call throws BRIDGE.NOT_CONNECTED with
 * `sent: false` (nothing left, so a trade may wait and go later). Timeouts and drops while waiting
 * count as failures; a reply, even an `error` frame, proves the link works. A trade result of the
 * unknown-outcome class (10012 timeout, 10031 no connection to the trade server) counts as a
 * failure too: the terminal's own link to the broker is in trouble.
 */
export class GuardedTerminal implements TerminalPort {
  constructor(private readonly inner: TerminalPort, private readonly breaker: CircuitBreaker) {}

  isConnected(): boolean {
    return this.inner.isConnected();
  }

  /** Connected and the breaker would let a call through. */
  isAvailable(): boolean {
    return this.inner.isConnected() && this.breaker.isAvailable();
  }

  trade: TerminalPort['trade'] = (request) => this.guard('trade_request', () => this.inner.trade(request), (result) => classifyRetcode(result.retcode) !== 'unknown-outcome');
  account: TerminalPort['account'] = () => this.guard('account_request', () => this.inner.account());
  positions: TerminalPort['positions'] = (filter) => this.guard('positions_request', () => this.inner.positions(filter));
  orders: TerminalPort['orders'] = (filter) => this.guard('orders_request', () => this.inner.orders(filter));
  deals: TerminalPort['deals'] = (request) => this.guard('deals_request', () => this.inner.deals(request));
  symbols: TerminalPort['symbols'] = (symbols) => this.guard('symbols_request', () => this.inner.symbols(symbols));
  bars: TerminalPort['bars'] = (request) => this.guard('bars_request', () => this.inner.bars(request));

  serverNow(): number {
    return this.inner.serverNow();
  }

  serverTimeAt(utcMs: number): number {
    return this.inner.serverTimeAt(utcMs);
  }

  toUtc(serverMs: number): number {
    return this.inner.toUtc(serverMs);
  }

  toServer(utcMs: number): number {
    return this.inner.toServer(utcMs);
  }

  private async guard<T>(kind: BridgeFrameKind, call: () => Promise<T>, healthy: (result: T) => boolean = () => true): Promise<T> {
    if (!this.breaker.tryAcquire()) {
      throw new BridgeRequestError('BRIDGE.NOT_CONNECTED', `${kind} not sent: the bridge circuit breaker is open`, { sent: false, kind });
    }
    let result: T;
    try {
      result = await call();
    } catch (error) {
      if (!isBridgeRequestError(error) || !error.sent) this.breaker.recordNeutral();
      else if (error.remote) this.breaker.recordSuccess();
      else this.breaker.recordFailure();
      throw error;
    }
    if (healthy(result)) this.breaker.recordSuccess();
    else this.breaker.recordFailure();
    return result;
  }
}
