import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * The metrics contract between the services and the deploy assets: every name a Grafana
 * dashboard or a Prometheus rule uses, with its type and labels. docs/runbook.md lists the same
 * table; the services register these names (libs/infra/src/health/metrics.ts).
 */
export const MetricsContract = {
  mt5_bars_published_total: { type: 'counter', labels: ['symbol', 'timeframe'] },
  mt5_bars_imported_total: { type: 'counter', labels: [] },
  mt5_signals_total: { type: 'counter', labels: ['strategy', 'symbol', 'side'] },
  mt5_risk_decisions_total: { type: 'counter', labels: ['outcome', 'code'] },
  mt5_orders_total: { type: 'counter', labels: ['state'] },
  mt5_order_fill_latency_seconds: { type: 'histogram', labels: [] },
  mt5_consumer_pending_messages: { type: 'gauge', labels: ['stream', 'consumer'] },
  mt5_consumer_redeliveries_total: { type: 'counter', labels: ['stream', 'consumer'] },
  mt5_dlq_messages_total: { type: 'counter', labels: ['stream', 'consumer'] },
  mt5_breaker_state: { type: 'gauge', labels: ['account', 'breaker'] },
  mt5_trading_state: { type: 'gauge', labels: ['account'] },
  mt5_bridge_connected: { type: 'gauge', labels: ['account'] },
  mt5_reconciliation_differences_total: { type: 'counter', labels: ['account', 'kind'] },
  mt5_messages_handled_total: { type: 'counter', labels: ['stream', 'consumer', 'outcome'] },
  mt5_message_handle_duration_seconds: { type: 'histogram', labels: ['stream', 'consumer'] },
  // prom-client defaults (collectDefaultMetrics).
  process_cpu_seconds_total: { type: 'counter', labels: [] },
  nodejs_eventloop_lag_seconds: { type: 'gauge', labels: [] },
} as const satisfies Record<string, { type: 'counter' | 'gauge' | 'histogram'; labels: readonly string[] }>;
export type ContractMetric = keyof typeof MetricsContract;

/** Series Prometheus makes itself; no service exports them. */
export const PrometheusSyntheticMetrics = ['up'] as const;

const PROMQL_WORDS = new Set([
  'and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'atmodifier',
  'inf', 'nan',
]);

/**
 * Metric names in a PromQL expression (as written: `x_bucket` stays `x_bucket`). Strings, label
 * matchers, ranges, grouping clauses and function names are removed first, so what is left
 * are identifiers that name series. Grafana variables (`$__rate_interval`, `$service`) only
 * appear inside ranges and matchers, which are removed.
 */
export function metricNamesInPromQL(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+\S+/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.$])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || PROMQL_WORDS.has(name!.toLowerCase())) continue;
    names.add(name!);
  }
  return [...names];
}

/** `x_bucket`, `x_sum`, `x_count` of a histogram name `x` in the contract → `x`; others as they are. */
export function metricFamily(name: string): string {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && (MetricsContract as Record<string, { type: string }>)[base]?.type === 'histogram' ? base : name;
}

export interface MetricUse {
  readonly metric: string;
  /** `deploy/grafana/dashboards/pipeline.json: Bars published per second` or `deploy/prometheus/alerts.yml: MT5BreakerOpen`. */
  readonly where: string;
  readonly expression: string;
}

function dashboardExpressions(file: string): { where: string; expression: string }[] {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as { panels?: Panel[]; templating?: { list?: { name: string; query?: unknown; definition?: string }[] } };
  interface Panel { title?: string; targets?: { expr?: string }[]; panels?: Panel[] }
  const out: { where: string; expression: string }[] = [];
  const visit = (panels: Panel[] = []) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr) out.push({ where: `${path.basename(file)}: ${panel.title}`, expression: target.expr });
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating?.list ?? []) {
    const query = typeof variable.query === 'string' ? variable.query : (variable.query as { query?: string } | undefined)?.query ?? variable.definition;
    const inner = query && /label_values\((.*),\s*\w+\)\s*$/.exec(query)?.[1];
    if (inner) out.push({ where: `${path.basename(file)}: variable ${variable.name}`, expression: inner });
  }
  return out;
}

function alertExpressions(file: string): { where: string; expression: string }[] {
  const rules = parse(readFileSync(file, 'utf8')) as { groups: { rules: { alert?: string; record?: string; expr: string }[] }[] };
  return rules.groups.flatMap((group) => group.rules.map((rule) => ({ where: `${path.basename(file)}: ${rule.alert ?? rule.record}`, expression: String(rule.expr) })));
}

/** Where the deploy assets read metrics: every dashboard in deploy/grafana/dashboards and the alert rules. */
export function deployMetricSources(root: string): { dashboards: string[]; alerts: string[] } {
  const dashboardsDir = path.join(root, 'deploy', 'grafana', 'dashboards');
  return {
    dashboards: readdirSync(dashboardsDir).filter((name) => name.endsWith('.json')).sort().map((name) => path.join(dashboardsDir, name)),
    alerts: [path.join(root, 'deploy', 'prometheus', 'alerts.yml')],
  };
}

/** Every metric use in the dashboards and alert rules, one entry per (metric, place). */
export function metricUses(root: string): MetricUse[] {
  const sources = deployMetricSources(root);
  const expressions = [...sources.dashboards.flatMap(dashboardExpressions), ...sources.alerts.flatMap(alertExpressions)];
  return expressions.flatMap(({ where, expression }) => metricNamesInPromQL(expression).map((metric) => ({ metric, where, expression })));
}

/**
 * The metric families the services must export for the dashboards and alerts to work (histogram
 * series folded into their family, Prometheus' own `up` left out): what a metrics test scrapes for.
 */
export function requiredMetricFamilies(root: string): string[] {
  const synthetic = new Set<string>(PrometheusSyntheticMetrics);
  return [...new Set(metricUses(root).map((use) => metricFamily(use.metric)).filter((name) => !synthetic.has(name)))].sort();
}
