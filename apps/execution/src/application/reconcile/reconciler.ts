import type { BridgeDeal } from '@mt5/contracts';
import { Metrics } from '@mt5/infra/health';
import { commitAndPublish, type ExecutionContext } from '../execution-context.js';
import type { FillRecorder } from '../fills/fill-recorder.js';
import { Transitions } from '../orders/order-transitions.js';
import type { OrderRecord } from '../orders/order.types.js';
import type { PositionSync } from '../positions/position-sync.js';
import type { OrderSettler } from '../settle-order/order-settler.js';
import { dealsWindow } from '../session/terminal-time.js';
import { belongsTo, type SettlementEvidence } from '../settle-order/settlement.js';

/** Largest deals page asked for: a deal is ~350 bytes of JSON and a frame is at most 1 MiB. */
const DEALS_PAGE = 2000;
/** Pages per reconciliation before giving up (and retrying later) rather than looping forever. */
const MAX_PAGES = 500;

export interface ReconcileSettings {
  /** First reconciliation of an account (no deal recorded yet): how far back deals are imported. */
  readonly initialLookbackMs: number;
  /** Overlap before the newest recorded deal, for deals the terminal reports late. */
  readonly overlapMs: number;
}

export interface ReconcileReport {
  readonly newDeals: number;
  readonly settled: number;
  readonly stillUnknown: number;
  readonly positionsOpened: number;
  readonly positionsChanged: number;
  readonly positionsClosed: number;
}

/**
 * Runs on every (re)connect, before any new order goes out: fetches the account, active orders,
 * positions and the deals since the newest one recorded (or since the oldest open order), records
 * missing deals, settles orders whose outcome is unknown, closes our pending orders that no longer
 * rest at the venue, and makes the positions table equal the terminal's (adopting external ones).
 * Every surprise is counted in `mt5_reconciliation_differences_total`. Any failed query throws:
 * a failed query is not "flat", so the gate stays closed and reconciliation is tried again.
 * Call under the account lock.
 */
export class Reconciler {
  constructor(
    private readonly context: ExecutionContext,
    private readonly fills: FillRecorder,
    private readonly settler: OrderSettler,
    private readonly positionSync: PositionSync,
    private readonly settings: ReconcileSettings,
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const { terminal, store, account, market } = this.context;
    const accountState = await terminal.account();
    const activeOrders = await terminal.orders();
    const positions = await terminal.positions();
    // Under the lock no send is in flight: a SUBMITTED order is one the process died on (or whose
    // session dropped mid-send). Its outcome is unknown; say so before settling it.
    for (const stale of await store.listByStatus(account, ['SUBMITTED'])) {
      await this.settler.markUnknown(stale, 'the send was interrupted (gateway restart or lost session): outcome unknown');
    }
    const open = await store.listByStatus(account, ['UNKNOWN', 'ACCEPTED', 'PARTIALLY_FILLED']);
    const symbols = [...new Set([...positions.map((p) => p.symbol), ...open.map((o) => o.symbol)])].filter((s) => !market.spec(s));
    if (symbols.length > 0) market.addSpecs((await terminal.symbols(symbols)).specs);
    const deals = await this.dealsSince(open);
    const recorded = await this.fills.record(deals);
    this.count('deal_missing', recorded.newDeals.length);

    const evidence: SettlementEvidence = { deals, activeOrders, positions };
    let settled = 0;
    let stillUnknown = 0;
    for (const stale of await store.listByStatus(account, ['SUBMITTED', 'UNKNOWN', 'ACCEPTED', 'PARTIALLY_FILLED'])) {
      const after = await this.reconcileOrder(stale, evidence);
      if (after.status !== stale.status) settled++;
      if (after.status === 'UNKNOWN') stillUnknown++;
    }
    this.count('order_settled', settled);
    const ours = await store.findByTicketOrComment(account, activeOrders.map((o) => o.ticket), activeOrders.map((o) => o.comment).filter(Boolean));
    const strangers = activeOrders.filter((active) => !ours.some((order) => belongsTo(order, active, active.ticket)));
    this.count('order_external', strangers.length);

    const diff = await this.positionSync.sync({ countDifferences: true, positions, account: accountState });
    return {
      newDeals: recorded.newDeals.length, settled, stillUnknown,
      positionsOpened: diff.opened.length, positionsChanged: diff.changed.length, positionsClosed: diff.closed.length,
    };
  }

  private async reconcileOrder(order: OrderRecord, evidence: SettlementEvidence): Promise<OrderRecord> {
    const resting = evidence.activeOrders.some((active) => belongsTo(order, active, active.ticket));
    const pending = order.orderType !== 'MARKET';
    if ((order.status === 'ACCEPTED' || order.status === 'PARTIALLY_FILLED') && pending) {
      if (resting) return order;
      // Filled parts were recorded above from the deals; what is left no longer rests anywhere.
      const result = await commitAndPublish(this.context, {
        transitions: [Transitions.cancelled(order, this.context.clock.now(), 'no longer active at the venue on reconciliation (cancelled or expired there)')],
      });
      this.count('order_missing', 1);
      return result.orders.get(order.clientOrderId) ?? order;
    }
    if (order.status === 'PARTIALLY_FILLED') return order;
    return (await this.settler.settle(order, evidence)).order;
  }

  /** Deals from the newest recorded one (minus an overlap) or the oldest open order, whichever is older; paged. */
  private async dealsSince(open: readonly OrderRecord[]): Promise<BridgeDeal[]> {
    const { terminal, store, account, clock, settings } = this.context;
    const last = await store.lastDealTime(account);
    // Recorded deal times went through toUtc, so toServer gives back the terminal's own clock.
    let from = last === null
      ? terminal.serverTimeAt(clock.now().getTime()) - this.settings.initialLookbackMs
      : terminal.toServer(Date.parse(last)) - this.settings.overlapMs;
    for (const order of open) from = Math.min(from, dealsWindow(terminal, order.createdAt.getTime(), settings.settleLookbackMs).from);
    from = Math.max(0, from);
    const to = Math.max(from, terminal.serverNow() + settings.settleLookbackMs);
    const all: BridgeDeal[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const reply = await terminal.deals({ from, to, maxCount: DEALS_PAGE });
      all.push(...reply.deals);
      const newest = reply.deals.at(-1)?.time;
      if (!reply.truncated || newest === undefined) return all;
      if (newest <= from) throw new Error(`deals page at ${from} is full of deals with one time; raise the page size`);
      from = newest;
    }
    throw new Error(`more than ${MAX_PAGES * DEALS_PAGE} deals to reconcile`);
  }

  private count(kind: string, n: number): void {
    if (n > 0) Metrics.reconciliationDifferences.inc({ account: this.context.account, kind }, n);
  }
}
