import type { BarClosed, Tick, Timeframe } from '@mt5/contracts';
import type { Redis } from 'ioredis';

/**
 * Redis keys (after the client's own prefix, `mt5:` in production):
 * - `md:bar:<venue>:<symbol>:<tf>`  hash `{ t: openTimeMs, v: BarClosed JSON }`, TTL
 * - `md:quote:<venue>:<symbol>`     hash `{ t: quoteTimeMs, v: Tick JSON }`, TTL
 * - `md:series`                     set of `<venue>\t<symbol>` seen, for "latest of everything"
 * Everything here can be rebuilt from Postgres and the tick stream; nothing is authoritative.
 */
const KEYS = {
  bar: (venue: string, symbol: string, timeframe: Timeframe) => `md:bar:${venue}:${symbol}:${timeframe}`,
  quote: (venue: string, symbol: string) => `md:quote:${venue}:${symbol}`,
  series: 'md:series',
} as const;

// Writes only when newer than what is cached: a replay of old history, or two instances racing,
// never move "latest" backwards.
const SET_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], 't')
if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 't', ARGV[1], 'v', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`;

type RedisWithScript = Redis & { mdSetIfNewer(key: string, time: string, value: string, ttlSeconds: number): Promise<number> };

export interface LatestEntry {
  readonly venue: string;
  readonly symbol: string;
  readonly quote: Tick | null;
  readonly bars: Partial<Record<Timeframe, BarClosed>>;
}

export class MarketCache {
  private readonly redis: RedisWithScript;

  constructor(redis: Redis, private readonly ttl: { readonly barSeconds: number; readonly quoteSeconds: number }) {
    if (!('mdSetIfNewer' in redis)) redis.defineCommand('mdSetIfNewer', { numberOfKeys: 1, lua: SET_IF_NEWER });
    this.redis = redis as RedisWithScript;
  }

  /** Caches the newest of `bars` per series in one round trip. */
  async putLatestBars(bars: readonly BarClosed[]): Promise<void> {
    const newest = new Map<string, BarClosed>();
    for (const bar of bars) {
      const key = KEYS.bar(bar.venue, bar.symbol, bar.timeframe);
      const held = newest.get(key);
      if (!held || held.openTime < bar.openTime) newest.set(key, bar);
    }
    if (newest.size === 0) return;
    const pipeline = this.redis.pipeline() as ReturnType<Redis['pipeline']> & { mdSetIfNewer(...args: unknown[]): unknown };
    for (const [key, bar] of newest) {
      pipeline.mdSetIfNewer(key, String(Date.parse(bar.openTime)), JSON.stringify(bar), this.ttl.barSeconds);
      pipeline.sadd(KEYS.series, `${bar.venue}\t${bar.symbol}`);
    }
    await pipeline.exec();
  }

  /** Caches quotes (newest per symbol wins) in one round trip. */
  async putQuotes(ticks: readonly Tick[]): Promise<void> {
    if (ticks.length === 0) return;
    const pipeline = this.redis.pipeline() as ReturnType<Redis['pipeline']> & { mdSetIfNewer(...args: unknown[]): unknown };
    for (const tick of ticks) {
      pipeline.mdSetIfNewer(KEYS.quote(tick.venue, tick.symbol), String(Date.parse(tick.time)), JSON.stringify(tick), this.ttl.quoteSeconds);
      pipeline.sadd(KEYS.series, `${tick.venue}\t${tick.symbol}`);
    }
    await pipeline.exec();
  }

  /** Latest quote and bars for the given symbols (all cached ones when none are given). */
  async latest(venue: string | undefined, symbols: readonly string[] | undefined, timeframes: readonly Timeframe[]): Promise<LatestEntry[]> {
    let series: Array<[string, string]>;
    if (symbols?.length && venue) {
      series = symbols.map((symbol) => [venue, symbol]);
    } else {
      const members = await this.redis.smembers(KEYS.series);
      series = members.map((member) => member.split('\t') as [string, string])
        .filter(([v, s]) => (!venue || v === venue) && (!symbols?.length || symbols.includes(s)))
        .sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1]));
    }
    if (series.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const [v, s] of series) {
      pipeline.hget(KEYS.quote(v, s), 'v');
      for (const timeframe of timeframes) pipeline.hget(KEYS.bar(v, s, timeframe), 'v');
    }
    const results = (await pipeline.exec()) ?? [];
    let index = 0;
    const next = (): string | null => {
      const [error, value] = results[index++] ?? [null, null];
      if (error) throw error;
      return value as string | null;
    };
    return series.map(([v, s]) => {
      const quote = next();
      const bars: Partial<Record<Timeframe, BarClosed>> = {};
      for (const timeframe of timeframes) {
        const bar = next();
        if (bar) bars[timeframe] = JSON.parse(bar) as BarClosed;
      }
      return { venue: v, symbol: s, quote: quote ? (JSON.parse(quote) as Tick) : null, bars };
    });
  }
}
