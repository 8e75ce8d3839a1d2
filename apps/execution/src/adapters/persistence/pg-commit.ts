import type pg from 'pg';
import type {
  CommitResult,
  DealWrite,
  OrderRecord,
  OrderTransition,
  OutboxMessage,
  PositionRecord,
  StoredOutboxMessage,
  WriteBatch,
} from '../../application/orders/order.types.js';
import { toOrderRecord, type OrderRow } from './rows.mapper.js';

/** Another writer moved the order first: the caller re-reads and decides again (retryable). */
export class OrderVersionConflict extends Error {
  readonly code = 'EXEC.ORDER_VERSION_CONFLICT';
  readonly retryable = true;
  constructor(clientOrderId: string, version: number) {
    super(`order ${clientOrderId}: version ${version} is no longer current`);
  }
}

type Queryable = Pick<pg.PoolClient, 'query'>;

const TRANSITION_PARAMS = 16;
const DEAL_PARAMS = 18;

/** CTEs `moved` (versioned update) and `event` (its order_events row); parameters from `$${p}`. */
function transitionCtes(p: number): string {
  const $ = (n: number) => `$${p + n - 1}`;
  return `moved AS (
       UPDATE orders SET status = ${$(3)}, version = version + 1, updated_at = ${$(4)},
         filled_volume = COALESCE(${$(5)}, filled_volume), average_price = COALESCE(${$(6)}, average_price), order_ticket = COALESCE(${$(7)}, order_ticket),
         position_id = COALESCE(${$(8)}, position_id), attempts = COALESCE(${$(9)}, attempts), last_retcode = COALESCE(${$(10)}, last_retcode),
         last_error = COALESCE(${$(11)}, last_error), price = COALESCE(${$(12)}, price)
       WHERE id = ${$(1)} AND version = ${$(2)} RETURNING *
     ), event AS (
       INSERT INTO order_events (order_id, client_order_id, seq, from_status, to_status, reason, retcode, payload, occurred_at)
       SELECT id, client_order_id, ${$(2)}, ${$(13)}, ${$(3)}, ${$(14)}, ${$(15)}, ${$(16)}::jsonb, ${$(4)} FROM moved
     )`;
}

function transitionParams(transition: OrderTransition): unknown[] {
  const { order, to, patch } = transition;
  return [order.id, order.version, to, transition.occurredAt, patch.filledVolume ?? null, patch.averagePrice ?? null, patch.orderTicket ?? null,
    patch.positionId ?? null, patch.attempts ?? null, patch.lastRetcode ?? null, patch.lastError ?? null, patch.price ?? null,
    order.status, transition.reason ?? null, transition.retcode ?? null, JSON.stringify(transition.payload ?? {})];
}

/**
 * CTE `inserted`: the deal, unless its (account, ticket) is known; parameters from `$${p}`. With
 * `onlyIf`, inserted only when that CTE produced a row (a fill whose order version moved writes
 * no deal either).
 */
function dealCte(p: number, onlyIf?: string): string {
  const list = Array.from({ length: DEAL_PARAMS }, (_, i) => `$${p + i}`).join(',');
  const rows = onlyIf ? `SELECT ${list} WHERE EXISTS (SELECT 1 FROM ${onlyIf})` : `VALUES (${list})`;
  return `inserted AS (
       INSERT INTO deals (account, deal_ticket, order_ticket, position_id, client_order_id, symbol, side, entry, volume, price, commission, swap,
                          profit, fee, magic, comment, reason, time)
       ${rows} ON CONFLICT (account, deal_ticket) DO NOTHING RETURNING deal_ticket
     )`;
}

function dealParams({ deal }: DealWrite): unknown[] {
  return [deal.account, deal.dealTicket, deal.orderTicket, deal.positionId, deal.clientOrderId, deal.symbol, deal.side, deal.entry, deal.volume, deal.price,
    deal.commission, deal.swap, deal.profit, deal.fee ?? '0', String(deal.magic), deal.comment, deal.reason, deal.time];
}

/** A CTE named `name` that queues a message in the outbox when `source` produced a row. */
export const outboxCte = (name: string, source: string, p: number) =>
  `${name} AS (INSERT INTO outbox (message_id, subject, payload, headers) SELECT $${p}, $${p + 1}, $${p + 2}::jsonb, $${p + 3}::jsonb FROM ${source}
     ON CONFLICT (message_id) DO NOTHING RETURNING id)`;
export const outboxParams = (message: OutboxMessage) => [message.envelope.id, message.subject, JSON.stringify(message.envelope), JSON.stringify(message.headers)];

/**
 * One order transition in one statement (atomic on its own): the versioned row update, its
 * `order_events` row and its outbox row. A version that moved updates nothing, and nothing else is
 * written.
 */
export async function applyTransition(db: Queryable, transition: OrderTransition, outbox: StoredOutboxMessage[]): Promise<OrderRecord> {
  const { message } = transition;
  const first = 1 + TRANSITION_PARAMS;
  const { rows } = await db.query<OrderRow & { outbox_id: string | null }>(
    `WITH ${transitionCtes(1)}${message ? `, ${outboxCte('queued', 'moved', first)}` : ''}
     SELECT moved.*, ${message ? '(SELECT id FROM queued)' : 'NULL'} AS outbox_id FROM moved`,
    [...transitionParams(transition), ...(message ? outboxParams(message) : [])],
  );
  const row = rows[0];
  if (!row) throw new OrderVersionConflict(transition.order.clientOrderId, transition.order.version);
  if (message && row.outbox_id !== null) outbox.push({ ...message, outboxId: row.outbox_id });
  return toOrderRecord(row, transition.order.origin);
}

/**
 * A fill in one statement: the deal (its event only if the deal is new), then the order's
 * transition with its event. The transition was computed from all of the order's deals, so it
 * holds whether or not this deal was already recorded. A moved version writes nothing at all.
 */
export async function applyFill(db: Queryable, write: DealWrite, transition: OrderTransition, outbox: StoredOutboxMessage[]): Promise<{ order: OrderRecord; newDeal: boolean }> {
  const message = transition.message;
  const dealOutbox = 1 + DEAL_PARAMS;
  const moved = dealOutbox + 4;
  const orderOutbox = moved + TRANSITION_PARAMS;
  const { rows } = await db.query<OrderRow & { deal_outbox_id: string | null; new_deal: boolean; outbox_id: string | null }>(
    `WITH ${transitionCtes(moved)}, ${dealCte(1, 'moved')}, ${outboxCte('deal_queued', 'inserted', dealOutbox)}
     ${message ? `, ${outboxCte('queued', 'moved', orderOutbox)}` : ''}
     SELECT moved.*, (SELECT id FROM deal_queued) AS deal_outbox_id, EXISTS (SELECT 1 FROM inserted) AS new_deal,
       ${message ? '(SELECT id FROM queued)' : 'NULL'} AS outbox_id FROM moved`,
    [...dealParams(write), ...outboxParams(write.message), ...transitionParams(transition), ...(message ? outboxParams(message) : [])],
  );
  const row = rows[0];
  if (!row) throw new OrderVersionConflict(transition.order.clientOrderId, transition.order.version);
  if (row.deal_outbox_id !== null) outbox.push({ ...write.message, outboxId: row.deal_outbox_id });
  if (message && row.outbox_id !== null) outbox.push({ ...message, outboxId: row.outbox_id });
  return { order: toOrderRecord(row, transition.order.origin), newDeal: row.new_deal };
}

/** One deal, and its event only when the deal is new (unique account + ticket), in one statement. */
async function insertDeal(db: Queryable, write: DealWrite, outbox: StoredOutboxMessage[]): Promise<boolean> {
  const { rows } = await db.query<{ deal_ticket: string; outbox_id: string | null }>(
    `WITH ${dealCte(1)}, ${outboxCte('queued', 'inserted', 1 + DEAL_PARAMS)}
     SELECT deal_ticket, (SELECT id FROM queued) AS outbox_id FROM inserted`,
    [...dealParams(write), ...outboxParams(write.message)],
  );
  const row = rows[0];
  if (!row) return false;
  if (row.outbox_id !== null) outbox.push({ ...write.message, outboxId: row.outbox_id });
  return true;
}

/** Writes one batch inside the caller's transaction; deal events are queued before the order events they cause. */
export async function commitBatch(client: Queryable, batch: WriteBatch): Promise<CommitResult> {
  const orders = new Map<string, OrderRecord>();
  const outbox: StoredOutboxMessage[] = [];
  const newDeals: string[] = [];
  for (const write of batch.deals ?? []) {
    if (await insertDeal(client, write, outbox)) newDeals.push(write.deal.dealTicket);
  }
  for (const transition of batch.transitions ?? []) {
    orders.set(transition.order.clientOrderId, await applyTransition(client, transition, outbox));
  }
  for (const p of batch.upsertPositions ?? []) await client.query(`WITH ${upsertPositionCte('upserted', 1)} SELECT 1`, upsertPositionParams(p));
  for (const c of batch.closePositions ?? []) await client.query(`WITH ${closePositionCte('closed', 1)} SELECT 1`, closePositionParams(c));
  for (const message of batch.messages ?? []) await insertOutbox(client, message, outbox);
  return { orders, newDeals, outbox };
}

async function insertOutbox(db: Queryable, message: OutboxMessage, into: StoredOutboxMessage[]): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO outbox (message_id, subject, payload, headers) VALUES ($1,$2,$3::jsonb,$4::jsonb) ON CONFLICT (message_id) DO NOTHING RETURNING id`,
    outboxParams(message),
  );
  if (rows[0]) into.push({ ...message, outboxId: rows[0].id });
}

type PositionClose = NonNullable<WriteBatch['closePositions']>[number];

/** CTE `name`: one position upserted (a newer snapshot wins; a closed row reopens); parameters from `$${p}`. */
function upsertPositionCte(name: string, p: number): string {
  const $ = (n: number) => `$${p + n - 1}`;
  return `${name} AS (
       INSERT INTO positions (account, position_id, symbol, side, status, volume, open_price, current_price, stop_loss, take_profit, initial_stop_loss,
                              profit, swap, magic, comment, external, strategy_id, open_time, snapshot_time, updated_at)
       VALUES (${$(1)},${$(2)},${$(3)},${$(4)},'OPEN',${$(5)},${$(6)},${$(7)},${$(8)},${$(9)},${$(8)},${$(10)},${$(11)},${$(12)},${$(13)},${$(14)},${$(15)},${$(16)},${$(17)},now())
       ON CONFLICT (account, position_id) DO UPDATE SET side = EXCLUDED.side, status = 'OPEN', volume = EXCLUDED.volume, open_price = EXCLUDED.open_price,
         current_price = EXCLUDED.current_price, stop_loss = EXCLUDED.stop_loss, take_profit = EXCLUDED.take_profit, profit = EXCLUDED.profit,
         swap = EXCLUDED.swap, magic = EXCLUDED.magic, comment = EXCLUDED.comment, external = EXCLUDED.external,
         strategy_id = COALESCE(EXCLUDED.strategy_id, positions.strategy_id), close_time = NULL, snapshot_time = EXCLUDED.snapshot_time, updated_at = now()
       WHERE positions.snapshot_time <= EXCLUDED.snapshot_time OR positions.status <> 'OPEN'
       RETURNING 1
     )`;
}

function upsertPositionParams(p: PositionRecord): unknown[] {
  return [p.account, p.positionId, p.symbol, p.side, p.volume, p.openPrice, p.currentPrice, p.stopLoss, p.takeProfit, p.profit, p.swap, String(p.magic),
    p.comment, p.external, p.strategyId, p.openTime, p.snapshotTime];
}

/** CTE `name`: one open position marked closed; parameters from `$${p}`. */
function closePositionCte(name: string, p: number): string {
  return `${name} AS (UPDATE positions SET status = 'CLOSED', close_time = $${p + 2}, updated_at = now() WHERE account = $${p} AND position_id = $${p + 1} AND status = 'OPEN' RETURNING 1)`;
}

function closePositionParams(close: PositionClose): unknown[] {
  return [close.account, close.positionId, close.closeTime];
}

/** True for a batch of positions and messages only (a position sync): {@link commitPositionBatch} writes it in one statement. */
export function isPositionBatch(batch: WriteBatch): boolean {
  return !batch.deals?.length && !batch.transitions?.length;
}

/**
 * A position sync in one statement (atomic on its own, one round trip instead of BEGIN, one per
 * row and COMMIT): each upsert and close is a CTE (distinct rows: a closed position is one the
 * terminal no longer lists), the messages one ordered INSERT into the outbox (ids in message
 * order, so the relay sends them in that order too).
 */
export async function commitPositionBatch(db: Queryable, batch: WriteBatch): Promise<CommitResult> {
  const ctes: string[] = [];
  const params: unknown[] = [];
  (batch.upsertPositions ?? []).forEach((p, i) => {
    ctes.push(upsertPositionCte(`up${i}`, params.length + 1));
    params.push(...upsertPositionParams(p));
  });
  (batch.closePositions ?? []).forEach((c, i) => {
    ctes.push(closePositionCte(`cl${i}`, params.length + 1));
    params.push(...closePositionParams(c));
  });
  // One message per id (a duplicate would conflict with itself inside the statement).
  const messages = [...new Map((batch.messages ?? []).map((m) => [m.envelope.id, m])).values()];
  const p = params.length + 1;
  ctes.push(`queued AS (
       INSERT INTO outbox (message_id, subject, payload, headers)
       SELECT m, s, pl, h FROM unnest($${p}::text[], $${p + 1}::text[], $${p + 2}::jsonb[], $${p + 3}::jsonb[]) WITH ORDINALITY AS t(m, s, pl, h, n) ORDER BY n
       ON CONFLICT (message_id) DO NOTHING RETURNING id, message_id
     )`);
  const columns = messages.map(outboxParams);
  params.push(...[0, 1, 2, 3].map((column) => columns.map((values) => values[column])));
  const { rows } = await db.query<{ id: string; message_id: string }>(`WITH ${ctes.join(', ')} SELECT id, message_id FROM queued ORDER BY id`, params);
  const ids = new Map(rows.map((row) => [row.message_id, row.id]));
  const outbox: StoredOutboxMessage[] = [];
  for (const message of messages) {
    const outboxId = ids.get(message.envelope.id);
    if (outboxId !== undefined) outbox.push({ ...message, outboxId });
  }
  return { orders: new Map(), newDeals: [], outbox };
}
