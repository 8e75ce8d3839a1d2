import type { NatsConnection } from '@nats-io/transport-node';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { ProvisionOptions } from '@mt5/infra/nats';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { MarketDataConfig } from './config.js';

/** Where use cases read the time, so tests can own it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The connections and settings every use case works with. The service builds it from its Nest
 * providers; the CLI opens the same connections itself (no HTTP server, no consumers), so both
 * run the very same use-case code.
 */
export interface MarketDataPorts {
  readonly config: MarketDataConfig;
  readonly logger: Logger;
  readonly pool: pg.Pool;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Absent when Redis is not reachable from the CLI: caching is skipped, nothing else fails. */
  readonly redis: Redis | undefined;
  /** Stream and subject namespace: empty in production, unique per integration test. */
  readonly provision: ProvisionOptions;
  readonly clock: Clock;
}

export const MARKET_DATA_PORTS = Symbol('MARKET_DATA_PORTS');
