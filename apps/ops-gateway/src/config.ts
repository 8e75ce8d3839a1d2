import { appConfigSchema, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';

/** ops-gateway configuration: the base variables plus its own. Defaults pass validation. */
export const configSchema = appConfigSchema({

}, 3000);

export type OpsGatewayConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('ops-gateway', configSchema, env);
