import type { Deal, PositionSnapshot } from '@mt5/contracts';
import type { DealFact, PositionState, TradeFact } from '@mt5/domain/analytics';
import type { Queryable } from './transaction.js';

/**
 * Writes of the trade history: processed messages, deals, positions and trades. Raw SQL on the
 * service's pool, inside the caller's transaction, so every `INSERT … ON CONFLICT` and the
 * processed-message row commit together with the effect.
 */

/** Records that `consumer` applied `messageId`; false when it already had (a redelivery). */
export async function markProcessed(db: Queryable, consumer: string, messageId: string): Promise<boolean> {
  const result = await db.query('INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [consumer, messageId]);
  return result.rowCount === 1;
}

/** Stores a deal once per (account, ticket); false when that deal was already stored. */
export async function insertDeal(db: Queryable, deal: Deal): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO deals (account, deal_ticket, order_ticket, position_id, client_order_id, symbol, side, entry, volume, price,
       commission, swap, profit, fee, magic, comment, reason, time)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (account, deal_ticket) DO NOTHING`,
    [deal.account, deal.dealTicket, deal.orderTicket, deal.positionId, deal.clientOrderId, deal.symbol, deal.side, deal.entry, deal.volume, deal.price,
      deal.commission, deal.swap, deal.profit, deal.fee ?? '0', String(deal.magic), deal.comment, deal.reason, deal.time],
  );
  return result.rowCount === 1;
}

interface DealRow {
  deal_ticket: string; position_id: string; client_order_id: string | null; symbol: string; side: 'BUY' | 'SELL'; entry: DealFact['entry'];
  volume: string; price: string; commission: string; swap: string; profit: string; fee: string; magic: string; comment: string;
  reason: DealFact['reason']; time: Date;
}

export async function positionHasDeals(db: Queryable, account: string, positionId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM deals WHERE account = $1 AND position_id = $2 LIMIT 1', [account, positionId]);
  return (rowCount ?? 0) > 0;
}

export async function loadPositionDeals(db: Queryable, account: string, positionId: string): Promise<DealFact[]> {
  const { rows } = await db.query<DealRow>(
    `SELECT deal_ticket, position_id, client_order_id, symbol, side, entry, volume::text, price::text, commission::text, swap::text,
       profit::text, fee::text, magic::text, comment, reason, time
     FROM deals WHERE account = $1 AND position_id = $2`,
    [account, positionId],
  );
  return rows.map((row) => ({
    dealTicket: row.deal_ticket, positionId: row.position_id, clientOrderId: row.client_order_id, symbol: row.symbol, side: row.side,
    entry: row.entry, volume: row.volume, price: row.price, commission: row.commission, swap: row.swap, profit: row.profit, fee: row.fee,
    magic: Number(row.magic), comment: row.comment, reason: row.reason, time: row.time.getTime(),
  }));
}

/** What the history keeps of a position besides its deals. */
export interface PositionRow {
  readonly status: 'OPEN' | 'CLOSED';
  readonly initialStopLoss: string | null;
  readonly closeTime: number | null;
  readonly snapshotTime: number;
}

export async function lockPosition(db: Queryable, account: string, positionId: string): Promise<PositionRow | null> {
  const { rows } = await db.query<{ status: 'OPEN' | 'CLOSED'; initial_stop_loss: string | null; close_time: Date | null; snapshot_time: Date }>(
    `SELECT status, initial_stop_loss::text, close_time, snapshot_time FROM positions WHERE account = $1 AND position_id = $2 FOR UPDATE`,
    [account, positionId],
  );
  const row = rows[0];
  return row ? { status: row.status, initialStopLoss: row.initial_stop_loss, closeTime: row.close_time?.getTime() ?? null, snapshotTime: row.snapshot_time.getTime() } : null;
}

/**
 * A position first seen through a deal: a row to hang the deal-derived state on. `side` is the
 * position's (the deal's own for an opening deal, the other one for a close that came first).
 */
export async function insertPositionFromDeal(db: Queryable, deal: Deal, side: 'BUY' | 'SELL', initialStopLoss: string | null): Promise<void> {
  await db.query(
    `INSERT INTO positions (account, position_id, symbol, side, status, volume, open_price, initial_stop_loss, stop_loss, magic, comment,
       external, open_time, snapshot_time)
     VALUES ($1, $2, $3, $4, 'OPEN', 0, $5, $6, $6, $7, $8, $9, $10, $10)
     ON CONFLICT (account, position_id) DO NOTHING`,
    [deal.account, deal.positionId, deal.symbol, side, deal.price, initialStopLoss, String(deal.magic), deal.comment, deal.clientOrderId === null, deal.time],
  );
}

/**
 * Applies a terminal snapshot of an open position. A newer snapshot updates the live figures
 * (price, profit, swap, stops); the first stop seen becomes the initial stop; volume and entry
 * come from the snapshot only while no deal of the position is known (deals are the record).
 * Returns whether the initial stop was set by this snapshot.
 */
export async function applyPositionSnapshot(db: Queryable, snapshot: PositionSnapshot, hasDeals: boolean, strategyId: string): Promise<boolean> {
  const existing = await lockPosition(db, snapshot.account, snapshot.positionId);
  const time = Date.parse(snapshot.time);
  if (!existing) {
    await db.query(
      `INSERT INTO positions (account, position_id, symbol, side, status, volume, open_price, current_price, stop_loss, take_profit,
         initial_stop_loss, profit, swap, magic, comment, external, strategy_id, open_time, snapshot_time)
       VALUES ($1, $2, $3, $4, 'OPEN', $5, $6, $7, $8, $9, $8, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [snapshot.account, snapshot.positionId, snapshot.symbol, snapshot.side, snapshot.volume, snapshot.openPrice, snapshot.currentPrice,
        snapshot.stopLoss, snapshot.takeProfit, snapshot.profit, snapshot.swap, String(snapshot.magic), snapshot.comment, snapshot.external,
        strategyId, snapshot.openTime, snapshot.time],
    );
    return snapshot.stopLoss !== null;
  }
  const setsInitialStop = existing.initialStopLoss === null && snapshot.stopLoss !== null;
  const newer = time >= existing.snapshotTime;
  await db.query(
    `UPDATE positions SET
       initial_stop_loss = COALESCE(initial_stop_loss, $3),
       current_price = CASE WHEN $4::boolean THEN $5::numeric ELSE current_price END,
       stop_loss = CASE WHEN $4::boolean THEN $3::numeric ELSE stop_loss END,
       take_profit = CASE WHEN $4::boolean THEN $6::numeric ELSE take_profit END,
       profit = CASE WHEN $4::boolean AND status = 'OPEN' THEN $7::numeric ELSE profit END,
       swap = CASE WHEN $4::boolean AND status = 'OPEN' THEN $8::numeric ELSE swap END,
       volume = CASE WHEN $4::boolean AND NOT $9::boolean THEN $10::numeric ELSE volume END,
       open_price = CASE WHEN $4::boolean AND NOT $9::boolean THEN $11::numeric ELSE open_price END,
       external = external OR $12::boolean,
       snapshot_time = GREATEST(snapshot_time, $13::timestamptz),
       updated_at = now()
     WHERE account = $1 AND position_id = $2`,
    [snapshot.account, snapshot.positionId, snapshot.stopLoss, newer, snapshot.currentPrice, snapshot.takeProfit, snapshot.profit, snapshot.swap,
      hasDeals, snapshot.volume, snapshot.openPrice, snapshot.external, snapshot.time],
  );
  return setsInitialStop;
}

/** Marks a position closed as the terminal reported it (deals may still be on their way). */
export async function markPositionClosed(db: Queryable, account: string, positionId: string, closeTime: string): Promise<boolean> {
  const result = await db.query(
    `UPDATE positions SET status = 'CLOSED', close_time = GREATEST(COALESCE(close_time, $3::timestamptz), $3::timestamptz), updated_at = now()
     WHERE account = $1 AND position_id = $2`,
    [account, positionId, closeTime],
  );
  return result.rowCount === 1;
}

/** Writes the deal-derived state of a position (volume, entry, side, strategy, status). */
export async function updatePositionFromDeals(db: Queryable, account: string, positionId: string, state: PositionState, status: 'OPEN' | 'CLOSED', lastDealTime: number): Promise<void> {
  await db.query(
    `UPDATE positions SET
       side = COALESCE($3, side), volume = $4, open_price = COALESCE($5::numeric, open_price), open_time = COALESCE($6::timestamptz, open_time),
       strategy_id = COALESCE($7, strategy_id), magic = $8, comment = $9, external = $10, status = $11,
       close_time = CASE WHEN $11 = 'CLOSED' THEN COALESCE(GREATEST(close_time, $12::timestamptz), $12::timestamptz) ELSE NULL END,
       profit = CASE WHEN $11 = 'CLOSED' THEN 0 ELSE profit END,
       snapshot_time = GREATEST(snapshot_time, $13::timestamptz), updated_at = now()
     WHERE account = $1 AND position_id = $2`,
    [account, positionId, state.side, state.volume, state.openPrice, state.openTime === null ? null : new Date(state.openTime),
      state.strategyId, String(state.magic), state.comment, state.external, status, state.closeTime === null ? null : new Date(state.closeTime), new Date(lastDealTime)],
  );
}

/**
 * Makes the trades of one position exactly `trades`: inserts new round trips, refreshes
 * derived figures of existing ones (an initial stop learnt later gives R), and removes round
 * trips a replay no longer produces. Returns the UTC days whose trades changed.
 */
export async function replacePositionTrades(db: Queryable, account: string, positionId: string, trades: readonly TradeFact[]): Promise<Set<number>> {
  const { rows: before } = await db.query<{ close_deal_ticket: string; exit_time: Date }>(
    'SELECT close_deal_ticket, exit_time FROM trades WHERE account = $1 AND position_id = $2', [account, positionId],
  );
  const touched = new Set<number>([...before.map((row) => row.exit_time.getTime()), ...trades.map((trade) => trade.exitTime)]);
  const keep = trades.map((trade) => trade.closeDealTicket);
  await db.query('DELETE FROM trades WHERE account = $1 AND position_id = $2 AND NOT (close_deal_ticket = ANY($3::text[]))', [account, positionId, keep]);
  for (const trade of trades) {
    await db.query(
      `INSERT INTO trades (account, position_id, close_deal_ticket, strategy_id, symbol, side, volume, entry_time, entry_price, exit_time, exit_price,
         gross_profit, commission, swap, fee, net_profit, pips, r_multiple, duration_seconds, exit_reason, external)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
       ON CONFLICT (account, position_id, close_deal_ticket) DO UPDATE SET
         strategy_id = EXCLUDED.strategy_id, side = EXCLUDED.side, volume = EXCLUDED.volume, entry_time = EXCLUDED.entry_time,
         entry_price = EXCLUDED.entry_price, exit_time = EXCLUDED.exit_time, exit_price = EXCLUDED.exit_price, gross_profit = EXCLUDED.gross_profit,
         commission = EXCLUDED.commission, swap = EXCLUDED.swap, fee = EXCLUDED.fee, net_profit = EXCLUDED.net_profit, pips = EXCLUDED.pips,
         r_multiple = EXCLUDED.r_multiple, duration_seconds = EXCLUDED.duration_seconds, exit_reason = EXCLUDED.exit_reason, external = EXCLUDED.external`,
      [trade.account, trade.positionId, trade.closeDealTicket, trade.strategyId, trade.symbol, trade.side, trade.volume, new Date(trade.entryTime),
        trade.entryPrice, new Date(trade.exitTime), trade.exitPrice, trade.grossProfit, trade.commission, trade.swap, trade.fee, trade.netProfit,
        trade.pips, trade.rMultiple, trade.durationSeconds, trade.exitReason, trade.external],
    );
  }
  return touched;
}
