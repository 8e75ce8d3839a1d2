import { appConfigSchema, helpers, loadConfig } from '@mt5/infra/config';
import type { BreakerConfig, RiskConfig } from '@mt5/domain/risk';
import { z } from 'zod';

const token = z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
const positive = z.coerce.number().positive();
const nonNegative = z.coerce.number().min(0);
const positiveInt = z.coerce.number().int().positive();
const percent = z.coerce.number().positive().max(100);

/** `JPY:50000,EUR:80000` → `{ JPY: 50000, EUR: 80000 }`; every entry must be KEY:positive number. */
const numberMap = (what: string) =>
  z.string().transform((value, ctx) => {
    const entries: Record<string, number> = {};
    for (const part of value.split(',').map((item) => item.trim()).filter(Boolean)) {
      const [key, raw, ...rest] = part.split(':');
      const amount = Number(raw);
      if (!key || rest.length > 0 || raw === undefined || !(amount > 0)) {
        ctx.addIssue({ code: 'custom', message: `${what}: "${part}" is not KEY:positive-number` });
        continue;
      }
      entries[key.trim()] = amount;
    }
    return entries;
  });

/** `HH:MM` (UTC) → minute of the day. */
const utcMinute = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM (UTC)').transform((value) => {
  const [hours, minutes] = value.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
});

/**
 * risk-guard configuration: the base variables plus its own. Every default passes validation and
 * is conservative (1% per trade, stops required, 5% daily loss halts, 20% drawdown halts).
 */
export const configSchema = appConfigSchema({
  /** Account that strategy signals trade on when their strategy config names none. */
  ACCOUNT_ID: token.default('paper-1'),
  /** Leverage of the accounts (account snapshots do not carry it); 100 = 1:100. */
  ACCOUNT_LEVERAGE: positive.default(100),
  /** Venue token of the quotes market-data caches from the execution gateway's ticks. */
  QUOTE_VENUE: token.default('MT5'),
  /** Venue of the instrument catalogue entries this service vets orders against. */
  CATALOGUE_VENUE: token.default('mt5-demo'),
  /** A catalogue file (InstrumentCatalogue v1 JSON); the bundled catalogue.v1.json when unset. */
  INSTRUMENT_CATALOGUE_PATH: z.string().optional(),

  RISK_PERCENT_PER_TRADE: percent.default(1),
  MAX_LOTS_PER_ORDER: positive.default(2),
  MAX_OPEN_POSITIONS: positiveInt.default(10),
  MAX_OPEN_POSITIONS_PER_SYMBOL: positiveInt.default(3),
  /** Largest net exposure to one currency, in account currency; unset = no general limit. */
  MAX_CURRENCY_EXPOSURE: positive.optional(),
  /** Per-currency limits, `JPY:50000,EUR:80000`. */
  CURRENCY_EXPOSURE_LIMITS: numberMap('CURRENCY_EXPOSURE_LIMITS').default({}),
  LIMIT_ACCOUNT_CURRENCY_EXPOSURE: helpers.boolish.default(false),
  MIN_FREE_MARGIN_AFTER_ORDER: nonNegative.default(0),
  MIN_MARGIN_LEVEL_PERCENT: positive.optional(),
  MAX_SPREAD_POINTS: positive.default(30),
  /** Per-symbol spread limits in points, `XAUUSD:50,BTCUSDT:2000`. */
  MAX_SPREAD_POINTS_BY_SYMBOL: numberMap('MAX_SPREAD_POINTS_BY_SYMBOL').default({}),
  STALE_QUOTE_SECONDS: positive.default(10),
  MAX_ACCOUNT_SNAPSHOT_AGE_SECONDS: positive.default(60),
  ALLOW_ORDERS_WITHOUT_STOP: helpers.boolish.default(false),

  DAILY_LOSS_PERCENT: percent.default(5),
  /** Daily loss limit in account currency; the smaller of this and the percentage applies. */
  DAILY_LOSS_AMOUNT: positive.optional(),
  DAILY_LOSS_ACTION: z.enum(['REDUCING', 'HALTED']).default('HALTED'),
  /** Start of the broker day in UTC (22:00 for most FX brokers, New York 17:00 in winter). */
  BROKER_DAY_START_UTC: utcMinute.default(22 * 60),
  MAX_DRAWDOWN_PERCENT: percent.default(20),
  LOSING_STREAK_MAX: positiveInt.default(4),
  LOSING_STREAK_COOLDOWN_MINUTES: positive.default(360),
  EXECUTION_FAILURE_THRESHOLD: positiveInt.default(3),
  EXECUTION_BACKOFF_BASE_MS: positiveInt.default(30_000),
  EXECUTION_BACKOFF_MAX_MS: positiveInt.default(15 * 60_000),
  EXECUTION_HEALTH_WINDOW: positiveInt.max(1000).default(50),

  /** Order rate limit per account: bucket size and tokens per second (Redis token bucket). */
  RATE_LIMIT_CAPACITY: positiveInt.default(5),
  RATE_LIMIT_REFILL_PER_SECOND: positive.default(0.2),
  /** How long an order command stays valid (execution expires it after, unsent). */
  ORDER_VALIDITY_SECONDS: positiveInt.default(30),
  /** Magic for manual orders and for signals of strategies without a config row. */
  MANUAL_MAGIC: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(900_000),
  /** Flatten-all commands also close positions the platform did not open. */
  KILL_SWITCH_INCLUDES_EXTERNAL: helpers.boolish.default(false),

  /** Unpublished outbox rows older than this are sent again. */
  OUTBOX_RELAY_INTERVAL_MS: positiveInt.default(1_000),
  /** Timer that lets time pass for every account (broker-day rollover, cool-down end, half-open). */
  CLOCK_TICK_MS: positiveInt.default(5_000),
  STATE_CACHE_TTL_SECONDS: positiveInt.default(30),
}, 3103).superRefine((config, ctx) => {
  if (config.EXECUTION_BACKOFF_MAX_MS < config.EXECUTION_BACKOFF_BASE_MS) {
    ctx.addIssue({ code: 'custom', path: ['EXECUTION_BACKOFF_MAX_MS'], message: 'must not be below EXECUTION_BACKOFF_BASE_MS' });
  }
  if (config.RATE_LIMIT_CAPACITY < 1) {
    ctx.addIssue({ code: 'custom', path: ['RATE_LIMIT_CAPACITY'], message: 'must hold at least one order' });
  }
});

export type RiskGuardConfig = z.infer<typeof configSchema>;

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env) => loadConfig('risk-guard', configSchema, env);

/** The pre-trade limits of the domain, from the validated config. */
export function toRiskConfig(config: RiskGuardConfig): RiskConfig {
  return {
    riskPercentPerTrade: config.RISK_PERCENT_PER_TRADE,
    allowNoStopLoss: config.ALLOW_ORDERS_WITHOUT_STOP,
    maxLotsPerOrder: config.MAX_LOTS_PER_ORDER,
    maxOpenPositions: config.MAX_OPEN_POSITIONS,
    maxOpenPositionsPerSymbol: config.MAX_OPEN_POSITIONS_PER_SYMBOL,
    maxCurrencyExposure: config.MAX_CURRENCY_EXPOSURE ?? null,
    currencyExposureLimits: config.CURRENCY_EXPOSURE_LIMITS,
    limitAccountCurrencyExposure: config.LIMIT_ACCOUNT_CURRENCY_EXPOSURE,
    minFreeMarginAfterOrder: config.MIN_FREE_MARGIN_AFTER_ORDER,
    minMarginLevelPercent: config.MIN_MARGIN_LEVEL_PERCENT ?? null,
    maxSpreadPoints: config.MAX_SPREAD_POINTS,
    maxSpreadPointsBySymbol: config.MAX_SPREAD_POINTS_BY_SYMBOL,
    maxQuoteAgeMs: config.STALE_QUOTE_SECONDS * 1000,
    maxAccountSnapshotAgeMs: config.MAX_ACCOUNT_SNAPSHOT_AGE_SECONDS * 1000,
  };
}

/** The breaker thresholds of the domain, from the validated config. */
export function toBreakerConfig(config: RiskGuardConfig): BreakerConfig {
  return {
    dailyLoss: {
      limitPercent: config.DAILY_LOSS_PERCENT,
      limitAmount: config.DAILY_LOSS_AMOUNT ?? null,
      action: config.DAILY_LOSS_ACTION,
      dayStartMinuteUtc: config.BROKER_DAY_START_UTC,
    },
    drawdown: { maxPercent: config.MAX_DRAWDOWN_PERCENT },
    losingStreak: { maxConsecutiveLosses: config.LOSING_STREAK_MAX, cooldownMs: config.LOSING_STREAK_COOLDOWN_MINUTES * 60_000 },
    execution: {
      failureThreshold: config.EXECUTION_FAILURE_THRESHOLD,
      baseBackoffMs: config.EXECUTION_BACKOFF_BASE_MS,
      maxBackoffMs: config.EXECUTION_BACKOFF_MAX_MS,
      windowSize: config.EXECUTION_HEALTH_WINDOW,
    },
  };
}
