import { appConfigSchema, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const symbolList = z.string().transform((value) => value.split(',').map((symbol) => symbol.trim()).filter(Boolean));

/**
 * execution configuration: the base variables plus its own. Defaults pass validation and trade
 * on paper (the simulator); live trading needs TRADING_MODE=live, set on purpose.
 */
export const configSchema = appConfigSchema({
  ACCOUNT_ID: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('paper-1'),
  BRIDGE_PORT: z.coerce.number().int().min(1).max(65535).default(5555),
  BRIDGE_HOST: z.string().default('127.0.0.1'),
  BRIDGE_SHARED_SECRET: z.string().min(16, 'at least 16 characters').default('local-dev-bridge-secret'),
  /** PEM files; both set turns TLS on for the bridge listener. */
  BRIDGE_TLS_CERT_PATH: z.string().optional(),
  BRIDGE_TLS_KEY_PATH: z.string().optional(),
  BRIDGE_HEARTBEAT_MS: positiveInt.default(5000),
  TRADING_MODE: z.enum(['paper', 'live']).default('paper'),
  /** Venue token of the ticks this gateway republishes (`md.tick.<venue>.<symbol>`). */
  VENUE: z.string().regex(/^[A-Za-z0-9_-]+$/).default('MT5'),
  /** Symbols whose ticks are streamed from the terminal and republished. */
  TICK_SYMBOLS: symbolList.default(['EURUSD', 'GBPUSD', 'USDJPY', 'XAUUSD']),
  /** Sends per order for requote / price changed / price off (10004/10020/10021), first send included. */
  PRICE_RETRY_ATTEMPTS: positiveInt.max(10).default(3),
  /** Max slippage in points for instant or request execution. */
  DEVIATION_POINTS: z.coerce.number().int().min(0).default(10),
  /** No trade_result within this: the outcome is UNKNOWN (never resent; settled by query). */
  TRADE_TIMEOUT_MS: positiveInt.default(10_000),
  QUERY_TIMEOUT_MS: positiveInt.default(5_000),
  /** An unknown order found nowhere in the terminal this long after its send is settled as absent. */
  SETTLE_WINDOW_MS: positiveInt.default(30_000),
  /** How far around an order's time settlement looks for its deals (broker clocks drift; a replaying simulator jumps). */
  SETTLE_LOOKBACK_MS: positiveInt.default(86_400_000),
  /** First reconciliation of an account with no recorded deal: how far back deals are imported. */
  RECONCILE_INITIAL_LOOKBACK_MS: positiveInt.default(7 * 86_400_000),
  /** Pause between settle attempts for orders still UNKNOWN. */
  SETTLE_RETRY_MS: positiveInt.default(5_000),
  /** Pause before reconciling again after a failed reconciliation. */
  RECONCILE_RETRY_MS: positiveInt.default(2_000),
  /** Consecutive failed bridge calls that open the circuit breaker. */
  BREAKER_FAILURE_THRESHOLD: positiveInt.default(5),
  /** Time the breaker stays open before a half-open probe. */
  BREAKER_COOLDOWN_MS: positiveInt.default(10_000),
  /** Trade requests per account: bucket size and refill per second (Redis token bucket). */
  RATE_LIMIT_BURST: positiveInt.default(20),
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(10),
  /** Time risk-guard gets to re-check a command that waited for the bridge. */
  RISK_RECHECK_TIMEOUT_MS: positiveInt.default(2_000),
  /** Outbox rows older than this that are still unpublished are sent again by the relay. */
  OUTBOX_RELAY_INTERVAL_MS: positiveInt.default(1_000),
}, 3104).superRefine((config, ctx) => {
  if (Boolean(config.BRIDGE_TLS_CERT_PATH) !== Boolean(config.BRIDGE_TLS_KEY_PATH)) {
    ctx.addIssue({ code: 'custom', path: ['BRIDGE_TLS_KEY_PATH'], message: 'set both BRIDGE_TLS_CERT_PATH and BRIDGE_TLS_KEY_PATH, or neither' });
  }
});

export type ExecutionConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('execution', configSchema, env);
