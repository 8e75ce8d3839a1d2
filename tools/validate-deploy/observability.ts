import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readYaml } from './compose.js';
import { deployMetricSources } from './metrics.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- YAML and dashboard JSON are walked as plain data */
type Any = any;

const SEVERITIES = ['critical', 'warning', 'info'];

/** Brackets, braces and parentheses balance (outside strings): catches a truncated expression. */
export function promqlBalanced(expression: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const ch of expression.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if ('([{'.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0;
}

/**
 * Alert rules have a name, an expression, a severity and a summary; dashboards refer only to
 * provisioned datasources, have unique panel ids and a uid; every expression is balanced.
 */
export function observabilityProblems(root: string): string[] {
  const problems: string[] = [];
  const sources = deployMetricSources(root);
  for (const file of sources.alerts) {
    const names = new Set<string>();
    for (const group of readYaml(file).groups ?? []) {
      for (const rule of group.rules ?? []) {
        const at = `${path.basename(file)}: ${rule.alert ?? '(unnamed)'}`;
        if (!rule.alert) problems.push(`${at}: alert name missing`);
        if (names.has(rule.alert)) problems.push(`${at}: duplicate alert name`);
        names.add(rule.alert);
        if (typeof rule.expr !== 'string' || !promqlBalanced(rule.expr)) problems.push(`${at}: expr missing or unbalanced`);
        if (!SEVERITIES.includes(rule.labels?.severity)) problems.push(`${at}: labels.severity must be one of ${SEVERITIES.join(', ')}`);
        if (!rule.annotations?.summary) problems.push(`${at}: annotations.summary missing`);
      }
    }
  }
  const datasourceDir = path.join(root, 'deploy', 'grafana', 'provisioning', 'datasources');
  const uids = new Set<string>(readdirSync(datasourceDir).filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => (readYaml(path.join(datasourceDir, f)).datasources ?? []).map((d: Any) => d.uid)));
  for (const file of sources.dashboards) {
    const dashboard = JSON.parse(readFileSync(file, 'utf8'));
    const at = path.basename(file);
    if (!dashboard.uid) problems.push(`${at}: uid missing`);
    const ids = new Set<number>();
    const visit = (node: Any) => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (!node || typeof node !== 'object') return;
      if (node.datasource?.uid && node.datasource.type !== 'grafana' && !uids.has(node.datasource.uid)) problems.push(`${at}: datasource ${node.datasource.uid} is not provisioned`);
      if (typeof node.expr === 'string' && !promqlBalanced(node.expr)) problems.push(`${at}: unbalanced expression ${node.expr}`);
      Object.values(node).forEach(visit);
    };
    for (const panel of dashboard.panels ?? []) {
      if (ids.has(panel.id)) problems.push(`${at}: duplicate panel id ${panel.id}`);
      ids.add(panel.id);
    }
    visit(dashboard);
  }
  return problems;
}
