import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Subjects } from '@mt5/contracts';
import type { z } from 'zod';
import { UpstreamClient } from '../application/upstream/upstream.client.js';
import { Mutation, Read } from '../security/access.decorators.js';
import { Endpoint } from './openapi.decorators.js';
import { setParamsBody, strategiesResponse, strategyIdParam, strategyView, toggleStrategyBody } from './schemas/strategies.schemas.js';

/** `sig.ctl.strategies.<op>`: the signal-engine's strategy control family, one subject per operation. */
const control = (op: 'enable' | 'disable' | 'set-params') => `${Subjects.command('signal-engine', 'strategies')}.${op}`;

/** Strategy configs, owned by the signal-engine (`sig.qry.strategies`, `sig.ctl.strategies.*`). */
@ApiTags('strategies')
@Controller('api/v1/strategies')
export class StrategiesController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Get()
  @Read()
  @Endpoint('Strategies with their parameters and what the engine is doing with each', strategiesResponse)
  list() {
    return this.upstream.request({ service: 'signal-engine', subject: Subjects.query('signal-engine', 'strategies'), body: {} });
  }

  @Post(':id/enable')
  @HttpCode(200)
  @Mutation('operator', 'api.strategies.enable')
  @Endpoint('Enable a strategy', strategyView, [400, 403, 404, 409])
  enable(@Param('id', { schema: strategyIdParam }) id: string, @Body({ schema: toggleStrategyBody }) body: z.output<typeof toggleStrategyBody>) {
    return this.upstream.request({ service: 'signal-engine', subject: control('enable'), body: { id, ...body }, kind: 'command' });
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Mutation('operator', 'api.strategies.disable')
  @Endpoint('Disable a strategy (it stops producing signals; open positions stay)', strategyView, [400, 403, 404, 409])
  disable(@Param('id', { schema: strategyIdParam }) id: string, @Body({ schema: toggleStrategyBody }) body: z.output<typeof toggleStrategyBody>) {
    return this.upstream.request({ service: 'signal-engine', subject: control('disable'), body: { id, ...body }, kind: 'command' });
  }

  @Put(':id/params')
  @Mutation('operator', 'api.strategies.set-params')
  @Endpoint('Change a strategy\'s parameters (the signal-engine validates them against the strategy kind)', strategyView, [400, 403, 404, 409])
  setParams(@Param('id', { schema: strategyIdParam }) id: string, @Body({ schema: setParamsBody }) body: z.output<typeof setParamsBody>) {
    return this.upstream.request({ service: 'signal-engine', subject: control('set-params'), body: { id, ...body }, kind: 'command' });
  }
}
