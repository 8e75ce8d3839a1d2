import { appConfigSchema, helpers, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';
import { faultRulesSchema } from './terminal/fault-plan.js';

/** Where the simulator's prices come from. */
export const SimFeeds = ['replay', 'random-walk', 'driven'] as const;
export type SimFeed = (typeof SimFeeds)[number];

const faultsJson = z.string().transform((text, ctx) => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not JSON: ${(error as Error).message}` });
    return z.NEVER;
  }
  const parsed = faultRulesSchema.safeParse(value);
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    return z.NEVER;
  }
  return parsed.data;
});

/** mt5-simulator configuration: the base variables plus its own. Defaults pass validation. */
export const configSchema = appConfigSchema({
  ACCOUNT_ID: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('paper-1'),
  BRIDGE_PORT: z.coerce.number().int().min(1).max(65535).default(5555),
  BRIDGE_HOST: z.string().default('127.0.0.1'),
  BRIDGE_SHARED_SECRET: z.string().min(16, 'at least 16 characters').default('local-dev-bridge-secret'),
  /** Dial the gateway over TLS, trusting this CA (or self-signed certificate) PEM. */
  BRIDGE_TLS_CA: z.string().optional(),
  BRIDGE_TLS_SERVERNAME: z.string().optional(),
  /** `replay`: the shared M1 files; `random-walk`: seeded synthetic bars; `driven`: closed bars from NATS. */
  SIM_FEED: z.enum(SimFeeds).default('replay'),
  /** Bar files for replay; default ../shared/data/market when it exists (else random-walk, with a warning). */
  SIM_DATA_DIR: z.string().optional(),
  /** Simulated seconds per real second; 0 = as fast as possible. Default 60 for replay, 1 for random-walk. */
  SIM_SPEED: z.coerce.number().min(0).max(1_000_000).optional(),
  /** Longest pause between two quotes in simulated seconds (weekends and gaps are squeezed to it). */
  SIM_MAX_GAP_SECONDS: z.coerce.number().int().min(1).default(300),
  SIM_SYMBOLS: z.string().regex(/^[A-Za-z0-9._#-]+(,[A-Za-z0-9._#-]+)*$/, 'comma-separated symbols').default('EURUSD,GBPUSD,USDJPY,XAUUSD,BTCUSDT'),
  SIM_SEED: z.coerce.number().int().default(1),
  /** Venue token of the closed bars the driven feed follows (`md.bar.<venue>.<symbol>.M1`). */
  SIM_MD_VENUE: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only').default('MT5'),
  SIM_MARGIN_MODE: z.enum(['HEDGING', 'NETTING']).default('HEDGING'),
  SIM_BALANCE: z.coerce.number().positive().default(10_000),
  SIM_LEVERAGE: z.coerce.number().int().positive().default(100),
  /** Trade every symbol around the clock (weekend demos); trading sessions are enforced by default. */
  SIM_ALWAYS_OPEN: helpers.boolish.default(false),
  SIM_CURRENCY: z.string().regex(/^[A-Z]{3,5}$/).default('USD'),
  SIM_LOGIN: z.coerce.number().int().positive().default(5001),
  /** Fault rules to inject from the start (JSON array; see terminal/fault-plan.ts). */
  SIM_FAULTS: faultsJson.default([]),
}, 3105);

export type Mt5SimulatorConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('mt5-simulator', configSchema, env);
