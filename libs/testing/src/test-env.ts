/** Addresses of the servers integration tests run against. */
export interface TestEnv {
  natsUrl: string;
  natsMonitorUrl: string;
  databaseUrl: string;
  redisUrl: string;
}

const VARIABLES = {
  natsUrl: 'NATS_URL',
  natsMonitorUrl: 'NATS_MONITOR_URL',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
} as const satisfies Record<keyof TestEnv, string>;

/**
 * Reads the servers' addresses that libs/testing/src/global-setup.mjs puts in the environment.
 * Throws, naming every missing variable, when a test runs outside the integration config.
 */
export function testEnv(env: Record<string, string | undefined> = process.env): TestEnv {
  const missing = Object.values(VARIABLES).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `testEnv: ${missing.join(', ')} not set. Run integration tests with ` +
        '`npm run test:integration` (jest.integration.config.js; its global setup starts or reuses the servers), ' +
        'or start them with `bash tools/stack.sh up infra` and export the variables from tools/lib/env.sh.',
    );
  }
  return {
    natsUrl: env[VARIABLES.natsUrl] as string,
    natsMonitorUrl: env[VARIABLES.natsMonitorUrl] as string,
    databaseUrl: env[VARIABLES.databaseUrl] as string,
    redisUrl: env[VARIABLES.redisUrl] as string,
  };
}
