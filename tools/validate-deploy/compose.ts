import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ServicePorts, type Service } from './kubernetes-invariants.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- compose YAML is walked as plain data */
type Any = any;

/** Reads a YAML file with anchors and `<<` merge keys resolved, as Docker Compose does. */
export function readYaml(file: string): Any {
  return parse(readFileSync(file, 'utf8'), { merge: true, maxAliasCount: -1 });
}

/** `${VAR:-default}` → `default`; `${VAR}` → undefined; plain strings as they are. */
export function composeDefault(value: unknown): string | undefined {
  if (typeof value !== 'string') return value === undefined ? undefined : String(value);
  return value.replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_, fallback: string | undefined) => fallback ?? '');
}

const INFRASTRUCTURE = ['nats', 'postgres', 'redis'] as const;

/**
 * A structural check of deploy/compose/compose.yaml without Docker: every file it mounts or
 * builds from exists, every app service has a health check and waits for the infrastructure and
 * the migration, ports are published on 127.0.0.1 only, each service's NATS user and password
 * match the NATS server's, and Prometheus scrapes every service on its HTTP port.
 */
export function composeProblems(composeFile: string): string[] {
  return composeDocumentProblems(readYaml(composeFile), path.dirname(composeFile));
}

/** {@link composeProblems} for a parsed compose document whose relative paths start at `dir`. */
export function composeDocumentProblems(compose: Any, dir: string): string[] {
  const problems: string[] = [];
  const services: Record<string, Any> = compose.services ?? {};
  const problem = (service: string, message: string) => problems.push(`compose ${service}: ${message}`);

  for (const [name, service] of Object.entries(services)) {
    if (!service.image && !service.build) problem(name, 'neither image nor build');
    if (service.build) {
      const context = path.resolve(dir, service.build.context ?? '.');
      if (!existsSync(path.join(context, service.build.dockerfile ?? 'Dockerfile'))) problem(name, `Dockerfile ${service.build.dockerfile} not found in ${context}`);
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0]! : volume.source;
      if (/^\.{1,2}\//.test(source) && !existsSync(path.resolve(dir, source))) problem(name, `mounts ${source}, which does not exist`);
    }
    for (const port of service.ports ?? []) {
      const text = typeof port === 'string' ? port : `${port.host_ip ?? ''}:${port.published}:${port.target}`;
      if (!text.startsWith('127.0.0.1:')) problem(name, `port ${text} must be published on 127.0.0.1`);
    }
    for (const [dependency, condition] of Object.entries(service.depends_on ?? {}) as [string, Any][]) {
      if (!services[dependency]) problem(name, `depends on unknown service ${dependency}`);
      else if (condition?.condition === 'service_healthy' && !services[dependency].healthcheck?.test) problem(name, `waits for ${dependency} to be healthy, which has no health check`);
    }
  }

  const natsEnv: Record<string, unknown> = services.nats?.environment ?? {};
  for (const app of Object.keys(ServicePorts) as Service[]) {
    const service = services[app];
    if (!service) {
      problems.push(`compose: service ${app} is missing`);
      continue;
    }
    const env: Record<string, unknown> = service.environment ?? {};
    if (service.build?.args?.SERVICE !== app) problem(app, `build arg SERVICE must be ${app}`);
    if (!service.healthcheck?.test) problem(app, 'no healthcheck');
    if (String(env.HTTP_PORT) !== String(ServicePorts[app])) problem(app, `HTTP_PORT must be ${ServicePorts[app]}`);
    if (env.HTTP_HOST !== '0.0.0.0') problem(app, 'HTTP_HOST must be 0.0.0.0 in a container');
    if (service.depends_on?.migrate?.condition !== 'service_completed_successfully') problem(app, 'must wait for migrate (service_completed_successfully)');
    for (const dependency of INFRASTRUCTURE) {
      if (service.depends_on?.[dependency]?.condition !== 'service_healthy') problem(app, `must wait for ${dependency} (service_healthy)`);
    }
    if (env.NATS_USER !== app) problem(app, `NATS_USER must be ${app}`);
    const natsVariable = `NATS_PASSWORD_${app.toUpperCase().replace(/-/g, '_')}`;
    if (env.NATS_PASSWORD !== natsEnv[natsVariable]) problem(app, `NATS_PASSWORD must be the same expression as nats' ${natsVariable}`);
    if (!composeDefault(env.NATS_PASSWORD)) problem(app, 'NATS_PASSWORD has no value');
  }
  if (!services.migrate?.command?.includes('migrate')) problems.push('compose migrate: must run the migrate command');

  problems.push(...prometheusProblems(dir, services));
  return problems;
}

function prometheusProblems(dir: string, services: Record<string, Any>): string[] {
  const problems: string[] = [];
  const mounts = new Map<string, string>(
    (services.prometheus?.volumes ?? []).map((v: string) => v.split(':')).map(([host, container]: string[]) => [container!, path.resolve(dir, host!)]),
  );
  const configFile = mounts.get('/etc/prometheus/prometheus.yml');
  if (!configFile) return ['compose prometheus: prometheus.yml is not mounted'];
  const config = readYaml(configFile);
  for (const ruleFile of config.rule_files ?? []) {
    const host = mounts.get(ruleFile);
    if (!host) problems.push(`prometheus.yml: rule file ${ruleFile} is not mounted`);
    else if (!Array.isArray(readYaml(host)?.groups)) problems.push(`prometheus.yml: rule file ${ruleFile} has no groups`);
  }
  const targets = new Set<string>((config.scrape_configs ?? []).filter((job: Any) => job.job_name === 'mt5')
    .flatMap((job: Any) => (job.static_configs ?? []).flatMap((c: Any) => c.targets ?? [])));
  for (const [app, port] of Object.entries(ServicePorts)) {
    if (!targets.has(`${app}:${port}`)) problems.push(`prometheus.yml: job mt5 does not scrape ${app}:${port}`);
  }
  return problems;
}
