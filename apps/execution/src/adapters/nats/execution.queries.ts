import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import {
  barClosedSchema,
  OrderStatuses,
  Subjects,
  symbolString,
  timeframeSchema,
  type BarClosed,
  type BridgeHealth,
  type Timeframe,
} from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { QueryError, serveQuery, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { z } from 'zod';
import { toDecimalString } from '../../application/mapping/decimals.js';
import type { OrderRecord, OrderStore, PositionRecord } from '../../application/orders/order.types.js';
import type { TerminalPort } from '../../application/ports.js';
import type { BridgeGate } from '../../application/session/bridge-gate.js';
import type { MarketState } from '../../application/session/market-state.js';

/*
 * Request/reply queries execution answers. Their schemas live here until they move to
 * libs/contracts with their first consumer outside this service.
 */

export const ordersQuerySchema = z.strictObject({
  statuses: z.array(z.enum(OrderStatuses)).optional(),
  symbol: symbolString.optional(),
  clientOrderId: z.string().optional(),
  limit: z.int().min(1).max(500).default(100),
});

/** `exec.qry.history`: closed bars from the terminal for market-data backfill. Times are UTC ISO. */
export const historyQuerySchema = z.strictObject({
  symbol: symbolString,
  timeframe: timeframeSchema,
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  maxCount: z.int().min(1).max(100_000).default(5000),
  venue: z.string().optional(),
});

const TIMEFRAME_MS: Record<Timeframe, number> = { M1: 60_000, M5: 300_000, M15: 900_000, M30: 1_800_000, H1: 3_600_000, H4: 14_400_000, D1: 86_400_000 };

export interface QueryDependencies {
  readonly account: string;
  readonly venue: string;
  readonly store: OrderStore;
  readonly terminal: TerminalPort;
  readonly market: MarketState;
  readonly gate: BridgeGate;
  readonly health: () => BridgeHealth;
  readonly provision?: ProvisionOptions;
}

const orderView = (order: OrderRecord) => {
  const { origin, id: _id, version: _version, ...rest } = order;
  return { ...rest, validUntil: order.validUntil.toISOString(), createdAt: order.createdAt.toISOString(), updatedAt: order.updatedAt.toISOString(), correlationId: origin.correlationId };
};
const positionView = (position: PositionRecord) => position;

/** Serves `exec.qry.orders`, `exec.qry.positions`, `exec.qry.history` and `exec.qry.bridge-health`. */
export function serveExecutionQueries(nc: NatsConnection, deps: QueryDependencies, logger: Logger): Subscription[] {
  const subject = (name: string) => subjectIn(Subjects.query('execution', name), deps.provision);
  const queue = `execution-${deps.account}`;
  return [
    serveQuery(nc, {
      subject: subject('orders'), queue, request: ordersQuerySchema,
      handle: async (request) => (await deps.store.query({ account: deps.account, ...request })).map(orderView),
    }, logger),
    serveQuery(nc, {
      subject: subject('positions'), queue,
      handle: async () => (await deps.store.openPositions(deps.account)).map(positionView),
    }, logger),
    serveQuery(nc, { subject: subject('bridge-health'), queue, handle: () => deps.health() }, logger),
    serveQuery(nc, { subject: subject('history'), queue, request: historyQuerySchema, handle: (request) => history(deps, request) }, logger),
  ];
}

async function history(deps: QueryDependencies, request: z.infer<typeof historyQuerySchema>): Promise<{ bars: BarClosed[]; truncated: boolean }> {
  if (!deps.terminal.isConnected()) throw new QueryError('EXEC.BRIDGE_DISCONNECTED', 'no terminal session to ask for history', true);
  const { terminal } = deps;
  const reply = await terminal.bars({
    symbol: request.symbol, timeframe: request.timeframe, from: Math.max(0, terminal.toServer(Date.parse(request.from))),
    to: Math.max(0, terminal.toServer(Date.parse(request.to))), maxCount: request.maxCount,
  }).catch((error: Error) => {
    throw new QueryError((error as { code?: string }).code ?? 'BRIDGE.REQUEST_TIMEOUT', error.message, true);
  });
  const digits = deps.market.spec(request.symbol)?.digits;
  const span = TIMEFRAME_MS[request.timeframe];
  const now = terminal.serverNow();
  const bars: BarClosed[] = [];
  // Only closed bars: the last one of a reply may still be forming.
  for (const bar of reply.bars.filter((b) => b.time + span <= now)) {
    const candidate = {
      venue: request.venue ?? deps.venue, symbol: request.symbol, timeframe: request.timeframe,
      openTime: new Date(terminal.toUtc(bar.time)).toISOString(), closeTime: new Date(terminal.toUtc(bar.time + span)).toISOString(),
      open: toDecimalString(bar.open, digits), high: toDecimalString(bar.high, digits), low: toDecimalString(bar.low, digits), close: toDecimalString(bar.close, digits),
      tickVolume: bar.tickVolume, spread: bar.spread, ...(bar.realVolume > 0 ? { realVolume: toDecimalString(bar.realVolume, 8) } : {}),
    };
    const parsed = barClosedSchema.safeParse(candidate);
    if (parsed.success) bars.push(parsed.data);
  }
  return { bars, truncated: reply.truncated };
}
