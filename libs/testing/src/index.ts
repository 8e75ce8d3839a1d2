// Shared test helpers: real-server starters, a fake clock, unique names, polling. Integration
// tests get NATS, Postgres and Redis from the global setup (global-setup.mjs) through testEnv().
export type { Clock } from './clock.js';
export { FakeClock } from './fake-clock.js';
export { startNatsServer, type NatsServerOptions, type NatsTestServer, type RestartOptions } from './nats-server.starter.js';
export { testEnv, type TestEnv } from './test-env.js';
export { uniqueName } from './unique-name.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export { freePort } from './free-port.js';
export { startPostgresServer, type PostgresServerOptions, type PostgresTestServer } from './postgres-server.starter.js';
export { startRedisServer, type RedisServerOptions, type RedisTestServer } from './redis-server.starter.js';
