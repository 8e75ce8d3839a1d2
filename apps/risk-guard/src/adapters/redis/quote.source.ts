import type { Quote } from '@mt5/domain/positions';
import type { Redis } from 'ioredis';
import type { QuoteSource } from '../../application/ports.js';

/**
 * Last quotes as market-data caches them: hash `md:quote:<venue>:<symbol>` (after the client's
 * key prefix) with `v` = the Tick JSON (`bid`, `ask`, `time` as decimal strings and ISO time).
 *
 * The last quote read per symbol is remembered: when Redis cannot be read, that quote is still a
 * fact of its time, and the staleness check decides whether it is recent enough. Nothing newer is
 * invented.
 */
export class RedisQuoteSource implements QuoteSource {
  private readonly remembered = new Map<string, Quote>();

  constructor(private readonly redis: Redis, private readonly venue: string) {}

  async latest(symbol: string): Promise<{ quote: Quote | null; unavailable: boolean }> {
    try {
      const raw = await this.redis.hget(`md:quote:${this.venue}:${symbol}`, 'v');
      const quote = raw === null ? null : parseTick(raw);
      if (quote) this.remembered.set(symbol, quote);
      return { quote: quote ?? this.remembered.get(symbol) ?? null, unavailable: false };
    } catch {
      return { quote: this.remembered.get(symbol) ?? null, unavailable: true };
    }
  }
}

function parseTick(raw: string): Quote | null {
  try {
    const tick = JSON.parse(raw) as { bid?: unknown; ask?: unknown; time?: unknown };
    const bid = Number(tick.bid);
    const ask = Number(tick.ask);
    const time = typeof tick.time === 'string' ? Date.parse(tick.time) : Number.NaN;
    return bid > 0 && ask >= bid && Number.isFinite(time) ? { bid, ask, time } : null;
  } catch {
    return null;
  }
}
