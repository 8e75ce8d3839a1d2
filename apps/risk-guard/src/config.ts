import { appConfigSchema, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';

/** risk-guard configuration: the base variables plus its own. Defaults pass validation. */
export const configSchema = appConfigSchema({

}, 3103);

export type RiskGuardConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('risk-guard', configSchema, env);
