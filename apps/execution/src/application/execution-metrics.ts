import { Metrics } from '@mt5/infra/health';
import { Counter, Gauge, register } from 'prom-client';
import type { WriteBatch } from './orders/order.types.js';

/*
 * Execution's own series, beside the platform's (`Metrics`). An order stuck in UNKNOWN is the one
 * state an operator must see: the gauge is what the alert rule watches.
 */
const gauge = (name: string, help: string, labelNames: string[]) =>
  (register.getSingleMetric(name) as Gauge<string> | undefined) ?? new Gauge({ name, help, labelNames });
const counter = (name: string, help: string, labelNames: string[]) =>
  (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });

export const ExecutionMetrics = {
  unknownOrders: gauge('mt5_execution_unknown_orders', 'Orders whose outcome is not known yet (settled by querying the terminal)', ['account']),
  settleFailures: counter('mt5_execution_settle_failures_total', 'Settlement attempts that could not query the terminal', ['account']),
  reconciliations: counter('mt5_execution_reconciliations_total', 'Reconciliations with the terminal, by outcome', ['account', 'outcome']),
  priceRetries: counter('mt5_execution_price_retries_total', 'Trade requests sent again after a requote, price change or price off', ['account', 'retcode']),
  ticksPublished: counter('mt5_execution_ticks_published_total', 'Ticks from the terminal republished on md.tick', ['symbol']),
} as const;

export function recordCommit(_account: string, batch: WriteBatch): void {
  for (const transition of batch.transitions ?? []) Metrics.orders.inc({ state: transition.to });
}
