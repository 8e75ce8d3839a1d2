import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Subjects, type BarClosed } from '@mt5/contracts';
import { QueryError, serveQuery, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { TtlCache } from '@mt5/infra/redis';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { FAR_FUTURE } from '../application/gaps/find-gaps.use-case.js';
import type { ReplayRegistry, ReplayStatus } from '../application/replay-bars/replay-registry.js';
import type { MarketDataConfig } from '../config.js';
import type { MarketData } from '../market-data.composition.js';
import {
  barsQuerySchema, coverageQuerySchema, gapsQuerySchema, instrumentsQuerySchema, latestQuerySchema, replayCancelCommandSchema,
  replayCommandSchema, replayStatusQuerySchema,
} from './query.schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();

export interface BarsPage {
  readonly bars: readonly BarClosed[];
  /** Pass as `after` for the next page; null on the last one. */
  readonly next: string | null;
}

/**
 * Serves market-data's request/reply API on core NATS, in the `market-data` queue group (several
 * instances share the load). Subjects: `md.qry.instruments|bars|latest|coverage|gaps|replay-status`
 * and `md.ctl.replay|replay-cancel`. Returns the subscriptions, to stop them on shutdown.
 */
export function serveMarketDataQueries(
  nc: NatsConnection, md: MarketData, replays: ReplayRegistry, config: MarketDataConfig, provision: ProvisionOptions, logger: Logger,
  redis: Redis | undefined,
): Subscription[] {
  const venueOf = (venue: string | undefined) => venue ?? config.MD_VENUE;
  // Instruments and coverage change only on loads and imports: a few seconds of caching spares
  // Postgres a GROUP BY over every bar when dashboards poll. Redis down: computed each time.
  const answers = redis && config.MD_QUERY_CACHE_SECONDS > 0 ? new TtlCache(redis, 'md') : undefined;
  const cached = <T>(key: string, load: () => Promise<T>) => (answers ? answers.getOrLoad(key, config.MD_QUERY_CACHE_SECONDS, load) : load());
  const serve = <Req, Res>(subject: string, request: ZodType<Req>, handle: (body: Req) => Promise<Res> | Res) =>
    serveQuery(nc, { subject: subjectIn(subject, provision), request, handle, queue: 'market-data' }, logger);
  const query = (name: string) => Subjects.query('market-data', name);
  const command = (name: string) => Subjects.command('market-data', name);

  return [
    serve(query('instruments'), instrumentsQuerySchema, (body) => cached(`instruments:${JSON.stringify(body)}`, async () => ({
      instruments: await md.instruments.list(body.venue, body.symbols),
    }))),

    serve(query('bars'), barsQuerySchema, async (body): Promise<BarsPage> => {
      const key = { venue: venueOf(body.venue), symbol: body.symbol, timeframe: body.timeframe };
      const limit = Math.min(body.limit ?? config.MD_QUERY_MAX_BARS, config.MD_QUERY_MAX_BARS);
      const after = body.after !== undefined ? Date.parse(body.after) : body.from !== undefined ? Date.parse(body.from) - 1 : -1;
      const before = body.to !== undefined ? Date.parse(body.to) : FAR_FUTURE;
      const page = await md.bars.page(key, after, before, limit + 1);
      const bars = page.slice(0, limit).map((bar) => md.mapper.payload(bar));
      return { bars, next: page.length > limit ? bars[bars.length - 1]!.openTime : null };
    }),

    serve(query('latest'), latestQuerySchema, async (body) => {
      if (!md.cache) throw new QueryError('MD.CACHE_UNAVAILABLE', 'the latest-bar cache (Redis) is not configured', true);
      return { entries: await md.cache.latest(body.venue, body.symbols, body.timeframes) };
    }),

    serve(query('coverage'), coverageQuerySchema, (body) => cached(`coverage:${JSON.stringify(body)}`, async () => ({
      series: (await md.bars.coverage({ venue: body.venue, symbols: body.symbols, timeframe: body.timeframe }))
        .map((row) => ({ ...row, first: iso(row.first), last: iso(row.last) })),
    }))),

    serve(query('gaps'), gapsQuerySchema, async (body) => {
      const result = await md.findGaps.execute({
        venue: venueOf(body.venue), symbol: body.symbol, timeframe: body.timeframe, minBars: body.minBars,
        from: body.from === undefined ? undefined : Date.parse(body.from), to: body.to === undefined ? undefined : Date.parse(body.to),
      }).catch((error: Error & { code?: string }) => {
        throw error.code === 'MD.UNKNOWN_INSTRUMENT' ? new QueryError(error.code, error.message) : error;
      });
      return { ...result, gaps: result.gaps.map((gap) => ({ from: iso(gap.from), to: iso(gap.to), missingBars: gap.missingBars })) };
    }),

    serve(command('replay'), replayCommandSchema, (body): ReplayStatus => replays.start({
      venue: venueOf(body.venue), symbols: body.symbols, timeframe: body.timeframe, from: Date.parse(body.from), to: Date.parse(body.to),
      speed: body.speed === 'max' ? { kind: 'max' } : { kind: 'factor', factor: body.speed }, tag: body.tag,
    })),

    serve(query('replay-status'), replayStatusQuerySchema, (body) => {
      if (body.replayId === undefined) return { replays: replays.all() };
      const status = replays.status(body.replayId);
      if (!status) throw new QueryError('MD.UNKNOWN_REPLAY', `no replay ${body.replayId} (finished ones are kept for the last 50)`);
      return { replays: [status] };
    }),

    serve(command('replay-cancel'), replayCancelCommandSchema, async (body) => ({ cancelled: await replays.cancel(body.replayId) })),
  ];
}
