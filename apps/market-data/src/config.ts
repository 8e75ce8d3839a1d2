import { appConfigSchema, helpers, loadConfig } from '@mt5/infra/config';
import { parseTimeZone } from '@mt5/domain/market';
import { z } from 'zod';

const timeZone = (what: string) => z.string().refine((value) => parseTimeZone(value) !== undefined, {
  error: (issue) => `${what}: unknown time zone ${JSON.stringify(issue.input)} (use UTC, an offset like +02:00, or EET, CET, WET, America/New_York, NY+7)`,
});

/** market-data configuration: the base variables plus its own. Defaults pass validation. */
export const configSchema = appConfigSchema({
  /** Venue name for bars imported or aggregated without an explicit one; also a subject token. */
  MD_VENUE: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only').default('MT5'),
  /** Folder the CLI resolves relative import paths against (default: the working directory). */
  MD_DATA_DIR: z.string().optional(),
  /** Clock of imported files unless `--tz` says otherwise (broker server time is often EET). */
  MD_SOURCE_TZ: timeZone('MD_SOURCE_TZ').default('UTC'),
  /**
   * The clock whose midnight starts a D1 bar (and aligns H4): `UTC`, a fixed offset, or a DST
   * rule such as `NY+7` (the usual "New York close" broker day, 22:00 UTC in winter).
   */
  MD_D1_DAY_START: timeZone('MD_D1_DAY_START').default('UTC'),
  /** Instrument catalogue loaded by `instruments load` (default: the one shipped with the service). */
  MD_INSTRUMENTS_FILE: z.string().optional(),
  /**
   * Catalogue venue → platform venue, applied by `instruments load`. The shipped catalogue names its
   * MT5 server `mt5-demo`; the platform's venue token is MD_VENUE (`MT5`).
   */
  MD_CATALOGUE_VENUE_MAP: z.string().regex(/^([A-Za-z0-9_-]+=[A-Za-z0-9_-]+)?(,[A-Za-z0-9_-]+=[A-Za-z0-9_-]+)*$/, 'a list like mt5-demo=MT5,binance=binance').default('mt5-demo=MT5'),
  /** Redis TTL of the latest closed bar per symbol and timeframe. */
  MD_LATEST_BAR_TTL_SECONDS: z.coerce.number().int().min(1).default(7 * 86_400),
  /** Redis TTL of the last quote per symbol. */
  MD_QUOTE_TTL_SECONDS: z.coerce.number().int().min(1).default(3_600),
  /** TTL of cached query answers (instruments, coverage). */
  MD_QUERY_CACHE_SECONDS: z.coerce.number().int().min(0).default(5),
  /** JetStream publish acks kept outstanding while publishing many bars. */
  MD_PUBLISH_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(512),
  /** Most bars one `md.qry.bars` page returns. */
  MD_QUERY_MAX_BARS: z.coerce.number().int().min(1).max(100_000).default(5_000),
  /** A live minute closes this long after its end when no later tick closed it first. */
  MD_TICK_CLOSE_GRACE_MS: z.coerce.number().int().min(0).default(2_000),
  /** Wait for the execution gateway's answer to a history (backfill) request. */
  MD_HISTORY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * Most ticks handled (and acknowledged) together: their quotes cached in one Redis round trip and
   * the bars they close stored with one statement. A quiet feed still goes one tick at a time.
   */
  MD_TICK_BATCH: z.coerce.number().int().min(1).max(1_000).default(500),
  /** Consume `md.tick.>` and build live bars (off for a history-only instance). */
  MD_LIVE_TICKS: helpers.boolish.default(true),
}, 3101);

export type MarketDataConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('market-data', configSchema, env);
