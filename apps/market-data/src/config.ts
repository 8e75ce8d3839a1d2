import { appConfigSchema, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';

/** market-data configuration: the base variables plus its own. Defaults pass validation. */
export const configSchema = appConfigSchema({

}, 3101);

export type MarketDataConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('market-data', configSchema, env);
