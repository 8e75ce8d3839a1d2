import type pg from 'pg';
import type { Deal, OrderStatus } from '@mt5/contracts';
import { newOrderRecord } from '../../application/orders/new-order-record.js';
import type {
  CommitResult,
  CreatedSubmitted,
  NewOrder,
  OrderQuery,
  OrderRecord,
  OrderStore,
  OrderTransition,
  PositionRecord,
  StoredOutboxMessage,
  WriteBatch,
} from '../../application/orders/order.types.js';
import { applyFill, applyTransition, commitBatch, commitPositionBatch, isPositionBatch, outboxCte, outboxParams } from './pg-commit.js';
import { toDeal, toOrderRecord, toPositionRecord, type DealRow, type OrderRow, type PositionRow } from './rows.mapper.js';

/** An order with its origin (the payload of its NEW event). */
const SELECT_ORDER = `SELECT o.*, e.payload->'origin' AS origin FROM orders o LEFT JOIN order_events e ON e.order_id = o.id AND e.seq = 1`;

/**
 * The gateway's tables in Postgres, through the service's `pg` pool: raw SQL because the hot path
 * (an order's row, its events and its outbox rows in one short transaction, optimistic version
 * checks, `ON CONFLICT DO NOTHING` for deals) is a handful of statements Prisma would wrap in more
 * round trips.
 */
export class PgOrderStore implements OrderStore {
  constructor(private readonly pool: pg.Pool) {}

  async find(clientOrderId: string): Promise<OrderRecord | undefined> {
    const { rows } = await this.pool.query<OrderRow>(`${SELECT_ORDER} WHERE o.client_order_id = $1`, [clientOrderId]);
    return rows[0] ? toOrderRecord(rows[0]) : undefined;
  }

  async create(order: NewOrder, now: Date): Promise<{ order: OrderRecord; created: boolean }> {
    // One statement: the row and its NEW event commit together, and a known clientOrderId inserts nothing.
    const { rows } = await this.pool.query<OrderRow>(
      `WITH inserted AS (
         INSERT INTO orders (client_order_id, account, magic, comment, symbol, side, order_type, volume, price, stop_loss, take_profit,
                             valid_until, signal_id, strategy_id, status, version, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,'NEW',2,$15,$15)
         ON CONFLICT (client_order_id) DO NOTHING RETURNING *
       ), event AS (
         INSERT INTO order_events (order_id, client_order_id, seq, from_status, to_status, reason, payload, occurred_at)
         SELECT id, client_order_id, 1, NULL, 'NEW', 'order row committed before anything is sent', $16::jsonb, $15 FROM inserted
       )
       SELECT * FROM inserted`,
      [order.clientOrderId, order.account, order.magic, order.comment, order.symbol, order.side, order.orderType, order.volume, order.price,
        order.stopLoss, order.takeProfit, order.validUntil, order.signalId, order.strategyId, now, JSON.stringify({ origin: order.origin })],
    );
    if (rows[0]) return { order: toOrderRecord(rows[0], order.origin), created: true };
    const existing = await this.find(order.clientOrderId);
    if (!existing) throw new Error(`order ${order.clientOrderId}: insert conflicted but no row is visible`);
    return { order: existing, created: false };
  }

  async createSubmitted(order: NewOrder, now: Date, submit: (fresh: OrderRecord) => OrderTransition): Promise<CreatedSubmitted> {
    const fresh = newOrderRecord(order, now);
    const transition = submit(fresh);
    const { patch } = transition;
    const message = transition.message;
    // The row goes in as the transition leaves it (the UPDATE of applyTransition, applied here),
    // with both events; the data-modifying CTEs of one statement could not update a row a sibling inserted.
    const row = [fresh.id, order.clientOrderId, order.account, order.magic, order.comment, order.symbol, order.side, order.orderType, order.volume,
      patch.price ?? order.price, order.stopLoss, order.takeProfit, order.validUntil, order.signalId, order.strategyId, transition.to, fresh.version + 1,
      patch.attempts ?? 0, patch.lastRetcode ?? null, patch.lastError ?? null, patch.orderTicket ?? null, patch.positionId ?? null, now, transition.occurredAt];
    const events = [JSON.stringify({ origin: order.origin }), fresh.version, transition.reason ?? null, transition.retcode ?? null, JSON.stringify(transition.payload ?? {})];
    const { rows } = await this.pool.query<OrderRow & { outbox_id: string | null }>(
      `WITH inserted AS (
         INSERT INTO orders (id, client_order_id, account, magic, comment, symbol, side, order_type, volume, price, stop_loss, take_profit,
                             valid_until, signal_id, strategy_id, status, version, attempts, last_retcode, last_error, order_ticket, position_id, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24)
         ON CONFLICT (client_order_id) DO NOTHING RETURNING *
       ), events AS (
         INSERT INTO order_events (order_id, client_order_id, seq, from_status, to_status, reason, retcode, payload, occurred_at)
         SELECT id, client_order_id, 1, NULL::text, 'NEW', 'order row committed before anything is sent', NULL::int, $25::jsonb, $23::timestamptz FROM inserted
         UNION ALL
         SELECT id, client_order_id, $26::int, 'NEW', $16::text, $27::text, $28::int, $29::jsonb, $24::timestamptz FROM inserted
       )${message ? `, ${outboxCte('queued', 'inserted', 30)}` : ''}
       SELECT inserted.*, ${message ? '(SELECT id FROM queued)' : 'NULL'} AS outbox_id FROM inserted`,
      [...row, ...events, ...(message ? outboxParams(message) : [])],
    );
    const inserted = rows[0];
    if (!inserted) {
      const existing = await this.find(order.clientOrderId);
      if (!existing) throw new Error(`order ${order.clientOrderId}: insert conflicted but no row is visible`);
      return { created: false, order: existing };
    }
    const outbox = message && inserted.outbox_id !== null ? [{ ...message, outboxId: inserted.outbox_id }] : [];
    return { created: true, order: toOrderRecord(inserted, order.origin), transition, outbox };
  }

  async commit(batch: WriteBatch): Promise<CommitResult> {
    // The hot paths, one statement each (atomic on its own, one round trip): a lone transition
    // (SUBMITTED, REJECTED, UNKNOWN…) and a fill (one deal and its order's transition).
    const simple = !batch.upsertPositions?.length && !batch.closePositions?.length && !batch.messages?.length && batch.transitions?.length === 1;
    if (simple && (batch.deals?.length ?? 0) <= 1) {
      const outbox: StoredOutboxMessage[] = [];
      const transition = batch.transitions![0]!;
      const write = batch.deals?.[0];
      if (!write) {
        const order = await applyTransition(this.pool, transition, outbox);
        return { orders: new Map([[order.clientOrderId, order]]), newDeals: [], outbox };
      }
      const { order, newDeal } = await applyFill(this.pool, write, transition, outbox);
      return { orders: new Map([[order.clientOrderId, order]]), newDeals: newDeal ? [write.deal.dealTicket] : [], outbox };
    }
    if (isPositionBatch(batch)) return commitPositionBatch(this.pool, batch);
    const client = await this.pool.connect();
    // pg-pool removes its error listener from a client it hands out: a connection dropped between
    // two queries (Postgres stopping) would emit an unhandled 'error' and kill the process.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await commitBatch(client, batch);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async listByStatus(account: string, statuses: readonly OrderStatus[]): Promise<OrderRecord[]> {
    const { rows } = await this.pool.query<OrderRow>(`${SELECT_ORDER} WHERE o.account = $1 AND o.status = ANY($2) ORDER BY o.created_at, o.client_order_id`, [account, statuses]);
    return rows.map((row) => toOrderRecord(row));
  }

  async query(filters: OrderQuery): Promise<OrderRecord[]> {
    const { rows } = await this.pool.query<OrderRow>(
      `${SELECT_ORDER} WHERE o.account = $1 AND ($2::text[] IS NULL OR o.status = ANY($2)) AND ($3::text IS NULL OR o.symbol = $3)
         AND ($4::text IS NULL OR o.client_order_id = $4) ORDER BY o.created_at DESC LIMIT $5`,
      [filters.account, filters.statuses ?? null, filters.symbol ?? null, filters.clientOrderId ?? null, filters.limit],
    );
    return rows.map((row) => toOrderRecord(row));
  }

  async findByTicketOrComment(account: string, tickets: readonly string[], comments: readonly string[]): Promise<OrderRecord[]> {
    if (tickets.length === 0 && comments.length === 0) return [];
    const { rows } = await this.pool.query<OrderRow>(
      // The MT5 comment is the clientOrderId, so both arms use an index (order_ticket, client_order_id).
      `${SELECT_ORDER} WHERE o.account = $1 AND (o.order_ticket = ANY($2) OR o.client_order_id = ANY($3)) ORDER BY o.created_at`,
      [account, tickets, comments],
    );
    return rows.map((row) => toOrderRecord(row));
  }

  async dealsOfOrder(account: string, clientOrderId: string): Promise<Deal[]> {
    const { rows } = await this.pool.query<DealRow>(`SELECT * FROM deals WHERE account = $1 AND client_order_id = $2 ORDER BY time, deal_ticket`, [account, clientOrderId]);
    return rows.map(toDeal);
  }

  async lastDealTime(account: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ last: Date | null }>(`SELECT max(time) AS last FROM deals WHERE account = $1`, [account]);
    return rows[0]?.last ? rows[0].last.toISOString() : null;
  }

  async positionsWithOurDeals(account: string, positionIds: readonly string[]): Promise<Set<string>> {
    if (positionIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ position_id: string }>(
      `SELECT DISTINCT position_id FROM deals WHERE account = $1 AND position_id = ANY($2) AND client_order_id IS NOT NULL`, [account, positionIds],
    );
    return new Set(rows.map((row) => row.position_id));
  }

  async openPositions(account: string): Promise<PositionRecord[]> {
    const { rows } = await this.pool.query<PositionRow>(`SELECT * FROM positions WHERE account = $1 AND status = 'OPEN' ORDER BY open_time, position_id`, [account]);
    return rows.map(toPositionRecord);
  }

  /** Deals of an account, newest first (queries and tests). */
  async deals(account: string, limit = 1000): Promise<Deal[]> {
    const { rows } = await this.pool.query<DealRow>(`SELECT * FROM deals WHERE account = $1 ORDER BY time DESC, deal_ticket DESC LIMIT $2`, [account, limit]);
    return rows.map(toDeal);
  }
}
