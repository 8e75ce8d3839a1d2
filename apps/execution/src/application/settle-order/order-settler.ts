import { mt5RetcodeInfo, retcodeErrorCode, type ErrorCodeOf } from '@mt5/contracts';
import { commitAndPublish, type ExecutionContext } from '../execution-context.js';
import { ExecutionMetrics } from '../execution-metrics.js';
import type { FillRecorder } from '../fills/fill-recorder.js';
import { Transitions } from '../orders/order-transitions.js';
import type { OrderRecord, OrderTransition } from '../orders/order.types.js';
import { withOrderSpan } from '../telemetry/order-trace.js';
import { dealsWindow } from '../session/terminal-time.js';
import { decideSettlement, type Settlement, type SettlementEvidence } from './settlement.js';

/** Statuses settlement works on: UNKNOWN, and a SUBMITTED left behind by a crash (turned UNKNOWN first). */
export const UnsettledStatuses = ['SUBMITTED', 'UNKNOWN', 'ACCEPTED'] as const;

export type SettleOutcome = { readonly order: OrderRecord; readonly settlement: Settlement | { readonly kind: 'query-failed'; readonly reason: string } };

/**
 * Settles orders whose outcome is unknown by asking the terminal, never by sending again. Deals
 * are looked up by magic and exact comment over a window around the order's creation; active
 * orders and positions by magic. A query that fails leaves the order UNKNOWN (logged and counted
 * in `mt5_execution_settle_failures_total`) for the next attempt. Call under the account lock.
 */
export class OrderSettler {
  constructor(private readonly context: ExecutionContext, private readonly fills: FillRecorder) {}

  /** Turns a SUBMITTED order nobody is waiting on (the process died mid-send) into UNKNOWN. */
  async markUnknown(order: OrderRecord, reason: string): Promise<OrderRecord> {
    if (order.status !== 'SUBMITTED') return order;
    const result = await commitAndPublish(this.context, { transitions: [Transitions.unknown(order, this.context.clock.now(), null, reason)] });
    return result.orders.get(order.clientOrderId) ?? order;
  }

  /** One settle attempt. `evidence` comes from reconciliation; without it, the terminal is asked. */
  async settle(order: OrderRecord, evidence?: SettlementEvidence): Promise<SettleOutcome> {
    return withOrderSpan(order.origin, 'execution settle order', { attributes: { 'mt5.client_order_id': order.clientOrderId, 'mt5.status': order.status } }, async () => {
      const current = await this.markUnknown(order, 'a send was in progress when the gateway stopped: outcome unknown');
      let found: SettlementEvidence;
      try {
        found = evidence ?? await this.ask(current);
      } catch (error) {
        ExecutionMetrics.settleFailures.inc({ account: this.context.account });
        const reason = `terminal query failed: ${(error as Error).message}`;
        this.context.logger.error({ err: error, clientOrderId: order.clientOrderId }, 'settlement query failed: the order stays UNKNOWN until the next attempt');
        return { order: current, settlement: { kind: 'query-failed', reason } };
      }
      const settlement = decideSettlement(current, found, this.context.clock.now().getTime(), this.context.settings.settleWindowMs);
      return { order: await this.apply(current, settlement), settlement };
    });
  }

  private async ask(order: OrderRecord): Promise<SettlementEvidence> {
    const { terminal, settings } = this.context;
    const deals = await terminal.deals({ ...dealsWindow(terminal, order.createdAt.getTime(), settings.settleLookbackMs), magic: order.magic, comment: order.comment, maxCount: 1000 });
    const activeOrders = await terminal.orders({ magic: order.magic });
    const positions = await terminal.positions({ magic: order.magic });
    return { deals: deals.deals, activeOrders, positions };
  }

  private async apply(order: OrderRecord, settlement: Settlement): Promise<OrderRecord> {
    const now = this.context.clock.now();
    switch (settlement.kind) {
      case 'fills': {
        const recorded = await this.fills.record(settlement.deals);
        const after = recorded.orders.get(order.clientOrderId) ?? order;
        if (settlement.remainderCancelled && after.status === 'PARTIALLY_FILLED') {
          return this.commit(Transitions.cancelled(after, now, 'remainder not filled: the market order part-filled and nothing rests at the venue'), after);
        }
        return after;
      }
      case 'accepted':
        return order.status === 'UNKNOWN' ? this.commit(Transitions.accepted(order, now, settlement.orderTicket), order) : order;
      case 'wait':
        this.context.logger.info({ clientOrderId: order.clientOrderId, reason: settlement.reason }, 'order not settled yet');
        return order;
      case 'absent': {
        if (order.lastRetcode === null) return this.commit(Transitions.expired(order, now, settlement.reason), order);
        const info = mt5RetcodeInfo(order.lastRetcode);
        const code = (retcodeErrorCode(order.lastRetcode) ?? 'EXEC.OUTCOME_UNKNOWN') as ErrorCodeOf<'EXEC'>;
        return this.commit(Transitions.rejected(order, now, order.lastRetcode, `${settlement.reason} (last retcode ${order.lastRetcode} ${info.name})`, code), order);
      }
    }
  }

  private async commit(transition: OrderTransition, fallback: OrderRecord): Promise<OrderRecord> {
    const result = await commitAndPublish(this.context, { transitions: [transition] });
    return result.orders.get(fallback.clientOrderId) ?? fallback;
  }
}
