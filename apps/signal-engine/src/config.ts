import { appConfigSchema, loadConfig } from '@mt5/infra/config';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().min(1);

/** signal-engine configuration: the base variables plus its own. Defaults pass validation. */
export const configSchema = appConfigSchema({
  /** Venue of the default strategy set (`seed-defaults`); market-data publishes bars under MD_VENUE, `MT5` by default. */
  SIG_VENUE: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only').default('MT5'),
  /**
   * Warm-up length as a multiple of a strategy's `warmUpBars` (its minimum before a first
   * signal). Recursive averages (ATR, EMA, RSI) remember their seed with weight (1 − 1/n)^k: 40
   * times the longest period leaves less than 1e-16 of it, so an instance warmed from stored
   * bars computes the same values as one that ran over the whole history. 1 = the bare minimum.
   */
  SIG_WARM_UP_FACTOR: positiveInt.max(1_000).default(40),
  /** Upper bound on the bars read to warm one strategy on one symbol. */
  SIG_WARM_UP_MAX_BARS: positiveInt.max(1_000_000).default(100_000),
  /**
   * Most stored bars a strategy evaluates to catch up before a bar that arrived ahead of them
   * (the broker redelivers handed-back bars after later ones). A longer gap means the strategy
   * was away for long: it resumes at the new bar, and the missed bars are warm-up only.
   */
  SIG_CATCH_UP_MAX_BARS: positiveInt.max(1_000_000).default(10_000),
  /** Most signals one `sig.qry.signals` answer holds. */
  SIG_QUERY_MAX_SIGNALS: positiveInt.max(10_000).default(500),
  /** Outbox rows still unpublished this long after their commit are sent again by the relay. */
  SIG_OUTBOX_RELAY_INTERVAL_MS: positiveInt.default(5_000),
  /** Processed-bar markers older than this are deleted (at start and daily); MD_BARS keeps 30 days. */
  SIG_PROCESSED_RETENTION_DAYS: positiveInt.max(3_650).default(90),
}, 3102);

export type SignalEngineConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('signal-engine', configSchema, env);
