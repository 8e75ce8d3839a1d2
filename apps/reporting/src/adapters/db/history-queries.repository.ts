import { TRADE_COLUMNS, toTradeFact, trimDecimal, tradeWhere, type TradeFilter, type TradeRow } from './trade-rows.js';
import type { Queryable } from './transaction.js';
import type { TradeFact } from '@mt5/domain/analytics';

/** A stored trade with its row id (the pagination key). */
export interface StoredTrade extends TradeFact {
  readonly id: string;
}

/** Keyset position in the newest-first trade list. */
export interface TradeCursor {
  readonly exitTime: number;
  readonly id: string;
}

export function encodeCursor(cursor: TradeCursor): string {
  return Buffer.from(`${cursor.exitTime}:${cursor.id}`).toString('base64url');
}

/** Null for anything the encoder did not make. */
export function decodeCursor(text: string): TradeCursor | null {
  const match = Buffer.from(text, 'base64url').toString().match(/^(\d{1,16}):(\d{1,20})$/);
  return match ? { exitTime: Number(match[1]), id: match[2] } : null;
}

/** Trades newest first (exit time, then id), `limit` per page, after `cursor`. */
export async function listTradesPage(db: Queryable, filter: TradeFilter, limit: number, cursor: TradeCursor | null): Promise<{ items: StoredTrade[]; nextCursor: string | null }> {
  const { where, params } = tradeWhere(filter);
  let sql = `SELECT ${TRADE_COLUMNS} FROM trades ${where}`;
  if (cursor) {
    params.push(new Date(cursor.exitTime), cursor.id);
    sql += `${where ? ' AND' : ' WHERE'} (exit_time, id) < ($${params.length - 1}, $${params.length}::bigint)`;
  }
  params.push(limit + 1);
  const { rows } = await db.query<TradeRow>(`${sql} ORDER BY exit_time DESC, id DESC LIMIT $${params.length}`, params);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({ id: row.id, ...toTradeFact(row) })),
    nextCursor: rows.length > limit && last ? encodeCursor({ exitTime: last.exit_time.getTime(), id: last.id }) : null,
  };
}

export const PositionStatusFilters = ['OPEN', 'CLOSED', 'ALL'] as const;
export type PositionStatusFilter = (typeof PositionStatusFilters)[number];

export interface PositionView {
  readonly account: string; readonly positionId: string; readonly symbol: string; readonly side: string; readonly status: string;
  readonly volume: string; readonly openPrice: string; readonly currentPrice: string | null; readonly stopLoss: string | null;
  readonly takeProfit: string | null; readonly initialStopLoss: string | null; readonly profit: string; readonly swap: string;
  readonly strategyId: string | null; readonly magic: string; readonly comment: string; readonly external: boolean;
  readonly openTime: string; readonly closeTime: string | null; readonly snapshotTime: string;
}

export async function listPositions(db: Queryable, filter: { account?: string; symbol?: string; status: PositionStatusFilter }, limit: number): Promise<PositionView[]> {
  const params: unknown[] = [];
  const clauses: string[] = [];
  const add = (sql: string, value: unknown) => clauses.push(sql.replace('?', `$${params.push(value)}`));
  if (filter.account) add('account = ?', filter.account);
  if (filter.symbol) add('symbol = ?', filter.symbol);
  if (filter.status !== 'ALL') add('status = ?', filter.status);
  params.push(limit);
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT account, position_id, symbol, side, status, volume::text, open_price::text, current_price::text, stop_loss::text, take_profit::text,
       initial_stop_loss::text, profit::text, swap::text, strategy_id, magic::text, comment, external, open_time, close_time, snapshot_time
     FROM positions ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY open_time DESC, position_id LIMIT $${params.length}`,
    params,
  );
  const dec = (value: unknown) => (value === null ? null : trimDecimal(value as string));
  return rows.map((row) => ({
    account: row.account as string, positionId: row.position_id as string, symbol: row.symbol as string, side: row.side as string,
    status: row.status as string, volume: trimDecimal(row.volume as string), openPrice: trimDecimal(row.open_price as string),
    currentPrice: dec(row.current_price), stopLoss: dec(row.stop_loss), takeProfit: dec(row.take_profit), initialStopLoss: dec(row.initial_stop_loss),
    profit: trimDecimal(row.profit as string), swap: trimDecimal(row.swap as string), strategyId: row.strategy_id as string | null,
    magic: row.magic as string, comment: row.comment as string, external: row.external as boolean,
    openTime: (row.open_time as Date).toISOString(), closeTime: row.close_time ? (row.close_time as Date).toISOString() : null,
    snapshotTime: (row.snapshot_time as Date).toISOString(),
  }));
}

/** A daily-performance row as served: the stored figures plus largest win and loss and the end balance. */
export interface DailyRowView {
  readonly day: string; readonly strategyId: string; readonly symbol: string; readonly trades: number; readonly wins: number;
  readonly losses: number; readonly grossProfit: string; readonly grossLoss: string; readonly commission: string; readonly swap: string;
  readonly netProfit: string; readonly volume: string; readonly largestWin: string | null; readonly largestLoss: string | null;
  readonly maxDrawdown: string | null; readonly startEquity: string | null; readonly endEquity: string | null; readonly endBalance: string | null;
}

/**
 * Daily rows of an account in [from, to) for one (strategy, symbol) group; `''` selects the
 * roll-up over that dimension. Largest win and loss come from the day's trades and the end
 * balance from the day's last snapshot (the table has no columns for them).
 */
export async function listDailyRows(db: Queryable, account: string, group: { strategyId: string; symbol: string }, from?: number, to?: number): Promise<DailyRowView[]> {
  const { rows } = await db.query<Record<string, string | number | null>>(
    `SELECT d.day::text AS day, d.strategy_id, d.symbol, d.trades, d.wins, d.losses, d.gross_profit::text, d.gross_loss::text, d.commission::text,
       d.swap::text, d.net_profit::text, d.volume::text, d.max_drawdown::text, d.start_equity::text, d.end_equity::text,
       t.largest_win::text, t.largest_loss::text,
       CASE WHEN d.strategy_id = '' AND d.symbol = '' THEN (SELECT s.balance::text FROM account_snapshots s
         WHERE s.account = d.account AND s.time < (d.day::timestamp AT TIME ZONE 'UTC') + interval '1 day' ORDER BY s.time DESC LIMIT 1) END AS end_balance
     FROM daily_performance d
     LEFT JOIN LATERAL (
       SELECT max(net_profit) FILTER (WHERE net_profit > 0) AS largest_win, min(net_profit) FILTER (WHERE net_profit < 0) AS largest_loss
       FROM trades t WHERE t.account = d.account AND t.exit_time >= (d.day::timestamp AT TIME ZONE 'UTC')
         AND t.exit_time < (d.day::timestamp AT TIME ZONE 'UTC') + interval '1 day'
         AND (d.strategy_id = '' OR t.strategy_id = d.strategy_id) AND (d.symbol = '' OR t.symbol = d.symbol)
     ) t ON true
     WHERE d.account = $1 AND d.strategy_id = $2 AND d.symbol = $3
       AND ($4::date IS NULL OR d.day >= $4::date) AND ($5::date IS NULL OR d.day < $5::date)
     ORDER BY d.day`,
    [account, group.strategyId, group.symbol, from === undefined ? null : new Date(from).toISOString().slice(0, 10),
      to === undefined ? null : new Date(to + 86_399_999).toISOString().slice(0, 10)],
  );
  const dec = (value: string | number | null) => (value === null ? null : trimDecimal(String(value)));
  return rows.map((row) => ({
    day: row.day as string, strategyId: row.strategy_id as string, symbol: row.symbol as string, trades: Number(row.trades),
    wins: Number(row.wins), losses: Number(row.losses), grossProfit: dec(row.gross_profit) as string, grossLoss: dec(row.gross_loss) as string,
    commission: dec(row.commission) as string, swap: dec(row.swap) as string, netProfit: dec(row.net_profit) as string, volume: dec(row.volume) as string,
    largestWin: dec(row.largest_win), largestLoss: dec(row.largest_loss), maxDrawdown: dec(row.max_drawdown),
    startEquity: dec(row.start_equity), endEquity: dec(row.end_equity), endBalance: dec(row.end_balance),
  }));
}
