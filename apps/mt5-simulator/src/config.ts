import { appConfigSchema, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';

/** mt5-simulator configuration: the base variables plus its own. Defaults pass validation. */
export const configSchema = appConfigSchema({
  ACCOUNT_ID: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('paper-1'),
  BRIDGE_PORT: z.coerce.number().int().min(1).max(65535).default(5555),
  BRIDGE_HOST: z.string().default('127.0.0.1'),
  BRIDGE_SHARED_SECRET: z.string().min(16, 'at least 16 characters').default('local-dev-bridge-secret'),
}, 3105);

export type Mt5SimulatorConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('mt5-simulator', configSchema, env);
