import { Decimal } from 'decimal.js';
import type { Deal, DealEntry, DealReason, OrderStatus, OrderType, Side } from '@mt5/contracts';
import type { OrderOrigin, OrderRecord, PositionRecord } from '../../application/orders/order.types.js';

/** NUMERIC columns come back as strings with the column's scale ("0.10000000"); the bus wants "0.1". */
export function decimalText(value: string): string;
export function decimalText(value: string | null): string | null;
export function decimalText(value: string | null): string | null {
  return value === null ? null : new Decimal(value).toFixed();
}

export interface OrderRow {
  id: string; client_order_id: string; account: string; magic: number; comment: string; symbol: string; side: string; order_type: string;
  volume: string; filled_volume: string; price: string | null; average_price: string | null; stop_loss: string | null; take_profit: string | null;
  status: string; order_ticket: string | null; position_id: string | null; valid_until: Date; signal_id: string | null; strategy_id: string | null;
  attempts: number; last_retcode: number | null; last_error: string | null; version: number; created_at: Date; updated_at: Date;
  origin?: OrderOrigin | null;
}

export function toOrderRecord(row: OrderRow, origin?: OrderOrigin): OrderRecord {
  return {
    id: row.id, clientOrderId: row.client_order_id, account: row.account, magic: row.magic, comment: row.comment, symbol: row.symbol,
    side: row.side as Side, orderType: row.order_type as OrderType, volume: decimalText(row.volume), filledVolume: decimalText(row.filled_volume),
    price: decimalText(row.price), averagePrice: decimalText(row.average_price), stopLoss: decimalText(row.stop_loss), takeProfit: decimalText(row.take_profit),
    status: row.status as OrderStatus, orderTicket: row.order_ticket, positionId: row.position_id, validUntil: row.valid_until,
    signalId: row.signal_id, strategyId: row.strategy_id, attempts: row.attempts, lastRetcode: row.last_retcode, lastError: row.last_error,
    version: row.version, createdAt: row.created_at, updatedAt: row.updated_at,
    origin: origin ?? row.origin ?? { commandId: 'unknown', commandType: 'unknown', correlationId: row.client_order_id },
  };
}

export interface DealRow {
  account: string; deal_ticket: string; order_ticket: string; position_id: string; client_order_id: string | null; symbol: string; side: string;
  entry: string; volume: string; price: string; commission: string; swap: string; profit: string; fee: string; magic: string; comment: string;
  reason: string; time: Date;
}

export function toDeal(row: DealRow): Deal {
  const fee = decimalText(row.fee);
  return {
    account: row.account, dealTicket: row.deal_ticket, orderTicket: row.order_ticket, positionId: row.position_id, clientOrderId: row.client_order_id,
    symbol: row.symbol, side: row.side as Side, entry: row.entry as DealEntry, volume: decimalText(row.volume), price: decimalText(row.price),
    commission: decimalText(row.commission), swap: decimalText(row.swap), profit: decimalText(row.profit), ...(fee !== '0' ? { fee } : {}),
    time: row.time.toISOString(), magic: Number(row.magic), comment: row.comment, reason: row.reason as DealReason,
  };
}

export interface PositionRow {
  account: string; position_id: string; symbol: string; side: string; volume: string; open_price: string; current_price: string | null;
  stop_loss: string | null; take_profit: string | null; profit: string; swap: string; magic: string; comment: string; external: boolean;
  strategy_id: string | null; open_time: Date; snapshot_time: Date;
}

export function toPositionRecord(row: PositionRow): PositionRecord {
  return {
    account: row.account, positionId: row.position_id, symbol: row.symbol, side: row.side as Side, volume: decimalText(row.volume),
    openPrice: decimalText(row.open_price), currentPrice: decimalText(row.current_price ?? row.open_price), stopLoss: decimalText(row.stop_loss),
    takeProfit: decimalText(row.take_profit), profit: decimalText(row.profit), swap: decimalText(row.swap), openTime: row.open_time.toISOString(),
    magic: Number(row.magic), comment: row.comment, external: row.external, strategyId: row.strategy_id, snapshotTime: row.snapshot_time.toISOString(),
  };
}
