import type { Logger } from '@mt5/infra/logging';
import type { GuardedTerminal } from './guards/guarded-terminal.js';
import type { OrderStore, StoredOutboxMessage, WriteBatch } from './orders/order.types.js';
import type { Clock, OutboxPublisher, RateLimiter, RiskRecheck } from './ports.js';
import type { AsyncLock } from './session/async-lock.js';
import type { BridgeGate } from './session/bridge-gate.js';
import type { MarketState } from './session/market-state.js';
import { recordCommit } from './execution-metrics.js';

export interface ExecutionSettings {
  /** Sends per order for 10004/10020/10021, the first included. */
  readonly priceRetryAttempts: number;
  readonly deviationPoints: number;
  /** An unknown order found nowhere this long after it became unknown is settled as absent. */
  readonly settleWindowMs: number;
  /** How far before an order's creation settlement looks for its deals (server clocks drift, replays jump). */
  readonly settleLookbackMs: number;
}

/** Test seams: points where a test stops the gateway as if the process died there. */
export interface ExecutionHooks {
  /** After the trade result arrived, before anything about it is written. */
  readonly afterTradeResult?: (clientOrderId: string) => Promise<void>;
}

/** What the use cases share: one account, its store, its terminal and the serialization lock. */
export interface ExecutionContext {
  readonly account: string;
  readonly store: OrderStore;
  readonly terminal: GuardedTerminal;
  readonly gate: BridgeGate;
  readonly lock: AsyncLock;
  readonly market: MarketState;
  readonly rateLimiter: RateLimiter;
  readonly risk: RiskRecheck;
  readonly outbox: OutboxPublisher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: ExecutionSettings;
  readonly hooks: ExecutionHooks;
}

/**
 * Commits a batch, counts the transitions and publishes the outbox rows it wrote. The publish is
 * not awaited: the rows are committed, the client sends them in order on one connection, and a
 * row whose ack never comes is sent again by the relay (JetStream drops the duplicate).
 */
export async function commitAndPublish(context: ExecutionContext, batch: WriteBatch) {
  const result = await context.store.commit(batch);
  publishCommitted(context, batch, result.outbox);
  return result;
}

/** After a commit: counts its transitions and publishes its outbox rows (not awaited, see commitAndPublish). */
export function publishCommitted(context: ExecutionContext, batch: WriteBatch, outbox: readonly StoredOutboxMessage[]): void {
  recordCommit(context.account, batch);
  if (outbox.length > 0) {
    context.outbox.publish(outbox).catch((error) => context.logger.warn({ err: error }, 'publish after commit failed; the outbox relay sends it again'));
  }
}
