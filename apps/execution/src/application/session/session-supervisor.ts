import type { BridgeBody } from '@mt5/contracts';
import { Metrics } from '@mt5/infra/health';
import { commitAndPublish, type ExecutionContext } from '../execution-context.js';
import { ExecutionMetrics } from '../execution-metrics.js';
import type { FillRecorder } from '../fills/fill-recorder.js';
import { Transitions } from '../orders/order-transitions.js';
import type { PositionSync } from '../positions/position-sync.js';
import type { Reconciler } from '../reconcile/reconciler.js';
import type { OrderSettler } from '../settle-order/order-settler.js';
import { dealsWindow } from './terminal-time.js';

export interface SupervisorSettings {
  readonly reconcileRetryMs: number;
  readonly settleRetryMs: number;
}

/** Delay that gathers the fills of a burst into one position sync. */
const POSITION_SYNC_DELAY_MS = 200;

/** Transactions remembered for duplicate detection, per EA instance and sequence number. */
const SEEN_TRANSACTIONS = 10_000;

/**
 * Follows the terminal session: on connect the gate closes (RECONCILING) and reconciliation runs,
 * again and again until it succeeds, then the gate opens (READY); on disconnect the gate closes
 * (DISCONNECTED). While READY it settles orders still UNKNOWN every `settleRetryMs` and turns trade
 * transactions (hints, deduplicated by EA instance and `seq`) into fills, cancellations and
 * position updates. All of it runs under the account lock.
 */
export class SessionSupervisor {
  private epoch = 0;
  private settleTimer: NodeJS.Timeout | undefined;
  private positionSyncQueued = false;
  private readonly seen = new Set<string>();
  private stopped = false;

  constructor(
    private readonly context: ExecutionContext,
    private readonly reconciler: Reconciler,
    private readonly settler: OrderSettler,
    private readonly fills: FillRecorder,
    private readonly positions: PositionSync,
    private readonly settings: SupervisorSettings,
    /** Called once each time the gate opens (subscribe ticks, …). */
    private readonly onReady: () => void = () => undefined,
  ) {}

  start(): void {
    this.stopped = false;
    this.settleTimer = setInterval(() => void this.settleUnknown(), this.settings.settleRetryMs);
    this.settleTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.settleTimer);
    this.epoch++;
  }

  connected(): void {
    const epoch = ++this.epoch;
    Metrics.bridgeConnected.set({ account: this.context.account }, 1);
    this.context.market.forgetSpecs();
    this.context.gate.set('RECONCILING');
    void this.reconcileUntilDone(epoch);
  }

  disconnected(): void {
    this.epoch++;
    Metrics.bridgeConnected.set({ account: this.context.account }, 0);
    this.context.gate.set('DISCONNECTED');
  }

  private async reconcileUntilDone(epoch: number): Promise<void> {
    const { logger, account, lock, gate } = this.context;
    while (epoch === this.epoch && !this.stopped) {
      const started = performance.now();
      try {
        const report = await lock.run(() => this.reconciler.reconcile());
        if (epoch !== this.epoch) return;
        ExecutionMetrics.reconciliations.inc({ account, outcome: 'ok' });
        logger.info({ ...report, ms: Math.round(performance.now() - started) }, 'reconciled with the terminal; orders may go out');
        gate.set('READY');
        this.onReady();
        return;
      } catch (error) {
        ExecutionMetrics.reconciliations.inc({ account, outcome: 'failed' });
        logger.error({ err: error }, 'reconciliation failed: new orders keep waiting; trying again');
        await new Promise((resolve) => setTimeout(resolve, this.settings.reconcileRetryMs));
      }
    }
  }

  /** Settles orders still UNKNOWN (and market orders confirmed but without their deal). */
  async settleUnknown(): Promise<void> {
    const { gate, lock, store, account, logger } = this.context;
    if (!gate.isReady() || lock.pending > 0) return this.updateUnknownGauge();
    await lock.run(async () => {
      const candidates = await store.listByStatus(account, ['UNKNOWN', 'ACCEPTED']);
      for (const order of candidates) {
        if (order.status === 'ACCEPTED' && order.orderType !== 'MARKET') continue;
        if (!gate.isReady()) break;
        await this.settler.settle(order);
      }
    }).catch((error) => logger.error({ err: error }, 'settle round failed'));
    await this.updateUnknownGauge();
  }

  private async updateUnknownGauge(): Promise<void> {
    const unknown = await this.context.store.listByStatus(this.context.account, ['UNKNOWN']).catch(() => undefined);
    if (unknown) ExecutionMetrics.unknownOrders.set({ account: this.context.account }, unknown.length);
  }

  /** A trade transaction pushed by the terminal. */
  transaction(eaInstanceId: string, body: BridgeBody<'trade_transaction'>): void {
    const key = `${eaInstanceId}:${body.seq}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.seen.size > SEEN_TRANSACTIONS) this.seen.delete(this.seen.values().next().value!);
    if (!this.context.gate.isReady()) return; // reconciliation will see the same facts
    if (body.type === 'DEAL_ADD' && body.deal) {
      // The executor records the deals of its own fills; only deals it did not see need the lookup.
      // (checked when the task runs: the executor may be recording this very deal right now).
      void this.run('record deal', async () => {
        if (!this.fills.isKnown(body.deal!)) await this.recordDealsOf(body);
      });
    }
    else if ((body.type === 'ORDER_DELETE' || body.type === 'HISTORY_ADD') && body.order && body.orderState && ['CANCELED', 'EXPIRED', 'REJECTED'].includes(body.orderState)) {
      void this.run('close pending order', () => this.pendingOrderGone(body.order!, body.orderState!));
    } else if (body.type === 'POSITION') this.requestPositionSync();
  }

  /**
   * Coalesced and debounced: one position sync `POSITION_SYNC_DELAY_MS` after the first request,
   * covering every fill in between, so a burst of fills costs one round of terminal queries and
   * orders are not held behind a sync per fill.
   */
  requestPositionSync(): void {
    if (this.positionSyncQueued || this.stopped) return;
    this.positionSyncQueued = true;
    const timer = setTimeout(() => {
      void this.context.lock.run(async () => {
        this.positionSyncQueued = false;
        if (this.context.gate.isReady()) await this.positions.sync({ countDifferences: false });
      }).catch((error) => this.context.logger.warn({ err: error }, 'position sync failed; the next change or reconciliation repairs it'));
    }, POSITION_SYNC_DELAY_MS);
    timer.unref();
  }

  private async recordDealsOf(body: BridgeBody<'trade_transaction'>): Promise<void> {
    const { terminal, settings } = this.context;
    const reply = await terminal.deals({
      ...dealsWindow(terminal, this.context.clock.now().getTime(), settings.settleLookbackMs), maxCount: 2000,
      ...(body.position && body.position !== '0' ? { positionId: body.position } : {}),
    });
    await this.fills.record(reply.deals);
  }

  private async pendingOrderGone(ticket: string, state: string): Promise<void> {
    const [order] = (await this.context.store.findByTicketOrComment(this.context.account, [ticket], []))
      .filter((o) => o.orderTicket === ticket && (o.status === 'ACCEPTED' || o.status === 'PARTIALLY_FILLED'));
    if (!order) return;
    const now = this.context.clock.now();
    const reason = `the venue reports the order ${state}`;
    await commitAndPublish(this.context, { transitions: [state === 'EXPIRED' ? Transitions.expired(order, now, reason) : Transitions.cancelled(order, now, reason)] });
  }

  private run(what: string, task: () => Promise<void>): Promise<void> {
    return this.context.lock.run(task).catch((error) => this.context.logger.warn({ err: error, task: what }, 'transaction handling failed; reconciliation repairs it'));
  }
}
