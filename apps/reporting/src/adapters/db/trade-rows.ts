import type { Side } from '@mt5/contracts';
import type { TradeFact } from '@mt5/domain/analytics';
import type { Queryable } from './transaction.js';

/** Filters shared by trade reads; times are epoch ms, `from` inclusive and `to` exclusive, on the exit time. */
export interface TradeFilter {
  readonly account?: string;
  readonly strategyId?: string;
  readonly symbol?: string;
  readonly from?: number;
  readonly to?: number;
}

export const TRADE_COLUMNS = `id::text, account, position_id, close_deal_ticket, strategy_id, symbol, side, volume::text, entry_time, entry_price::text,
  exit_time, exit_price::text, gross_profit::text, commission::text, swap::text, fee::text, net_profit::text, pips::float8 AS pips,
  r_multiple::float8 AS r_multiple, duration_seconds, exit_reason, external`;

export interface TradeRow {
  id: string; account: string; position_id: string; close_deal_ticket: string; strategy_id: string | null; symbol: string; side: Side;
  volume: string; entry_time: Date; entry_price: string; exit_time: Date; exit_price: string; gross_profit: string; commission: string;
  swap: string; fee: string; net_profit: string; pips: number | null; r_multiple: number | null; duration_seconds: number; exit_reason: string;
  external: boolean;
}

/** NUMERIC comes back as text (`"77.20000000"`); the wire and the domain want it without padding. */
export function trimDecimal(text: string): string {
  if (!text.includes('.')) return text === '-0' ? '0' : text;
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

export function toTradeFact(row: TradeRow): TradeFact {
  return {
    account: row.account, positionId: row.position_id, closeDealTicket: row.close_deal_ticket, strategyId: row.strategy_id ?? '',
    symbol: row.symbol, side: row.side, volume: trimDecimal(row.volume), entryTime: row.entry_time.getTime(), entryPrice: trimDecimal(row.entry_price),
    exitTime: row.exit_time.getTime(), exitPrice: trimDecimal(row.exit_price), grossProfit: trimDecimal(row.gross_profit),
    commission: trimDecimal(row.commission), swap: trimDecimal(row.swap), fee: trimDecimal(row.fee), netProfit: trimDecimal(row.net_profit),
    pips: row.pips, rMultiple: row.r_multiple, durationSeconds: row.duration_seconds, exitReason: row.exit_reason, external: row.external,
  };
}

/** SQL `WHERE` clause and parameters for a trade filter. */
export function tradeWhere(filter: TradeFilter, params: unknown[] = []): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.account !== undefined) add('account = ?', filter.account);
  if (filter.strategyId !== undefined) add('strategy_id = ?', filter.strategyId);
  if (filter.symbol !== undefined) add('symbol = ?', filter.symbol);
  if (filter.from !== undefined) add('exit_time >= ?', new Date(filter.from));
  if (filter.to !== undefined) add('exit_time < ?', new Date(filter.to));
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Every trade matching the filter, in closing order. */
export async function loadTradeFacts(db: Queryable, filter: TradeFilter): Promise<TradeFact[]> {
  const { where, params } = tradeWhere(filter);
  const { rows } = await db.query<TradeRow>(`SELECT ${TRADE_COLUMNS} FROM trades ${where} ORDER BY exit_time, close_deal_ticket`, params);
  return rows.map(toTradeFact);
}
