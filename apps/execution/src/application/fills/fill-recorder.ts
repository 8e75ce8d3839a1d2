import { createMessage, DealExecutedMessage, isTerminalOrderStatus, type BridgeDeal, type Deal } from '@mt5/contracts';
import { Metrics } from '@mt5/infra/health';
import { commitAndPublish, type ExecutionContext } from '../execution-context.js';
import { aggregateFills, atLeast, remaining } from '../mapping/decimals.js';
import { isTradeDeal, toDeal } from '../mapping/terminal.mapper.js';
import { Transitions, type FillProgress } from '../orders/order-transitions.js';
import type { DealWrite, OrderRecord, OrderTransition, OutboxMessage } from '../orders/order.types.js';

/** Deterministic deal event id: a deal reported twice (trade result, transaction, reconciliation) is one event. */
export const dealEventId = (account: string, dealTicket: string) => `deal:${account}:${dealTicket}`;

export interface RecordedFills {
  /** Deal tickets seen for the first time. */
  readonly newDeals: readonly string[];
  /** Our orders the deals belong to, after their fill transitions. */
  readonly orders: ReadonlyMap<string, OrderRecord>;
}

/** Trace headers of the command behind an order, so a fill consumer continues the signal's trace. */
function originHeaders(order: OrderRecord | undefined): Record<string, string> {
  if (!order?.origin.traceparent) return {};
  return { traceparent: order.origin.traceparent, ...(order.origin.tracestate ? { tracestate: order.origin.tracestate } : {}) };
}

/**
 * Turns terminal deals into fills. Every trade deal becomes a `deals` row (unique per account and
 * ticket, so a deal reported twice is one row and one `exec.evt.<account>.deal` event); a deal is
 * ours when its order ticket or its comment and magic match one of our orders. Each of our open
 * orders with deals moves to PARTIALLY_FILLED or FILLED from the sum of its deals. Rows, order
 * transitions and events commit together. Call under the account lock.
 */
export class FillRecorder {
  /** Deal tickets recorded recently (bounded): a transaction reporting one of them needs no lookup. */
  private readonly recent = new Set<string>();

  /** `afterNewDeals` runs when a commit recorded a new deal (positions and the account changed). */
  constructor(private readonly context: ExecutionContext, private readonly afterNewDeals: () => void = () => undefined) {}

  /**
   * `known`: the orders the deals are already known to belong to (the executor's own order), which
   * spares the lookup when every deal matches one of them.
   */
  async record(bridgeDeals: readonly BridgeDeal[], known: readonly OrderRecord[] = []): Promise<RecordedFills> {
    const { account, store, terminal, market } = this.context;
    // The same deal can arrive twice (paged replies overlap, a transaction races a trade result).
    const trades = [...new Map(bridgeDeals.filter(isTradeDeal).map((deal) => [deal.ticket, deal])).values()];
    const knownMatch = (deal: BridgeDeal) => known.some((o) => o.orderTicket === deal.order || (o.comment === deal.comment && o.magic === deal.magic));
    const orders = trades.length === 0 ? [] : trades.every(knownMatch) ? [...known] : await store.findByTicketOrComment(
      account, unique(trades.map((d) => d.order)), unique(trades.map((d) => d.comment).filter(Boolean)),
    );
    const owner = (deal: BridgeDeal) => orders.find((o) => o.orderTicket === deal.order)
      ?? orders.find((o) => o.comment === deal.comment && o.magic === deal.magic);
    const writes: DealWrite[] = [];
    const dealsByOrder = new Map<string, Deal[]>();
    for (const bridgeDeal of trades) {
      const order = owner(bridgeDeal);
      const deal = toDeal(account, bridgeDeal, order?.clientOrderId ?? null, (ms) => terminal.toUtc(ms), market.spec(bridgeDeal.symbol)?.digits);
      writes.push({ deal, message: dealMessage(deal, order) });
      if (order) dealsByOrder.set(order.clientOrderId, [...(dealsByOrder.get(order.clientOrderId) ?? []), deal]);
    }
    const transitions: OrderTransition[] = [];
    for (const [clientOrderId, fresh] of dealsByOrder) {
      const order = orders.find((o) => o.clientOrderId === clientOrderId);
      if (!order || isTerminalOrderStatus(order.status)) continue;
      const transition = await this.fillTransition(order, fresh);
      if (transition) transitions.push(transition);
    }
    if (writes.length === 0 && transitions.length === 0) return { newDeals: [], orders: new Map() };
    const result = await commitAndPublish(this.context, { deals: writes, transitions });
    for (const { deal } of writes) this.remember(deal.dealTicket);
    if (result.newDeals.length > 0) this.afterNewDeals();
    for (const transition of transitions) {
      const after = result.orders.get(transition.order.clientOrderId);
      if (after?.status === 'FILLED') observeFillLatency(after);
    }
    return { newDeals: result.newDeals, orders: result.orders };
  }

  /** True when this deal ticket was recorded by this instance lately. */
  isKnown(dealTicket: string): boolean {
    return this.recent.has(dealTicket);
  }

  private remember(dealTicket: string): void {
    this.recent.add(dealTicket);
    if (this.recent.size > 10_000) this.recent.delete(this.recent.values().next().value!);
  }

  /** The fill state an order's deals (stored and fresh) put it in; undefined when nothing changed. */
  private async fillTransition(order: OrderRecord, fresh: readonly Deal[]): Promise<OrderTransition | undefined> {
    // An order with nothing filled yet has no stored deals to add (and the lookup is not indexed).
    const untouched = order.status !== 'PARTIALLY_FILLED' && Number(order.filledVolume) === 0;
    const stored = untouched ? [] : await this.context.store.dealsOfOrder(order.account, order.clientOrderId);
    const all = new Map<string, Deal>();
    for (const deal of [...stored, ...fresh]) all.set(deal.dealTicket, deal);
    const deals = [...all.values()].sort((a, b) => a.time.localeCompare(b.time) || a.dealTicket.localeCompare(b.dealTicket));
    if (deals.length === 0) return undefined;
    const { volume, averagePrice } = aggregateFills(deals);
    if (order.status === 'PARTIALLY_FILLED' && atLeast(order.filledVolume, volume)) return undefined;
    const last = deals[deals.length - 1]!;
    const fill: FillProgress = {
      orderTicket: last.orderTicket, lastDealTicket: last.dealTicket, positionId: deals[0]!.positionId, filledVolume: volume, averagePrice,
    };
    const now = this.context.clock.now();
    return atLeast(volume, order.volume)
      ? Transitions.filled(order, now, fill)
      : Transitions.partiallyFilled(order, now, fill, remaining(order.volume, volume));
  }
}

function dealMessage(deal: Deal, order: OrderRecord | undefined): OutboxMessage {
  const envelope = createMessage(DealExecutedMessage, {
    id: dealEventId(deal.account, deal.dealTicket), data: deal, tsEvent: deal.time, tsInit: new Date(),
    ...(order ? { cause: { id: order.origin.commandId, correlationId: order.origin.correlationId } } : {}),
  });
  return { subject: DealExecutedMessage.subject(deal), envelope, headers: originHeaders(order) };
}

function observeFillLatency(order: OrderRecord): void {
  const from = order.origin.commandTime;
  if (!from) return;
  const seconds = (Date.now() - Date.parse(from)) / 1000;
  if (seconds >= 0 && Number.isFinite(seconds)) Metrics.fillLatency.observe(seconds);
}

const unique = (values: readonly string[]) => [...new Set(values)];
