import { appConfigSchema, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';

/** signal-engine configuration: the base variables plus its own. Defaults pass validation. */
export const configSchema = appConfigSchema({

}, 3102);

export type SignalEngineConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('signal-engine', configSchema, env);
