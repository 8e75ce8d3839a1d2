import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { metricsRegistry, startDefaultMetrics } from '@mt5/infra/health';
import {
  composeDocumentProblems, composeProblems, Environments, invariantProblems, metricFamily, metricNamesInPromQL, MetricsContract,
  metricUses, observabilityProblems, OperatorSecrets, readYaml, renderKustomization, repositoryRoot, requiredMetricFamilies,
  schemaProblems, unknownFieldProblems, type Environment, type K8sObject,
} from './validate-deploy.js';

// The deploy assets checked with what runs here: kubectl's kustomize, the Kubernetes schema from
// kubernetes-models, YAML/JSON parsing. The negative cases show each rule can fail.
const root = repositoryRoot;
const composeFile = path.join(root, 'deploy', 'compose', 'compose.yaml');
const rendered = {} as Record<Environment, K8sObject[]>;
const clone = <T>(value: T): T => structuredClone(value);
/* eslint-disable @typescript-eslint/no-explicit-any -- tests poke into rendered YAML */
const find = (objects: K8sObject[], kind: string, name: string): any => objects.find((o) => o.kind === kind && o.metadata.name === name);

beforeAll(() => {
  for (const environment of Environments) rendered[environment] = renderKustomization(path.join(root, 'k8s', 'overlays', environment));
  unknownFieldProblems([...rendered.dev, ...rendered.prod]);
}, 60_000);

describe('Kubernetes overlays (kubectl kustomize k8s/overlays/dev and prod)', () => {
  it.each(Environments)('%s: every rendered object passes the Kubernetes schema and has no unknown field', async (environment) => {
    expect(rendered[environment].length).toBeGreaterThan(30);
    expect(await schemaProblems(rendered[environment])).toEqual([]);
  });

  it.each(Environments)('%s: satisfies the platform rules (probes, resources, preStop and grace, secrets, network, accounts)', (environment) => {
    expect(invariantProblems(rendered[environment], environment)).toEqual([]);
  });

  it('runs streams at R1 in dev and R3 in prod, on a 3-node NATS cluster in both', () => {
    const replicas = (env: Environment) => rendered[env].find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('mt5-config')) as any;
    expect(replicas('dev').data.NATS_STREAM_REPLICAS).toBe('1');
    expect(replicas('prod').data.NATS_STREAM_REPLICAS).toBe('3');
    for (const env of Environments) expect(find(rendered[env], 'StatefulSet', 'nats').spec.replicas).toBe(3);
  });

  it('runs the simulator in dev only, and one Recreate execution pod for account paper-1 in both', () => {
    expect(rendered.dev.some((o) => o.metadata.name === 'mt5-simulator')).toBe(true);
    expect(rendered.prod.some((o) => o.metadata.name.includes('simulator'))).toBe(false);
    for (const env of Environments) {
      const execution = find(rendered[env], 'Deployment', 'execution-paper-1');
      expect({ replicas: execution.spec.replicas, strategy: execution.spec.strategy.type }).toEqual({ replicas: 1, strategy: 'Recreate' });
    }
  });

  it('renders the NATS configuration from deploy/nats unchanged', () => {
    const config = rendered.prod.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('nats-config')) as any;
    expect(config.data['accounts.conf']).toBe(readFileSync(path.join(root, 'deploy', 'nats', 'accounts.conf'), 'utf8'));
    expect(config.data['nats.conf']).toBe(readFileSync(path.join(root, 'deploy', 'nats', 'nats-cluster.conf'), 'utf8'));
  });

  it('reports a missing readiness probe, a literal password, a short grace period and a misspelt field', async () => {
    const objects = clone(rendered.dev);
    const container = find(objects, 'Deployment', 'market-data').spec.template.spec.containers[0];
    container.readinesProbe = container.readinessProbe;
    delete container.readinessProbe;
    container.env.push({ name: 'DB_PASSWORD', value: 'hunter2' });
    find(objects, 'Deployment', 'market-data').spec.template.spec.terminationGracePeriodSeconds = 12;
    expect(invariantProblems(objects, 'dev')).toEqual(expect.arrayContaining([
      'Deployment/market-data: container market-data: readinessProbe missing',
      'Deployment/market-data: container market-data: DB_PASSWORD has a literal value; use secretKeyRef',
      'Deployment/market-data: container market-data: terminationGracePeriodSeconds 12 must exceed preStop + drain (15 s)',
    ]));
    expect(await schemaProblems(objects)).toContain('Deployment/market-data: unknown field .spec.template.spec.containers[0].readinesProbe');
  });

  it('reports a wrong type and a kind the Kubernetes schema does not know', async () => {
    const objects = clone(rendered.dev);
    find(objects, 'Deployment', 'reporting').spec.replicas = 'two';
    const cluster = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'mt5-db' }, spec: { instances: 2 } };
    const problems = await schemaProblems([...objects, cluster]);
    expect(problems).toContain('Deployment/reporting: data/spec/replicas must be integer');
    expect(problems).toContain('Cluster/mt5-db: no schema for postgresql.cnpg.io/v1/Cluster (not a built-in Kubernetes kind)');
    expect(await schemaProblems([cluster], ['postgresql.cnpg.io/v1/Cluster'])).toEqual([]);
  });

  it('reports a second execution replica, a rendered Secret, an open ingress and the simulator in prod', () => {
    const objects = clone(rendered.prod);
    find(objects, 'Deployment', 'execution-paper-1').spec.replicas = 2;
    find(objects, 'NetworkPolicy', 'redis').spec.ingress[0].from = [{ ipBlock: { cidr: '0.0.0.0/0' } }];
    objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'oops' } }, clone(find(rendered.dev, 'Deployment', 'mt5-simulator')));
    expect(invariantProblems(objects, 'prod')).toEqual(expect.arrayContaining([
      'Deployment/execution-paper-1: execution must run exactly 1 replica per account',
      'Secret/oops: Secrets are created by the operator, never rendered from the repository',
      'NetworkPolicy/redis: only ops-gateway may take ingress from anywhere',
      'prod must not run the simulator: Deployment/mt5-simulator',
    ]));
  });

  it('reports a missing default-deny policy and R1 streams in prod', () => {
    const objects = clone(rendered.prod).filter((o) => o.metadata.name !== 'default-deny-all');
    (objects.find((o) => o.metadata.name.startsWith('mt5-config')) as any).data.NATS_STREAM_REPLICAS = '1';
    expect(invariantProblems(objects, 'prod')).toEqual(expect.arrayContaining([
      'no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)',
      'prod: NATS_STREAM_REPLICAS must be 3',
    ]));
  });
});

describe('compose stack (deploy/compose/compose.yaml)', () => {
  it('passes the structural check: files exist, health checks, dependencies, loopback ports, NATS users, scrape targets', () => {
    expect(composeProblems(composeFile)).toEqual([]);
  });

  it('reports a port open on every interface, a missing health check and a NATS password that differs from the server', () => {
    const compose = readYaml(composeFile);
    compose.services['market-data'].ports = ['3101:3101'];
    delete compose.services.reporting.healthcheck;
    compose.services['risk-guard'].environment.NATS_PASSWORD = 'something-else';
    delete compose.services['signal-engine'].depends_on.migrate;
    expect(composeDocumentProblems(compose, path.dirname(composeFile))).toEqual(expect.arrayContaining([
      'compose market-data: port 3101:3101 must be published on 127.0.0.1',
      'compose reporting: no healthcheck',
      "compose risk-guard: NATS_PASSWORD must be the same expression as nats' NATS_PASSWORD_RISK_GUARD",
      'compose signal-engine: must wait for migrate (service_completed_successfully)',
    ]));
  });
});

describe('dashboards, alert rules and the metrics contract', () => {
  it('finds the metric names in PromQL expressions', () => {
    expect(metricNamesInPromQL('histogram_quantile(0.99, sum by (le, consumer) (rate(mt5_x_seconds_bucket{service=~"$service"}[$__rate_interval])))')).toEqual(['mt5_x_seconds_bucket']);
    expect(metricNamesInPromQL('max by (stream, consumer) (a_total) > 100\nand\nmax by (stream) (deriv(b_gauge[10m])) > 0')).toEqual(['a_total', 'b_gauge']);
    expect(metricNamesInPromQL('up{job="mt5"} == 0 or on(instance) vector(1) offset 5m')).toEqual(['up']);
    expect(metricFamily('mt5_order_fill_latency_seconds_bucket')).toBe('mt5_order_fill_latency_seconds');
    expect(metricFamily('mt5_orders_total')).toBe('mt5_orders_total');
  });

  it('has well-formed alert rules and dashboards that use provisioned datasources', () => {
    expect(observabilityProblems(root)).toEqual([]);
  });

  it('uses only metrics of the contract (and Prometheus\' own `up`)', () => {
    const outside = metricUses(root).filter((use) => use.metric !== 'up' && !(metricFamily(use.metric) in MetricsContract));
    expect(outside).toEqual([]);
    expect(requiredMetricFamilies(root)).toEqual(Object.keys(MetricsContract).sort());
  });

  it('is backed by the metrics every service registers, with the contract type and labels', async () => {
    startDefaultMetrics('validate-deploy-spec');
    const exposition = await metricsRegistry.metrics();
    const types = new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name!, type!]));
    for (const [name, spec] of Object.entries(MetricsContract)) {
      expect({ name, type: types.get(name) }).toEqual({ name, type: spec.type });
      const labelNames = (metricsRegistry.getSingleMetric(name) as unknown as { labelNames?: string[] }).labelNames ?? [];
      expect({ name, labels: [...labelNames].sort() }).toEqual({ name, labels: [...spec.labels].sort() });
    }
  });
});

describe('runbook and deploy guide', () => {
  const runbook = readFileSync(path.join(root, 'docs', 'runbook.md'), 'utf8');
  const deployGuide = readFileSync(path.join(root, 'docs', 'deploy.md'), 'utf8');

  it('lists every metric of the contract in docs/runbook.md', () => {
    expect(Object.keys(MetricsContract).filter((name) => !runbook.includes(`\`${name}\``))).toEqual([]);
  });

  it('tells the operator how to create every Secret the manifests reference, with every key', () => {
    for (const [secret, keys] of Object.entries(OperatorSecrets)) {
      expect({ secret, documented: deployGuide.includes(`kubectl -n "$NS" create secret generic ${secret}`) }).toEqual({ secret, documented: true });
      for (const key of keys === 'per-account' ? ['paper-1'] : keys) expect({ secret, key, documented: deployGuide.includes(key) }).toEqual({ secret, key, documented: true });
    }
  });

  it('documents the compose command', () => {
    expect(deployGuide).toContain('docker compose -f deploy/compose/compose.yaml up');
  });
});
