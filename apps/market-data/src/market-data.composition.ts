import { parseTimeZone, type BarAlignment } from '@mt5/domain/market';
import { AggregateBarsUseCase } from './application/aggregate-bars/aggregate-bars.use-case.js';
import { FindGapsUseCase } from './application/gaps/find-gaps.use-case.js';
import { RequestBackfillUseCase } from './application/gaps/request-backfill.use-case.js';
import { ImportBarsUseCase } from './application/import-bars/import-bars.use-case.js';
import { InstrumentsUseCase, parseVenueMap } from './application/instruments/instruments.use-case.js';
import { ReplayBarsUseCase } from './application/replay-bars/replay-bars.use-case.js';
import { BarMessageMapper } from './adapters/bar-message.mapper.js';
import { BarPublisher } from './adapters/bar.publisher.js';
import { BarsRepository } from './adapters/bars.repository.js';
import { ImportRunsRepository } from './adapters/import-runs.repository.js';
import { InstrumentsRepository } from './adapters/instruments.repository.js';
import { MarketCache } from './adapters/market-cache.js';
import type { MarketDataPorts } from './market-data.ports.js';

/**
 * Where D1 (and H4) bars start. `UTC` → midnight UTC; a fixed offset → that clock's midnight; a
 * DST rule (`NY+7`, `EET`) → the broker clock's midnight, moving with its daylight saving.
 */
export function dayAlignment(zoneName: string): BarAlignment | undefined {
  const zone = parseTimeZone(zoneName);
  if (!zone) throw new RangeError(`unknown D1 day-start time zone "${zoneName}"`);
  if (zone.fixed) {
    const offset = zone.offsetAt(0);
    return offset === 0 ? undefined : { offsetMs: -offset };
  }
  return { offsetAt: zone.offsetAt };
}

/** Every use case of the service, wired once from the ports (the service and the CLI share this). */
export function composeMarketData(ports: MarketDataPorts) {
  const { config } = ports;
  const alignment = dayAlignment(config.MD_D1_DAY_START);
  const bars = new BarsRepository(ports.pool);
  const cache = ports.redis ? new MarketCache(ports.redis, { barSeconds: config.MD_LATEST_BAR_TTL_SECONDS, quoteSeconds: config.MD_QUOTE_TTL_SECONDS }) : undefined;
  const mapper = new BarMessageMapper(alignment);
  const publisher = new BarPublisher(ports.nc, mapper, cache, ports.clock, ports.provision, config.MD_PUBLISH_IN_FLIGHT);
  const instruments = new InstrumentsUseCase(new InstrumentsRepository(ports.pool), parseVenueMap(config.MD_CATALOGUE_VENUE_MAP), config.MD_INSTRUMENTS_FILE);
  return {
    alignment,
    bars,
    cache,
    mapper,
    publisher,
    instruments,
    importBars: new ImportBarsUseCase(bars, new ImportRunsRepository(ports.pool), publisher),
    aggregateBars: new AggregateBarsUseCase(bars, publisher, alignment, ports.clock),
    findGaps: new FindGapsUseCase(bars, instruments, alignment),
    requestBackfill: new RequestBackfillUseCase(ports.nc, bars, publisher, ports.provision, config.MD_HISTORY_TIMEOUT_MS),
    replayBars: new ReplayBarsUseCase(bars, publisher),
  };
}

export type MarketData = ReturnType<typeof composeMarketData>;
