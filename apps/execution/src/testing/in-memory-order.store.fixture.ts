import { randomUUID } from 'node:crypto';
import type { Deal, OrderStatus } from '@mt5/contracts';
import { newOrderRecord } from '../application/orders/new-order-record.js';
import type {
  CommitResult,
  CreatedSubmitted,
  NewOrder,
  OrderQuery,
  OrderRecord,
  OrderStore,
  OrderTransition,
  OutboxMessage,
  PositionRecord,
  StoredOutboxMessage,
  WriteBatch,
} from '../application/orders/order.types.js';

/** An order event as the store recorded it. */
export interface RecordedEvent {
  readonly clientOrderId: string;
  readonly seq: number;
  readonly from: OrderStatus | null;
  readonly to: OrderStatus;
  readonly reason?: string;
  readonly retcode?: number | null;
}

/**
 * The OrderStore contract in memory, for unit tests of the core. Same rules as the Postgres
 * store: optimistic version check per transition, unique deal tickets, unique outbox ids, and a
 * batch that applies all or nothing.
 */
export class InMemoryOrderStore implements OrderStore {
  readonly orders = new Map<string, OrderRecord>();
  readonly events: RecordedEvent[] = [];
  readonly deals = new Map<string, Deal>();
  readonly positions = new Map<string, PositionRecord & { status: 'OPEN' | 'CLOSED' }>();
  readonly outbox: OutboxMessage[] = [];
  private outboxIds = new Set<string>();

  async find(clientOrderId: string): Promise<OrderRecord | undefined> {
    return this.orders.get(clientOrderId);
  }

  async create(order: NewOrder, now: Date): Promise<{ order: OrderRecord; created: boolean }> {
    const existing = this.orders.get(order.clientOrderId);
    if (existing) return { order: existing, created: false };
    const record: OrderRecord = {
      ...order, id: randomUUID(), filledVolume: '0', averagePrice: null, status: 'NEW', orderTicket: null, positionId: null, attempts: 0,
      lastRetcode: null, lastError: null, version: 2, createdAt: now, updatedAt: now,
    };
    this.orders.set(order.clientOrderId, record);
    this.events.push({ clientOrderId: order.clientOrderId, seq: 1, from: null, to: 'NEW' });
    return { order: record, created: true };
  }

  async createSubmitted(order: NewOrder, now: Date, submit: (fresh: OrderRecord) => OrderTransition): Promise<CreatedSubmitted> {
    const existing = this.orders.get(order.clientOrderId);
    if (existing) return { created: false, order: existing };
    const fresh = newOrderRecord(order, now);
    const transition = submit(fresh);
    this.orders.set(order.clientOrderId, fresh);
    this.events.push({ clientOrderId: order.clientOrderId, seq: 1, from: null, to: 'NEW' });
    const result = await this.commit({ transitions: [transition] });
    return { created: true, order: result.orders.get(order.clientOrderId)!, transition, outbox: result.outbox };
  }

  async commit(batch: WriteBatch): Promise<CommitResult> {
    for (const transition of batch.transitions ?? []) {
      const current = this.orders.get(transition.order.clientOrderId);
      if (!current || current.version !== transition.order.version) throw new Error(`version conflict on ${transition.order.clientOrderId}`);
    }
    const orders = new Map<string, OrderRecord>();
    const outbox: StoredOutboxMessage[] = [];
    const queue = (message: OutboxMessage) => {
      if (this.outboxIds.has(message.envelope.id)) return;
      this.outboxIds.add(message.envelope.id);
      this.outbox.push(message);
      outbox.push({ ...message, outboxId: String(this.outbox.length) });
    };
    const newDeals: string[] = [];
    for (const { deal, message } of batch.deals ?? []) {
      const key = `${deal.account}:${deal.dealTicket}`;
      if (this.deals.has(key)) continue;
      this.deals.set(key, deal);
      newDeals.push(deal.dealTicket);
      queue(message);
    }
    for (const transition of batch.transitions ?? []) {
      const after = apply(transition);
      this.orders.set(after.clientOrderId, after);
      orders.set(after.clientOrderId, after);
      this.events.push({ clientOrderId: after.clientOrderId, seq: transition.order.version, from: transition.order.status, to: transition.to, reason: transition.reason, retcode: transition.retcode });
      if (transition.message) queue(transition.message);
    }
    for (const position of batch.upsertPositions ?? []) this.positions.set(`${position.account}:${position.positionId}`, { ...position, status: 'OPEN' });
    for (const { account, positionId } of batch.closePositions ?? []) {
      const known = this.positions.get(`${account}:${positionId}`);
      if (known) this.positions.set(`${account}:${positionId}`, { ...known, status: 'CLOSED' });
    }
    for (const message of batch.messages ?? []) queue(message);
    return { orders, newDeals, outbox };
  }

  async listByStatus(account: string, statuses: readonly OrderStatus[]): Promise<OrderRecord[]> {
    return [...this.orders.values()].filter((o) => o.account === account && statuses.includes(o.status));
  }

  async query(filters: OrderQuery): Promise<OrderRecord[]> {
    return [...this.orders.values()]
      .filter((o) => o.account === filters.account && (!filters.statuses || filters.statuses.includes(o.status))
        && (!filters.symbol || o.symbol === filters.symbol) && (!filters.clientOrderId || o.clientOrderId === filters.clientOrderId))
      .slice(0, filters.limit);
  }

  async findByTicketOrComment(account: string, tickets: readonly string[], comments: readonly string[]): Promise<OrderRecord[]> {
    return [...this.orders.values()].filter((o) => o.account === account && ((o.orderTicket !== null && tickets.includes(o.orderTicket)) || comments.includes(o.clientOrderId)));
  }

  async dealsOfOrder(account: string, clientOrderId: string): Promise<Deal[]> {
    return [...this.deals.values()].filter((d) => d.account === account && d.clientOrderId === clientOrderId);
  }

  async lastDealTime(account: string): Promise<string | null> {
    const times = [...this.deals.values()].filter((d) => d.account === account).map((d) => d.time).sort();
    return times.at(-1) ?? null;
  }

  async positionsWithOurDeals(account: string, positionIds: readonly string[]): Promise<Set<string>> {
    return new Set([...this.deals.values()].filter((d) => d.account === account && d.clientOrderId !== null && positionIds.includes(d.positionId)).map((d) => d.positionId));
  }

  async openPositions(account: string): Promise<PositionRecord[]> {
    return [...this.positions.values()].filter((p) => p.account === account && p.status === 'OPEN').map(({ status: _status, ...p }) => p);
  }

  /** Statuses an order went through, NEW first. */
  history(clientOrderId: string): OrderStatus[] {
    return this.events.filter((e) => e.clientOrderId === clientOrderId).map((e) => e.to);
  }
}

function apply(transition: OrderTransition): OrderRecord {
  const { order, patch } = transition;
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined && value !== null));
  return { ...order, ...defined, status: transition.to, version: order.version + 1, updatedAt: transition.occurredAt };
}
