import { objectId, type K8sObject } from './kubernetes-schema.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML is walked as plain data */
type Any = any;

export const Environments = ['dev', 'prod'] as const;
export type Environment = (typeof Environments)[number];

/** The services and their HTTP ports (apps/<name>/src/config.ts defaults). */
export const ServicePorts = {
  'market-data': 3101, 'signal-engine': 3102, 'risk-guard': 3103, execution: 3104, 'mt5-simulator': 3105, reporting: 3106, 'ops-gateway': 3000,
} as const;
export type Service = keyof typeof ServicePorts;

/**
 * Secrets the operator creates (docs/deploy.md) and the keys the manifests read from them. Any
 * other secret reference is a mistake; `mt5-bridge` holds one key per trading account.
 */
export const OperatorSecrets: Record<string, readonly string[] | 'per-account'> = {
  'mt5-database': ['DATABASE_URL', 'POSTGRES_PASSWORD'],
  'mt5-nats-users': ['market-data', 'signal-engine', 'risk-guard', 'execution', 'reporting', 'ops-gateway', 'mt5-simulator', 'ops', 'sys']
    .map((user) => `NATS_PASSWORD_${user.toUpperCase().replace(/-/g, '_')}`),
  'mt5-bridge': 'per-account',
};

const SECRET_LIKE = /PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|DATABASE_URL|CREDENTIAL/i;
const CREDENTIALS_IN_URL = /:\/\/[^/\s:@]+:[^/\s@]+@/;

const workloads = (objects: readonly K8sObject[]) => objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
const podSpec = (o: K8sObject): Any => (o as Any).spec?.template?.spec ?? {};
const podLabels = (o: K8sObject): Record<string, string> => (o as Any).spec?.template?.metadata?.labels ?? {};
const appName = (o: K8sObject) => podLabels(o)['app.kubernetes.io/name'] ?? o.metadata.name;
const allContainers = (o: K8sObject): Any[] => [...(podSpec(o).initContainers ?? []), ...(podSpec(o).containers ?? [])];
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  Boolean(selector) && Object.entries(selector!).every(([key, value]) => labels[key] === value);

function envValue(container: Any, name: string): Any {
  return (container.env ?? []).find((e: Any) => e.name === name);
}

/** Seconds a preStop hook waits (`sleep N` or the `sleep` action); 0 for anything else. */
function preStopSeconds(container: Any): number {
  const hook = container.lifecycle?.preStop;
  if (hook?.sleep?.seconds) return Number(hook.sleep.seconds);
  const command: string[] = hook?.exec?.command ?? [];
  return command[0] === 'sleep' ? Number(command[1]) || 0 : 0;
}

/** Problems with a rendered overlay; an empty list means it satisfies every rule below. */
export function invariantProblems(objects: readonly K8sObject[], environment: Environment): string[] {
  const problems: string[] = [];
  const problem = (object: K8sObject, message: string) => problems.push(`${objectId(object)}: ${message}`);
  const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('mt5-config')) as Any;
  if (!config) problems.push('ConfigMap mt5-config is missing');
  const drainSeconds = Number(config?.data?.SHUTDOWN_DRAIN_SECONDS ?? NaN);

  for (const object of workloads(objects)) {
    const spec = podSpec(object);
    if (spec.securityContext?.runAsNonRoot !== true) problem(object, 'pod securityContext.runAsNonRoot must be true');
    if (spec.securityContext?.seccompProfile?.type !== 'RuntimeDefault') problem(object, 'pod seccompProfile must be RuntimeDefault');
    if (spec.automountServiceAccountToken !== false) problem(object, 'automountServiceAccountToken must be false (no pod talks to the API)');
    for (const container of allContainers(object)) {
      const at = `container ${container.name}`;
      const sc = container.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false) problem(object, `${at}: allowPrivilegeEscalation must be false`);
      if (sc.readOnlyRootFilesystem !== true) problem(object, `${at}: readOnlyRootFilesystem must be true`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) problem(object, `${at}: capabilities must drop ALL`);
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) if (!container.resources?.[kind]?.[resource]) problem(object, `${at}: resources.${kind}.${resource} missing`);
      }
      if (!/:[\w.-]+$/.test(container.image ?? '') || /:latest$/.test(container.image)) problem(object, `${at}: image "${container.image}" needs a pinned tag`);
      for (const env of container.env ?? []) {
        if (SECRET_LIKE.test(env.name) && env.value !== undefined) problem(object, `${at}: ${env.name} has a literal value; use secretKeyRef`);
        if (typeof env.value === 'string' && CREDENTIALS_IN_URL.test(env.value)) problem(object, `${at}: ${env.name} carries credentials in a URL`);
      }
    }
    if (object.kind === 'Job') continue;
    for (const container of spec.containers ?? []) {
      const at = `container ${container.name}`;
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) if (!container[probe]) problem(object, `${at}: ${probe} missing`);
      if (object.kind === 'Deployment' && !container.lifecycle?.preStop) problem(object, `${at}: lifecycle.preStop missing`);
      const grace = spec.terminationGracePeriodSeconds ?? 30;
      const needed = (podLabels(object)['mt5.io/role'] === 'service' ? drainSeconds : 0) + preStopSeconds(container);
      if (!(grace > needed)) problem(object, `${at}: terminationGracePeriodSeconds ${grace} must exceed preStop + drain (${needed} s)`);
    }
    const guarded = podLabels(object)['mt5.io/role'] === 'service' || appName(object) === 'nats';
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && selects((o as Any).spec?.selector?.matchLabels, podLabels(object)));
    if (guarded && !pdb) problem(object, 'no PodDisruptionBudget selects its pods');
  }

  problems.push(...secretProblems(objects), ...referenceProblems(objects), ...serviceProblems(objects, environment));
  problems.push(...networkProblems(objects), ...environmentProblems(objects, environment, config));
  return problems;
}

function secretProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    if (object.kind === 'Secret') problems.push(`${objectId(object)}: Secrets are created by the operator, never rendered from the repository`);
    if (object.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries(((object as Any).data ?? {}) as Record<string, string>)) {
        if (SECRET_LIKE.test(key)) problems.push(`${objectId(object)}: key ${key} looks like a secret`);
        if (CREDENTIALS_IN_URL.test(value)) problems.push(`${objectId(object)}: ${key} carries credentials in a URL`);
      }
    }
  }
  for (const object of workloads(objects)) {
    for (const container of allContainers(object)) {
      const refs: { name: string; key?: string }[] = [
        ...(container.env ?? []).map((e: Any) => e.valueFrom?.secretKeyRef).filter(Boolean),
        ...(container.envFrom ?? []).map((e: Any) => e.secretRef).filter(Boolean),
      ];
      for (const ref of refs) {
        const keys = OperatorSecrets[ref.name];
        if (!keys) problems.push(`${objectId(object)}: secret ${ref.name} is not one the operator creates (docs/deploy.md)`);
        else if (ref.key !== undefined && keys !== 'per-account' && !keys.includes(ref.key)) problems.push(`${objectId(object)}: secret ${ref.name} has no key ${ref.key}`);
      }
    }
  }
  return problems;
}

function referenceProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const configMaps = new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
  for (const object of workloads(objects)) {
    const names = [
      ...(podSpec(object).volumes ?? []).map((v: Any) => v.configMap?.name),
      ...allContainers(object).flatMap((c) => (c.envFrom ?? []).map((e: Any) => e.configMapRef?.name)),
    ].filter(Boolean);
    for (const name of names) if (!configMaps.has(name)) problems.push(`${objectId(object)}: ConfigMap ${name} is not rendered`);
  }
  const templates = workloads(objects).map(podLabels);
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const selector = (service as Any).spec?.selector;
    if (!templates.some((labels) => selects(selector, labels))) problems.push(`${objectId(service)}: selector matches no pod template`);
  }
  return problems;
}

/** Each service: its env, ports and scrape annotations agree; execution is one Recreate pod per account. */
function serviceProblems(objects: readonly K8sObject[], environment: Environment): string[] {
  const problems: string[] = [];
  const deployments = objects.filter((o) => o.kind === 'Deployment' && podLabels(o)['mt5.io/role'] === 'service');
  const expected = (Object.keys(ServicePorts) as Service[]).filter((s) => environment === 'dev' || s !== 'mt5-simulator');
  for (const service of expected) if (!deployments.some((d) => appName(d) === service)) problems.push(`Deployment for ${service} is missing`);
  for (const deployment of deployments) {
    const name = appName(deployment) as Service;
    const container = podSpec(deployment).containers?.[0] ?? {};
    const port = ServicePorts[name];
    const problem = (message: string) => problems.push(`${objectId(deployment)}: ${message}`);
    if (!port) {
      problem(`unknown service ${name}`);
      continue;
    }
    if (envValue(container, 'SERVICE')?.value !== name) problem(`SERVICE must be ${name}`);
    if (envValue(container, 'HTTP_PORT')?.value !== String(port)) problem(`HTTP_PORT must be ${port}`);
    if (!(container.ports ?? []).some((p: Any) => p.name === 'http' && p.containerPort === port)) problem(`container port http must be ${port}`);
    if ((deployment as Any).spec.template.metadata?.annotations?.['prometheus.io/port'] !== String(port)) problem('prometheus.io/port annotation must be the HTTP port');
    if (envValue(container, 'NATS_USER')?.value !== name) problem(`NATS_USER must be ${name}`);
    const natsKey = `NATS_PASSWORD_${name.toUpperCase().replace(/-/g, '_')}`;
    if (envValue(container, 'NATS_PASSWORD')?.valueFrom?.secretKeyRef?.key !== natsKey) problem(`NATS_PASSWORD must come from mt5-nats-users/${natsKey}`);
    const usesDatabase = Boolean(envValue(container, 'DATABASE_URL'));
    if (usesDatabase && !(podSpec(deployment).initContainers ?? []).some((c: Any) => c.args?.includes('wait-migrations'))) problem('uses the database but has no wait-migrations init container');
    if (name === 'execution') {
      const account = podLabels(deployment)['mt5.io/account'];
      if ((deployment as Any).spec.replicas !== 1) problem('execution must run exactly 1 replica per account');
      if ((deployment as Any).spec.strategy?.type !== 'Recreate') problem('execution must use strategy Recreate (never two sessions for one account)');
      if (!account || envValue(container, 'ACCOUNT_ID')?.value !== account) problem(`ACCOUNT_ID must equal the mt5.io/account label (${account})`);
      if (envValue(container, 'BRIDGE_SHARED_SECRET')?.valueFrom?.secretKeyRef?.key !== account) problem(`BRIDGE_SHARED_SECRET must come from mt5-bridge/${account}`);
      if (!(deployment as Any).spec.selector?.matchLabels?.['mt5.io/account']) problem('selector must include mt5.io/account');
    }
  }
  const accounts = deployments.filter((d) => appName(d) === 'execution').map((d) => podLabels(d)['mt5.io/account']);
  if (new Set(accounts).size !== accounts.length) problems.push(`two execution Deployments for one account: ${accounts.join(', ')}`);
  if (!objects.some((o) => o.kind === 'Job' && o.metadata.name === 'mt5-migrate')) problems.push('the migration Job mt5-migrate is missing');
  return problems;
}

function networkProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as Any[];
  const defaultDeny = policies.some((p) => Object.keys(p.spec?.podSelector ?? {}).length === 0
    && ['Ingress', 'Egress'].every((t) => p.spec?.policyTypes?.includes(t)) && !p.spec?.ingress && !p.spec?.egress);
  if (!defaultDeny) problems.push('no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');
  for (const policy of policies) {
    const target = policy.spec?.podSelector?.matchLabels ?? {};
    for (const rule of policy.spec?.ingress ?? []) {
      const fromAnywhere = !rule.from || rule.from.length === 0 || rule.from.some((f: Any) => f.ipBlock?.cidr === '0.0.0.0/0');
      if (fromAnywhere && target['app.kubernetes.io/name'] !== 'ops-gateway') {
        problems.push(`${objectId(policy)}: only ops-gateway may take ingress from anywhere`);
      }
      const bridge = (rule.ports ?? []).some((p: Any) => p.port === 5555);
      if (bridge && target['app.kubernetes.io/name'] !== 'execution') problems.push(`${objectId(policy)}: only execution accepts the bridge port 5555`);
    }
  }
  return problems;
}

function environmentProblems(objects: readonly K8sObject[], environment: Environment, config: Any): string[] {
  const problems: string[] = [];
  const replicas = environment === 'prod' ? '3' : '1';
  if (config && config.data?.NATS_STREAM_REPLICAS !== replicas) problems.push(`${environment}: NATS_STREAM_REPLICAS must be ${replicas}`);
  const nats = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'nats') as Any;
  if (!nats) problems.push('StatefulSet nats is missing');
  else if (nats.spec.replicas !== 3) problems.push('StatefulSet/nats: JetStream needs 3 nodes');
  const simulator = objects.filter((o) => o.metadata.name.startsWith('mt5-simulator'));
  if (environment === 'prod' && simulator.length > 0) problems.push(`prod must not run the simulator: ${simulator.map(objectId).join(', ')}`);
  return problems;
}
