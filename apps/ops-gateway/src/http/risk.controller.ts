import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Subjects, type BreakerKind } from '@mt5/contracts';
import type { z } from 'zod';
import { riskActor } from '../application/upstream/operator-actor.js';
import { UpstreamClient } from '../application/upstream/upstream.client.js';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.tokens.js';
import { CurrentPrincipal, Mutation, Read } from '../security/access.decorators.js';
import type { Principal } from '../security/principal.js';
import { Endpoint } from './openapi.decorators.js';
import {
  accountQuery, breakerParam, breakersResponse, commandAppliedResponse, decisionsQuery, decisionsResponse, killSwitchBody, resetBreakerBody, setStateBody,
  tradingStateView,
} from './schemas/risk.schemas.js';

/**
 * Trading state, breakers and decisions, owned by risk-guard. Changing the state or resetting a
 * breaker needs an admin and a reason; the kill switch (halt and flatten all) only makes things
 * stricter, so an operator may pull it.
 */
@ApiTags('risk')
@Controller('api/v1/risk')
export class RiskController {
  constructor(private readonly upstream: UpstreamClient, @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions) {}

  private account(account: string | undefined): string {
    return account ?? this.options.config.OPS_ACCOUNT;
  }

  private ask(name: string, body: unknown) {
    return this.upstream.request({ service: 'risk-guard', subject: Subjects.query('risk-guard', name), body });
  }

  private command(name: string, body: unknown) {
    return this.upstream.request({ service: 'risk-guard', subject: Subjects.command('risk-guard', name), body, kind: 'command' });
  }

  @Get('state')
  @Read()
  @Endpoint('Trading state, kill switch, last account snapshot and open positions as risk-guard sees them', tradingStateView, [400, 404])
  state(@Query({ schema: accountQuery }) query: z.output<typeof accountQuery>) {
    return this.ask('state', { account: this.account(query.account) });
  }

  @Put('state')
  @Mutation('admin', 'api.risk.set-state')
  @Endpoint('Set the trading state (ACTIVE, REDUCING, HALTED); admin, with a reason', commandAppliedResponse, [400, 403, 404, 409])
  setState(@CurrentPrincipal() principal: Principal, @Body({ schema: setStateBody }) body: z.output<typeof setStateBody>) {
    return this.command('set-state', { account: this.account(body.account), state: body.state, reason: body.reason, actor: riskActor(principal) });
  }

  @Get('breakers')
  @Read()
  @Endpoint('Every circuit breaker with the figures behind its state', breakersResponse, [400, 404])
  breakers(@Query({ schema: accountQuery }) query: z.output<typeof accountQuery>) {
    return this.ask('breakers', { account: this.account(query.account) });
  }

  @Post('breakers/:breaker/reset')
  @HttpCode(200)
  @Mutation('admin', 'api.risk.reset-breaker')
  @Endpoint('Reset a breaker; admin, with a reason', commandAppliedResponse, [400, 403, 404, 409])
  resetBreaker(
    @CurrentPrincipal() principal: Principal,
    @Param('breaker', { schema: breakerParam }) breaker: BreakerKind,
    @Body({ schema: resetBreakerBody }) body: z.output<typeof resetBreakerBody>,
  ) {
    return this.command('reset-breaker', {
      account: this.account(body.account), breaker, reason: body.reason, actor: riskActor(principal), ...(body.strategyId ? { strategyId: body.strategyId } : {}),
    });
  }

  @Post('kill-switch')
  @HttpCode(200)
  // Read buckets on purpose: they stay open when Redis is down, and an emergency stop must not be refused then.
  @Mutation('operator', 'api.risk.kill-switch')
  @Endpoint('Kill switch: halt trading and flatten every position; operator or admin, with a reason', commandAppliedResponse, [400, 403, 404])
  killSwitch(@CurrentPrincipal() principal: Principal, @Body({ schema: killSwitchBody }) body: z.output<typeof killSwitchBody>) {
    return this.command('kill-switch', { account: this.account(body.account), reason: body.reason, actor: riskActor(principal) });
  }

  @Get('decisions')
  @Read()
  @Endpoint('Recent risk decisions, newest first, a page at a time', decisionsResponse, [400])
  decisions(@Query({ schema: decisionsQuery }) query: z.output<typeof decisionsQuery>) {
    return this.ask('decisions', { ...query, account: this.account(query.account) });
  }
}
