/** A readiness check of one dependency; throws when it is not usable, else returns figures. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<Record<string, unknown> | void>;
}

export const NATS_HEALTH = Symbol('NATS_HEALTH');
export const REDIS_HEALTH = Symbol('REDIS_HEALTH');
export const POSTGRES_HEALTH = Symbol('POSTGRES_HEALTH');
