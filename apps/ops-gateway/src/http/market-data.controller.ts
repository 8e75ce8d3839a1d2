import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Subjects } from '@mt5/contracts';
import type { z } from 'zod';
import { UpstreamClient } from '../application/upstream/upstream.client.js';
import { Read } from '../security/access.decorators.js';
import { Endpoint } from './openapi.decorators.js';
import {
  barsQuery, barsResponse, coverageQuery, coverageResponse, gapsQuery, gapsResponse, instrumentsQuery, instrumentsResponse, latestQuery, latestResponse,
} from './schemas/market.schemas.js';

/** Market data, answered by market-data over `md.qry.*` (latest from its Redis cache, bars from Postgres). */
@ApiTags('market data')
@Controller('api/v1/market')
export class MarketDataController {
  constructor(private readonly upstream: UpstreamClient) {}

  private ask(name: string, body: unknown) {
    return this.upstream.request({ service: 'market-data', subject: Subjects.query('market-data', name), body });
  }

  @Get('instruments')
  @Read()
  @Endpoint('Instrument specifications (md.qry.instruments)', instrumentsResponse, [400])
  instruments(@Query({ schema: instrumentsQuery }) query: z.output<typeof instrumentsQuery>) {
    return this.ask('instruments', query);
  }

  @Get('latest')
  @Read()
  @Endpoint('Last quote and latest closed bars per symbol, from the Redis cache (md.qry.latest)', latestResponse, [400])
  latest(@Query({ schema: latestQuery }) query: z.output<typeof latestQuery>) {
    return this.ask('latest', query);
  }

  @Get('bars')
  @Read()
  @Endpoint('Stored bars of one series over a range, a page at a time (md.qry.bars)', barsResponse, [400, 404])
  bars(@Query({ schema: barsQuery }) query: z.output<typeof barsQuery>) {
    return this.ask('bars', query);
  }

  @Get('coverage')
  @Read()
  @Endpoint('First, last and count of stored bars per series (md.qry.coverage)', coverageResponse, [400])
  coverage(@Query({ schema: coverageQuery }) query: z.output<typeof coverageQuery>) {
    return this.ask('coverage', query);
  }

  @Get('gaps')
  @Read()
  @Endpoint('Missing bars inside the instrument\'s sessions (md.qry.gaps)', gapsResponse, [400, 404])
  gaps(@Query({ schema: gapsQuery }) query: z.output<typeof gapsQuery>) {
    return this.ask('gaps', query);
  }
}
