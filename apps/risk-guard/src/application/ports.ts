import type { Envelope } from '@mt5/contracts';
import type { Quote } from '@mt5/domain/positions';
import type { RateLimitAnswer, RiskInstrument } from '@mt5/domain/risk';

/** Where code reads the current time, so a test can own it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Last quotes (market-data caches them in Redis). Never throws: an unreadable cache is `null` with `unavailable`. */
export interface QuoteSource {
  latest(symbol: string): Promise<{ readonly quote: Quote | null; readonly unavailable: boolean }>;
}

/** The per-account order bucket. Never throws: a limiter it cannot reach answers `unavailable`. */
export interface OrderRateLimiter {
  /** Takes one token (never rejects: an unreachable limiter answers `unavailable`, not allowed). */
  take(account: string, now: number): Promise<RateLimitAnswer>;
  /** Returns a token taken for an intent that turned out not to need one (never above capacity; never rejects). */
  giveBack(account: string): Promise<void>;
}

/** Instrument specs the service vets against, and whether each trades at a moment. */
export interface InstrumentCatalogue {
  /** Every spec by symbol (the context carries them all, for exposure valuation). */
  readonly bySymbol: Readonly<Record<string, RiskInstrument | undefined>>;
  isInSession(symbol: string, epochMs: number): boolean;
}

/** A message to publish once the transaction that produced it commits (transactional outbox). */
export interface OutboxMessage {
  /** Subject without any test namespace. */
  readonly subject: string;
  readonly envelope: Envelope;
}

/** What a strategy's config row says about its orders. */
export interface StrategySettings {
  readonly strategyId: string;
  readonly magic: number;
  readonly account: string | null;
  /** Percent of equity per trade (0.5 = 0.5 %). */
  readonly riskPerTradePercent: number | null;
  /** Largest volume of one order, in lots. */
  readonly maxVolume: number | null;
}
