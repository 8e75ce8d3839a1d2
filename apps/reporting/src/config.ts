import { appConfigSchema, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';

/** reporting configuration: the base variables plus its own. Defaults pass validation. */
export const configSchema = appConfigSchema({

}, 3106);

export type ReportingConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('reporting', configSchema, env);
