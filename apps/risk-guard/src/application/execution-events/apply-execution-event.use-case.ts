import type {
  AccountSnapshot,
  BridgeHealth,
  Deal,
  Envelope,
  OrderEvent,
  PositionClosed,
  PositionSnapshot,
} from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import type { Clock, InstrumentCatalogue } from '../ports.js';
import type { AccountUnit, RiskStore } from '../risk-store.port.js';
import { applyAccountSnapshot, applyDeal, applyPositionClosed, applyPositionSnapshot, resolvePendingOrder } from './account-context.js';

/** An execution event as this use case takes it: the envelope type tells which payload it is. */
export type ExecutionEvent =
  | { readonly type: 'exec.account.snapshot'; readonly data: AccountSnapshot }
  | { readonly type: 'exec.position.snapshot'; readonly data: PositionSnapshot }
  | { readonly type: 'exec.position.closed'; readonly data: PositionClosed }
  | { readonly type: 'exec.deal.executed'; readonly data: Deal }
  | { readonly type: 'exec.bridge.health'; readonly data: BridgeHealth }
  | { readonly type: `exec.order.${string}`; readonly data: OrderEvent };

/** Keys in `processed_messages` for effects that are not naturally idempotent. */
const PROCESSED = 'risk-guard-exec-events';

const dealKey = (deal: Deal) => `deal:${deal.account}:${deal.dealTicket}`;
const resultKey = (event: OrderEvent, ok: boolean) => `result:${event.account}:${event.clientOrderId}:${ok ? 'ok' : 'failed'}`;

/** The processed-message key the event's unit marks first, if any (the store may mark it while locking). */
function processedKey(event: ExecutionEvent): string | null {
  if (event.type === 'exec.deal.executed') return dealKey(event.data);
  if (!event.type.startsWith('exec.order.')) return null;
  const ok = executionResultOf(event.data as OrderEvent);
  return ok === null ? null : resultKey(event.data as OrderEvent, ok);
}

/**
 * Whether an order event is an execution result for the breaker: the request reached the venue
 * and came back (accepted, filled, rejected by the venue, cancelled) or failed in transport
 * (unknown outcome; expired unsent, i.e. the bridge was down). Submitted is neither.
 */
export function executionResultOf(event: OrderEvent): boolean | null {
  switch (event.status) {
    case 'ACCEPTED':
    case 'PARTIALLY_FILLED':
    case 'FILLED':
    case 'REJECTED':
    case 'CANCELLED':
      return true;
    case 'UNKNOWN':
      return false;
    case 'EXPIRED':
      return event.orderTicket === null ? false : null;
    default:
      return null;
  }
}

/**
 * Keeps each account's context (snapshot, positions, booked results) from execution events and
 * feeds the breakers: snapshots (daily loss, drawdown), closed round trips (losing streak) and
 * execution results (execution failures). Snapshots and position events are idempotent by their
 * times; deals and results are recorded once by natural key, so redelivery changes nothing.
 */
export class ApplyExecutionEventUseCase {
  constructor(
    private readonly store: RiskStore,
    private readonly clock: Clock,
    private readonly catalogue: InstrumentCatalogue,
    private readonly leverage: number,
    private readonly logger: Logger,
  ) {}

  async apply(envelope: Envelope, event: ExecutionEvent): Promise<void> {
    if (event.type === 'exec.bridge.health' || event.type === 'exec.order.submitted') return;
    const account = event.data.account;
    const key = processedKey(event);
    const prefetch = key === null ? undefined : { processed: { consumer: PROCESSED, key } };
    await this.store.inAccount(account, { cause: envelope, now: this.clock.now(), prefetch, urgent: true }, (unit) => this.applyIn(unit, event));
  }

  private async applyIn(unit: AccountUnit, event: ExecutionEvent): Promise<void> {
    const { context } = unit.world;
    switch (event.type) {
      case 'exec.account.snapshot': {
        const snapshot = event.data;
        unit.setContext(applyAccountSnapshot(context, snapshot, this.leverage));
        unit.apply({ type: 'ACCOUNT_SNAPSHOT', time: Date.parse(snapshot.time), balance: Number(snapshot.balance), equity: Number(snapshot.equity) });
        return;
      }
      case 'exec.position.snapshot': {
        const known = context.positionMeta[event.data.positionId]?.strategyId ?? null;
        const strategyId = known ?? (event.data.external ? null : (await unit.strategyByMagic(event.data.magic))?.strategyId ?? null);
        unit.setContext(applyPositionSnapshot(context, event.data, strategyId));
        return;
      }
      case 'exec.position.closed':
        unit.setContext(applyPositionClosed(context, event.data));
        return;
      case 'exec.deal.executed':
        return this.applyDeal(unit, event.data);
      case 'exec.bridge.health':
        return;
      default:
        return this.applyOrderEvent(unit, event.data);
    }
  }

  private async applyDeal(unit: AccountUnit, deal: Deal): Promise<void> {
    if (!(await unit.markProcessed(PROCESSED, dealKey(deal)))) return;
    const strategyId = await this.strategyOfDeal(unit, deal);
    const change = applyDeal(unit.world.context, deal, this.catalogue.bySymbol[deal.symbol], strategyId);
    if (change.note) this.logger.warn({ account: deal.account, dealTicket: deal.dealTicket }, change.note);
    unit.setContext(change.context);
    if (change.closedTrade) {
      const { time, strategyId: owner, profit } = change.closedTrade;
      unit.apply({ type: 'TRADE_CLOSED', time, strategyId: owner, profit });
    }
  }

  /** Only an entry deal names the strategy: by the clientOrderId risk allowed, else by magic. */
  private async strategyOfDeal(unit: AccountUnit, deal: Deal): Promise<string | null> {
    if (deal.entry !== 'IN' && deal.entry !== 'INOUT') return null;
    if (deal.clientOrderId !== null) {
      const strategyId = await unit.strategyOfOrder(deal.clientOrderId);
      if (strategyId !== null) return strategyId;
    }
    return (await unit.strategyByMagic(deal.magic))?.strategyId ?? null;
  }

  private async applyOrderEvent(unit: AccountUnit, event: OrderEvent): Promise<void> {
    if (event.status === 'FILLED' || event.status === 'REJECTED' || event.status === 'CANCELLED' || event.status === 'EXPIRED') {
      unit.setContext(resolvePendingOrder(unit.world.context, event.clientOrderId));
    }
    const ok = executionResultOf(event);
    if (ok === null) return;
    // One success and at most one failure per order: partial fills after an accept are not more successes.
    if (!(await unit.markProcessed(PROCESSED, resultKey(event, ok)))) return;
    unit.apply({ type: 'EXECUTION_RESULT', time: Date.parse(event.time), ok });
  }
}
