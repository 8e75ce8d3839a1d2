#!/usr/bin/env node
// Container entry point (deploy/Dockerfile). One image runs any service, the migrations, or its
// own health check:
//
//   serve         node dist/apps/$SERVICE/src/main.js (default)
//   migrate       node dist/tools/migrate.js [args]: applies prisma/migrations to DATABASE_URL
//   healthcheck   exits 0 when http://127.0.0.1:$HTTP_PORT/health/live answers 2xx
//
// The service runs in this process (a dynamic import, not a child), so SIGTERM from Docker or
// Kubernetes reaches the service's own graceful shutdown directly.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Default HTTP ports, as in each app's config.ts; HTTP_PORT overrides. */
const defaultPorts = {
  'ops-gateway': 3000,
  'market-data': 3101,
  'signal-engine': 3102,
  'risk-guard': 3103,
  execution: 3104,
  'mt5-simulator': 3105,
  reporting: 3106,
};

const [command = 'serve', ...rest] = process.argv.slice(2);
const service = process.env.SERVICE ?? '';

switch (command) {
  case 'serve': {
    if (!(service in defaultPorts)) fail(`SERVICE must be one of ${Object.keys(defaultPorts).join(', ')} (got "${service}")`);
    const main = path.join(root, 'dist', 'apps', service, 'src', 'main.js');
    if (!existsSync(main)) fail(`${main} is missing: the image was built without ${service}`);
    process.env.OTEL_SERVICE_NAME ??= service;
    await import(pathToFileURL(main).href);
    break;
  }
  case 'migrate': {
    process.argv = [process.argv[0], path.join(root, 'dist', 'tools', 'migrate.js'), ...rest];
    await import(pathToFileURL(process.argv[1]).href);
    break;
  }
  case 'healthcheck': {
    const port = process.env.HTTP_PORT ?? defaultPorts[service] ?? 3000;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2_500) });
      process.exit(response.ok ? 0 : 1);
    } catch {
      process.exit(1);
    }
    break;
  }
  default:
    fail(`unknown command "${command}" (serve | migrate | healthcheck)`);
}

function fail(message) {
  console.error(`entrypoint: ${message}`);
  process.exit(64);
}
