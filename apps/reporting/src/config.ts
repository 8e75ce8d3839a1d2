import { appConfigSchema, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';

/** `770001=ma-cross,770002=donchian` → magic → strategy id. */
const magicMap = z.string().default('').transform((text, ctx) => {
  const map = new Map<number, string>();
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = pair.match(/^(\d{1,15})=([A-Za-z0-9_-]{1,64})$/);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not <magic>=<strategyId>` });
      continue;
    }
    map.set(Number(match[1]), match[2]);
  }
  return map;
});

/** `US30=1,BTCUSDT=2` → symbol → quote digits (overrides the FX/metal guess for pips). */
const digitsMap = z.string().default('').transform((text, ctx) => {
  const map = new Map<string, number>();
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = pair.match(/^([^=\s]{1,64})=(\d{1,2})$/);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not <symbol>=<digits>` });
      continue;
    }
    map.set(match[1], Number(match[2]));
  }
  return map;
});

/** reporting configuration: the base variables plus its own. Defaults pass validation. */
export const configSchema = appConfigSchema({
  /** Which strategy each magic number belongs to (the strategy key of trades). */
  REPORTING_STRATEGY_MAGICS: magicMap,
  /** Quote digits of symbols the built-in guess does not know (indices, crypto), for pips. */
  REPORTING_SYMBOL_DIGITS: digitsMap,
  /** An account snapshot is written at least this often (the last known state when nothing changed). */
  REPORTING_SNAPSHOT_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /** Postgres connections of the service. */
  REPORTING_DB_POOL_MAX: z.coerce.number().int().min(1).max(50).default(5),
}, 3106);

export type ReportingConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('reporting', configSchema, env);
