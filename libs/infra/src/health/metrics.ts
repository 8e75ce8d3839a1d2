import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

/**
 * The platform's Prometheus metrics. Dashboards and alert rules in deploy/ use these names; a
 * test scrapes every service and checks that each name a dashboard or rule uses is exported.
 * Every service registers all of them (a metric with no samples still shows its HELP/TYPE).
 */
let defaultsStarted = false;
export function startDefaultMetrics(service: string): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  register.setDefaultLabels({ service });
  // The event-loop delay histogram samples every 100 ms, not every 10 ms (prom-client's default):
  // a 10 ms timer wakes each service 100 times a second and cost about 10 ms of CPU a second per
  // idle process here (measured with process.cpuUsage), for a lag figure that 100 ms samples
  // still show (a stall delays the next sample by its length whatever the period).
  collectDefaultMetrics({ eventLoopMonitoringPrecision: 100 });
}

function counter(name: string, help: string, labelNames: string[]) {
  return (register.getSingleMetric(name) as Counter<string>) ?? new Counter({ name, help, labelNames });
}
function gauge(name: string, help: string, labelNames: string[]) {
  return (register.getSingleMetric(name) as Gauge<string>) ?? new Gauge({ name, help, labelNames });
}
function histogram(name: string, help: string, labelNames: string[], buckets: number[]) {
  return (register.getSingleMetric(name) as Histogram<string>) ?? new Histogram({ name, help, labelNames, buckets });
}

const latencyBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const Metrics = {
  messagesHandled: counter('mt5_messages_handled_total', 'JetStream messages handled, by outcome (ack, nak, dead_letter)', ['stream', 'consumer', 'outcome']),
  handleDuration: histogram('mt5_message_handle_duration_seconds', 'Time to handle one JetStream message', ['stream', 'consumer'], latencyBuckets),
  redeliveries: counter('mt5_consumer_redeliveries_total', 'Messages received again after a nak or an ack timeout', ['stream', 'consumer']),
  deadLetters: counter('mt5_dlq_messages_total', 'Messages parked in the DLQ stream', ['stream', 'consumer']),
  consumerPending: gauge('mt5_consumer_pending_messages', 'Messages in the stream not yet delivered to the consumer', ['stream', 'consumer']),
  barsPublished: counter('mt5_bars_published_total', 'Closed bars published on md.bar', ['symbol', 'timeframe']),
  barsImported: counter('mt5_bars_imported_total', 'Bars stored by imports', []),
  signals: counter('mt5_signals_total', 'Signals published', ['strategy', 'symbol', 'side']),
  riskDecisions: counter('mt5_risk_decisions_total', 'Risk decisions', ['outcome', 'code']),
  orders: counter('mt5_orders_total', 'Order state transitions, by new state', ['state']),
  fillLatency: histogram('mt5_order_fill_latency_seconds', 'Signal to fill latency', [], latencyBuckets),
  breakerState: gauge('mt5_breaker_state', 'Breaker state (0 closed, 1 half-open, 2 open)', ['account', 'breaker']),
  tradingState: gauge('mt5_trading_state', 'Trading state (0 active, 1 reducing, 2 halted)', ['account']),
  bridgeConnected: gauge('mt5_bridge_connected', 'MT5 bridge session connected (1) or not (0)', ['account']),
  reconciliationDifferences: counter('mt5_reconciliation_differences_total', 'Differences found when reconciling with the terminal', ['account', 'kind']),
} as const;

export { register as metricsRegistry };
