import type pg from 'pg';
import type { CommitResult, OrderRecord, OutboxMessage, StoredOutboxMessage, WriteBatch } from '../../application/orders/order.types.js';
import { toOrderRecord, type OrderRow } from './rows.mapper.js';

/** Another writer moved the order first: the caller re-reads and decides again (retryable). */
export class OrderVersionConflict extends Error {
  readonly code = 'EXEC.ORDER_VERSION_CONFLICT';
  readonly retryable = true;
  constructor(clientOrderId: string, version: number) {
    super(`order ${clientOrderId}: version ${version} is no longer current`);
  }
}

/** Writes one batch inside the caller's transaction; deal events are queued before the order events they cause. */
export async function commitBatch(client: pg.PoolClient, batch: WriteBatch): Promise<CommitResult> {
  const orders = new Map<string, OrderRecord>();
  const outbox: StoredOutboxMessage[] = [];
  const newDeals: string[] = [];
  for (const { deal, message } of batch.deals ?? []) {
    const { rows } = await client.query<{ deal_ticket: string }>(
      `INSERT INTO deals (account, deal_ticket, order_ticket, position_id, client_order_id, symbol, side, entry, volume, price, commission, swap,
                          profit, fee, magic, comment, reason, time)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)
       ON CONFLICT (account, deal_ticket) DO NOTHING RETURNING deal_ticket`,
      [deal.account, deal.dealTicket, deal.orderTicket, deal.positionId, deal.clientOrderId, deal.symbol, deal.side, deal.entry, deal.volume, deal.price,
        deal.commission, deal.swap, deal.profit, deal.fee ?? '0', String(deal.magic), deal.comment, deal.reason, deal.time],
    );
    if (!rows[0]) continue;
    newDeals.push(deal.dealTicket);
    await insertOutbox(client, message, outbox);
  }
  for (const transition of batch.transitions ?? []) {
    const { order, to, patch } = transition;
    const { rows } = await client.query<OrderRow>(
      `UPDATE orders SET status = $3, version = version + 1, updated_at = $4,
         filled_volume = COALESCE($5, filled_volume), average_price = COALESCE($6, average_price), order_ticket = COALESCE($7, order_ticket),
         position_id = COALESCE($8, position_id), attempts = COALESCE($9, attempts), last_retcode = COALESCE($10, last_retcode),
         last_error = COALESCE($11, last_error), price = COALESCE($12, price)
       WHERE id = $1 AND version = $2 RETURNING *`,
      [order.id, order.version, to, transition.occurredAt, patch.filledVolume ?? null, patch.averagePrice ?? null, patch.orderTicket ?? null,
        patch.positionId ?? null, patch.attempts ?? null, patch.lastRetcode ?? null, patch.lastError ?? null, patch.price ?? null],
    );
    if (!rows[0]) throw new OrderVersionConflict(order.clientOrderId, order.version);
    await client.query(
      `INSERT INTO order_events (order_id, client_order_id, seq, from_status, to_status, reason, retcode, payload, occurred_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9)`,
      [order.id, order.clientOrderId, order.version, order.status, to, transition.reason ?? null, transition.retcode ?? null,
        JSON.stringify(transition.payload ?? {}), transition.occurredAt],
    );
    orders.set(order.clientOrderId, toOrderRecord(rows[0], order.origin));
    if (transition.message) await insertOutbox(client, transition.message, outbox);
  }
  for (const p of batch.upsertPositions ?? []) {
    await client.query(
      `INSERT INTO positions (account, position_id, symbol, side, status, volume, open_price, current_price, stop_loss, take_profit, initial_stop_loss,
                              profit, swap, magic, comment, external, strategy_id, open_time, snapshot_time, updated_at)
       VALUES ($1,$2,$3,$4,'OPEN',$5,$6,$7,$8,$9,$8,$10,$11,$12,$13,$14,$15,$16,$17,now())
       ON CONFLICT (account, position_id) DO UPDATE SET side = EXCLUDED.side, status = 'OPEN', volume = EXCLUDED.volume, open_price = EXCLUDED.open_price,
         current_price = EXCLUDED.current_price, stop_loss = EXCLUDED.stop_loss, take_profit = EXCLUDED.take_profit, profit = EXCLUDED.profit,
         swap = EXCLUDED.swap, magic = EXCLUDED.magic, comment = EXCLUDED.comment, external = EXCLUDED.external,
         strategy_id = COALESCE(EXCLUDED.strategy_id, positions.strategy_id), close_time = NULL, snapshot_time = EXCLUDED.snapshot_time, updated_at = now()
       WHERE positions.snapshot_time <= EXCLUDED.snapshot_time OR positions.status <> 'OPEN'`,
      [p.account, p.positionId, p.symbol, p.side, p.volume, p.openPrice, p.currentPrice, p.stopLoss, p.takeProfit, p.profit, p.swap, String(p.magic),
        p.comment, p.external, p.strategyId, p.openTime, p.snapshotTime],
    );
  }
  for (const { account, positionId, closeTime } of batch.closePositions ?? []) {
    await client.query(
      `UPDATE positions SET status = 'CLOSED', close_time = $3, updated_at = now() WHERE account = $1 AND position_id = $2 AND status = 'OPEN'`,
      [account, positionId, closeTime],
    );
  }
  for (const message of batch.messages ?? []) await insertOutbox(client, message, outbox);
  return { orders, newDeals, outbox };
}

async function insertOutbox(client: pg.PoolClient, message: OutboxMessage, into: StoredOutboxMessage[]): Promise<void> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO outbox (message_id, subject, payload, headers) VALUES ($1,$2,$3::jsonb,$4::jsonb) ON CONFLICT (message_id) DO NOTHING RETURNING id`,
    [message.envelope.id, message.subject, JSON.stringify(message.envelope), JSON.stringify(message.headers)],
  );
  if (rows[0]) into.push({ ...message, outboxId: rows[0].id });
}
