/**
 * Validates the deploy assets with the tools that run anywhere (no Docker engine, no cluster):
 *
 *   node dist/tools/validate-deploy.js            # everything; exit 1 and a list when a check fails
 *   node dist/tools/validate-deploy.js metrics    # JSON: the metric families dashboards and alerts need
 *
 * - Kubernetes: `kubectl kustomize k8s/overlays/<env>` for dev and prod; every object is checked
 *   against the Kubernetes schema (kubernetes-models) plus unknown fields, then the platform's
 *   rules (probes, resources, preStop and grace, non-root read-only pods, secret references
 *   only, default-deny network, one execution pod per account, R3 streams in prod…).
 * - Compose: files exist, health checks, dependencies, loopback-only ports, NATS users,
 *   Prometheus targets and rule files.
 * - Observability: alert rules and dashboards are well formed; the metrics they use are the
 *   contract in docs/runbook.md (tools/validate-deploy.spec.ts checks the services register them).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeProblems } from './validate-deploy/compose.js';
import { Environments, invariantProblems } from './validate-deploy/kubernetes-invariants.js';
import { renderKustomization, schemaProblems, unknownFieldProblems } from './validate-deploy/kubernetes-schema.js';
import { MetricsContract, metricUses, requiredMetricFamilies } from './validate-deploy/metrics.js';
import { observabilityProblems } from './validate-deploy/observability.js';

export * from './validate-deploy/compose.js';
export * from './validate-deploy/kubernetes-invariants.js';
export * from './validate-deploy/kubernetes-schema.js';
export * from './validate-deploy/metrics.js';
export * from './validate-deploy/observability.js';

/** The repository root (this file lives in tools/, or in dist/tools/ once built). */
export const repositoryRoot = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '../..') : path.resolve(here, '..');
})();

/** Every problem found in the deploy assets, prefixed by where it is. */
export async function validateDeploy(root = repositoryRoot): Promise<string[]> {
  const problems: string[] = [];
  const rendered = Environments.map((environment) => ({ environment, objects: renderKustomization(path.join(root, 'k8s', 'overlays', environment)) }));
  // One TypeScript program for the unknown-field check covers the kinds of both overlays.
  unknownFieldProblems(rendered.flatMap((r) => r.objects));
  for (const { environment, objects } of rendered) {
    problems.push(...(await schemaProblems(objects)).map((p) => `k8s ${environment}: ${p}`));
    problems.push(...invariantProblems(objects, environment).map((p) => `k8s ${environment}: ${p}`));
  }
  problems.push(...composeProblems(path.join(root, 'deploy', 'compose', 'compose.yaml')));
  problems.push(...observabilityProblems(root));
  const contract = new Set(Object.keys(MetricsContract));
  for (const use of metricUses(root)) {
    const family = use.metric.replace(/_(bucket|sum|count)$/, '');
    if (use.metric !== 'up' && !contract.has(use.metric) && !contract.has(family)) problems.push(`${use.where}: ${use.metric} is not in the metrics contract`);
  }
  return problems;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'metrics') {
    console.log(JSON.stringify({ families: requiredMetricFamilies(repositoryRoot), uses: metricUses(repositoryRoot) }, null, 2));
    return 0;
  }
  const problems = await validateDeploy();
  for (const problem of problems) console.error(`✗ ${problem}`);
  console.log(problems.length === 0 ? '✓ deploy assets valid (k8s dev and prod, compose, dashboards, alerts)' : `${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
    console.error(error);
    process.exit(2);
  });
}
