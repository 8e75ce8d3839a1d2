import type { ProvisionOptions } from '@mt5/infra/nats';

/** Where reporting reads the time, so tests own it. Epoch milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** What the history needs to attribute trades. */
export interface AttributionSettings {
  readonly magicToStrategy: ReadonlyMap<number, string>;
  readonly symbolDigits: ReadonlyMap<string, number>;
}

/** Everything the reporting providers need besides connections. */
export interface ReportingSettings extends AttributionSettings {
  readonly snapshotIntervalSeconds: number;
  /** Test isolation: namespaced streams, consumers and query subjects. */
  readonly provision?: ProvisionOptions;
}

export const REPORTING_SETTINGS = Symbol('REPORTING_SETTINGS');
export const CLOCK = Symbol('CLOCK');
