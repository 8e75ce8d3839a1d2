import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { NewOrder, OrderRecord } from './order.types.js';

/** A decimal as the orders table gives it back (`0.10000000` → `0.1`), so an order built here equals the one read. */
const stored = (value: string | null) => (value === null ? null : new Decimal(value).toFixed());

/**
 * The order as its NEW row reads once inserted (version 2: its NEW event is seq 1), built without
 * a round trip so the SUBMITTED transition can be rendered before the one statement that writes
 * both ({@link OrderStore.createSubmitted}).
 */
export function newOrderRecord(order: NewOrder, now: Date, id: string = randomUUID()): OrderRecord {
  return {
    ...order, id, volume: stored(order.volume)!, price: stored(order.price), stopLoss: stored(order.stopLoss), takeProfit: stored(order.takeProfit),
    filledVolume: '0', averagePrice: null, status: 'NEW', orderTicket: null, positionId: null, attempts: 0, lastRetcode: null, lastError: null,
    version: 2, createdAt: now, updatedAt: now,
  };
}
