import type { Deal, Envelope, OrderStatus, OrderType, PositionSnapshot, Side } from '@mt5/contracts';

/**
 * Where an order came from: the command's ids and W3C trace context. Kept with the order (in the
 * payload of its NEW event) so that a fill reported later by the terminal, or a send resumed
 * after a restart, continues the trace of the signal that caused it.
 */
export interface OrderOrigin {
  readonly commandId: string;
  readonly commandType: string;
  readonly correlationId: string;
  /** `tsEvent` of the command (the signal's time), for the signal-to-fill latency. */
  readonly commandTime?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
  /** Set for a closing order: the position (ticket) it closes. */
  readonly closesPosition?: string;
}

/** One order as the gateway stores it. Decimals stay strings, as on the wire. */
export interface OrderRecord {
  readonly id: string;
  readonly clientOrderId: string;
  readonly account: string;
  readonly magic: number;
  /** The comment sent to MT5: the clientOrderId, so settlement and reconciliation can find the order. */
  readonly comment: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly volume: string;
  readonly filledVolume: string;
  readonly price: string | null;
  readonly averagePrice: string | null;
  readonly stopLoss: string | null;
  readonly takeProfit: string | null;
  readonly status: OrderStatus;
  readonly orderTicket: string | null;
  readonly positionId: string | null;
  readonly validUntil: Date;
  readonly signalId: string | null;
  readonly strategyId: string | null;
  readonly attempts: number;
  readonly lastRetcode: number | null;
  readonly lastError: string | null;
  /** Optimistic-concurrency counter; also the seq of the next order event. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly origin: OrderOrigin;
}

/** What a command asks for, before the row exists. */
export type NewOrder = Pick<OrderRecord,
  'clientOrderId' | 'account' | 'magic' | 'comment' | 'symbol' | 'side' | 'orderType' | 'volume' | 'price' | 'stopLoss'
  | 'takeProfit' | 'validUntil' | 'signalId' | 'strategyId' | 'origin'>;

/** Fields a transition may change. */
export type OrderPatch = Partial<Pick<OrderRecord,
  'filledVolume' | 'averagePrice' | 'orderTicket' | 'positionId' | 'attempts' | 'lastRetcode' | 'lastError' | 'price'>>;

/** A message to publish once the write that produced it commits (transactional outbox). */
export interface OutboxMessage {
  readonly subject: string;
  readonly envelope: Envelope;
  /** W3C trace headers to publish with. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One state change of one order: row update + order_events row (+ the event in the outbox). */
export interface OrderTransition {
  /** The order as read; the write fails if its version moved meanwhile. */
  readonly order: OrderRecord;
  readonly to: OrderStatus;
  readonly patch: OrderPatch;
  readonly reason?: string;
  readonly retcode?: number | null;
  /** The event as published (or a forensic note for an unpublished transition). */
  readonly payload: unknown;
  readonly occurredAt: Date;
  readonly message?: OutboxMessage;
}

/** A deal to record; its event is queued only when the row is new (unique account + deal ticket). */
export interface DealWrite {
  readonly deal: Deal;
  readonly message: OutboxMessage;
}

/** A position as the gateway stores it (the terminal's view, plus the external flag). */
export type PositionRecord = Omit<PositionSnapshot, 'time'> & { readonly snapshotTime: string; readonly strategyId: string | null };

/** Everything one commit writes, atomically. */
export interface WriteBatch {
  readonly transitions?: readonly OrderTransition[];
  readonly deals?: readonly DealWrite[];
  readonly upsertPositions?: readonly PositionRecord[];
  readonly closePositions?: readonly { readonly account: string; readonly positionId: string; readonly closeTime: string }[];
  readonly messages?: readonly OutboxMessage[];
}

export type CreatedSubmitted =
  | { readonly created: true; readonly order: OrderRecord; readonly transition: OrderTransition; readonly outbox: readonly StoredOutboxMessage[] }
  | { readonly created: false; readonly order: OrderRecord };

export interface CommitResult {
  /** The orders after their transitions, by clientOrderId. */
  readonly orders: ReadonlyMap<string, OrderRecord>;
  /** Deal tickets that were new (inserted). */
  readonly newDeals: readonly string[];
  /** Outbox rows written, to publish now. */
  readonly outbox: readonly StoredOutboxMessage[];
}

export interface StoredOutboxMessage extends OutboxMessage {
  readonly outboxId: string;
}

/** Filters of `exec.qry.orders`. */
export interface OrderQuery {
  readonly account: string;
  readonly statuses?: readonly OrderStatus[];
  readonly symbol?: string;
  readonly clientOrderId?: string;
  readonly limit: number;
}

/**
 * The gateway's persistence, as the core sees it. The Postgres adapter implements it with one
 * transaction per `commit`; the in-memory fixture implements it for unit tests.
 */
export interface OrderStore {
  find(clientOrderId: string): Promise<OrderRecord | undefined>;
  /** Inserts the order in NEW with its NEW event; returns the existing row when the clientOrderId is known. */
  create(order: NewOrder, now: Date): Promise<{ order: OrderRecord; created: boolean }>;
  /**
   * Inserts a new order already SUBMITTED, in one statement: the row, its NEW and SUBMITTED
   * `order_events` rows and the SUBMITTED event's outbox row commit together before the request
   * is sent (rule 1 holds: the row is durable before anything leaves). `submit` renders the
   * SUBMITTED transition from the order as NEW ({@link newOrderRecord}). A known clientOrderId
   * inserts nothing and returns the stored order (`created: false`, no outbox row).
   */
  createSubmitted(order: NewOrder, now: Date, submit: (fresh: OrderRecord) => OrderTransition): Promise<CreatedSubmitted>;
  commit(batch: WriteBatch): Promise<CommitResult>;
  listByStatus(account: string, statuses: readonly OrderStatus[]): Promise<OrderRecord[]>;
  query(filters: OrderQuery): Promise<OrderRecord[]>;
  /** Orders whose venue ticket matches, or whose clientOrderId is one of `comments` (the MT5 comment is the clientOrderId), any status. */
  findByTicketOrComment(account: string, tickets: readonly string[], comments: readonly string[]): Promise<OrderRecord[]>;
  dealsOfOrder(account: string, clientOrderId: string): Promise<Deal[]>;
  /** Newest recorded deal time (UTC ISO), or null when none. */
  lastDealTime(account: string): Promise<string | null>;
  /** Positions (ids) that one of our deals opened or touched. */
  positionsWithOurDeals(account: string, positionIds: readonly string[]): Promise<Set<string>>;
  openPositions(account: string): Promise<PositionRecord[]>;
}
