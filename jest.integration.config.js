// Integration tests run against real NATS, Postgres and Redis. The global setup reuses servers
// already listening or starts the project's local stack (tools/stack.sh up infra).
import { shared } from './jest.config.js';

export default {
  ...shared,
  displayName: 'integration',
  testMatch: ['<rootDir>/{apps,libs,tools}/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/libs/testing/src/global-setup.mjs',
  testTimeout: 60_000,
  maxWorkers: 1,
};
