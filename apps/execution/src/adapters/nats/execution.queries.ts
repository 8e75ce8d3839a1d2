import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import {
  accountString,
  barClosedSchema,
  describeZodError,
  OrderStatuses,
  Subjects,
  symbolString,
  timeframeSchema,
  type BarClosed,
  type BridgeHealth,
  type Timeframe,
} from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { QueryError, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { extractTraceContext, withSpan } from '@mt5/infra/telemetry';
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

/**
 * Every query may name the account. Each gateway instance serves one account and answers in a
 * queue group of its own, so with several accounts on one NATS every instance receives the
 * request: the ones serving another account stay silent. Without `account`, any instance answers
 * (fine for one account).
 */
const accountFilter = { account: accountString.optional() };

export const ordersQuerySchema = z.strictObject({
  ...accountFilter,
  statuses: z.array(z.enum(OrderStatuses)).optional(),
  symbol: symbolString.optional(),
  clientOrderId: z.string().optional(),
  limit: z.int().min(1).max(500).default(100),
});

/** `exec.qry.history`: closed bars from the terminal for market-data backfill. Times are UTC ISO. */
export const historyQuerySchema = z.strictObject({
  ...accountFilter,
  symbol: symbolString,
  timeframe: timeframeSchema,
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  maxCount: z.int().min(1).max(100_000).default(5000),
  venue: z.string().optional(),
});

const accountOnlySchema = z.strictObject(accountFilter);

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

/** Serves `exec.qry.orders`, `exec.qry.positions`, `exec.qry.history` and `exec.qry.bridge-health` for this instance's account. */
export function serveExecutionQueries(nc: NatsConnection, deps: QueryDependencies, logger: Logger): Subscription[] {
  const serve = <S extends z.ZodType<{ account?: string }>>(name: string, schema: S, handle: (request: z.output<S>) => unknown) =>
    serveAccountQuery(nc, { subject: subjectIn(Subjects.query('execution', name), deps.provision), account: deps.account, schema, handle }, logger);
  return [
    serve('orders', ordersQuerySchema, async ({ account: _account, ...filters }) => (await deps.store.query({ account: deps.account, ...filters })).map(orderView)),
    serve('positions', accountOnlySchema, async () => (await deps.store.openPositions(deps.account)).map(positionView)),
    serve('bridge-health', accountOnlySchema, () => deps.health()),
    serve('history', historyQuerySchema, (request) => history(deps, request)),
  ];
}

const encoder = new TextEncoder();

/**
 * `serveQuery` (libs/infra) for one account: same `{ ok, data } | { ok: false, error }` replies and
 * server span, but silent when the request names another account, and in a queue group per account.
 */
function serveAccountQuery<S extends z.ZodType<{ account?: string }>>(
  nc: NatsConnection,
  options: { subject: string; account: string; schema: S; handle: (request: z.output<S>) => unknown },
  logger: Logger,
): Subscription {
  const respond = (msg: Msg, reply: unknown) => {
    if (msg.reply) msg.respond(encoder.encode(JSON.stringify(reply)));
  };
  return nc.subscribe(options.subject, {
    queue: `execution-${options.account}`,
    callback: (error, msg) => {
      if (error) {
        logger.error({ err: error, subject: options.subject }, 'query subscription failed');
        return;
      }
      let body: unknown;
      try {
        body = msg.data.length > 0 ? msg.json() : {};
      } catch {
        respond(msg, { ok: false, error: { code: 'MSG.MALFORMED', message: 'request is not JSON', retryable: false } });
        return;
      }
      const named = (body as { account?: unknown } | null)?.account;
      if (typeof named === 'string' && named !== options.account) return;
      const parsed = options.schema.safeParse(body);
      if (!parsed.success) {
        respond(msg, { ok: false, error: { code: 'MSG.SCHEMA_VIOLATION', message: describeZodError(parsed.error), retryable: false } });
        return;
      }
      void withSpan(`query ${options.subject}`, { kind: 'server', parent: extractTraceContext(msg.headers) }, async () => options.handle(parsed.data))
        .then((data) => respond(msg, { ok: true, data }), (failure: { code?: unknown; message?: unknown; retryable?: unknown }) => {
          if (!(failure instanceof QueryError)) logger.error({ err: failure, subject: options.subject }, 'query handler failed');
          respond(msg, { ok: false, error: {
            code: typeof failure?.code === 'string' ? failure.code : 'SYS.INTERNAL', message: typeof failure?.message === 'string' ? failure.message : 'query failed',
            retryable: failure?.retryable === true,
          } });
        });
    },
  });
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
