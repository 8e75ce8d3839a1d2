import { z } from 'zod';

/** Thrown at boot when the environment does not satisfy the app's schema; lists every violation. */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  readonly retryable = false;
  constructor(readonly service: string, readonly problems: readonly string[]) {
    super(`${service}: invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const port = z.coerce.number().int().min(1).max(65535);
const boolish = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Variables every service reads. Defaults pass validation and point at the local stack. */
export const baseConfigShape = {
  NATS_URL: z.string().regex(/^(nats|tls):\/\/.+/, 'must look like nats://host:port').default('nats://127.0.0.1:4222'),
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/.+/, 'must be a postgresql:// URL').default('postgresql://mt5:mt5@127.0.0.1:5432/mt5'),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default('mt5:'),
  HTTP_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(10),
  METRICS_ENABLED: boolish.default(true),
};

export const helpers = { port, boolish };

/**
 * Validates `env` against the app's schema and returns the typed config. Every violation is
 * reported at once (not the first one only), naming the variable and what is wrong.
 */
export function loadConfig<S extends z.ZodObject>(service: string, schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(service, problems);
}

/** Builds an app schema from the base variables plus the app's own. */
export function appConfigSchema<T extends z.ZodRawShape>(shape: T, defaultPort: number) {
  return z.object({ ...baseConfigShape, HTTP_PORT: port.default(defaultPort), ...shape });
}

const _baseSchema = z.object({ ...baseConfigShape, HTTP_PORT: port });
/** The variables every service has (apps extend it). */
export type BaseConfig = z.infer<typeof _baseSchema>;
