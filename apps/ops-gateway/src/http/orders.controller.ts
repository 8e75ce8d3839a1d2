import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Subjects } from '@mt5/contracts';
import { z } from 'zod';
import { ManualOrdersUseCase } from '../application/orders/manual-orders.use-case.js';
import { OpenPositionsQuery } from '../application/positions/open-positions.query.js';
import { UpstreamClient } from '../application/upstream/upstream.client.js';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.tokens.js';
import { CurrentPrincipal, Mutation, Read } from '../security/access.decorators.js';
import type { Principal } from '../security/principal.js';
import { Endpoint } from './openapi.decorators.js';
import { optionalAccount, symbolParam } from './schemas/common.schemas.js';
import {
  cancelOrderBody, cancelOrderParam, cancelOrderResponse, closePositionBody, decisionResponse, ordersQuery, ordersResponse, placeOrderBody, positionIdParam, positionsResponse,
} from './schemas/orders.schemas.js';

const positionsQuery = z.strictObject({ account: optionalAccount, symbol: symbolParam.optional() });

/**
 * Orders and positions. Every change is an intent to risk-guard (the only service that may
 * command execution); reads come from execution.
 */
@ApiTags('orders and positions')
@Controller('api/v1')
export class OrdersController {
  constructor(
    private readonly orders: ManualOrdersUseCase,
    private readonly positions: OpenPositionsQuery,
    private readonly upstream: UpstreamClient,
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions,
  ) {}

  @Post('orders')
  @HttpCode(200)
  @Mutation('operator', 'api.orders.place', { rate: 'order' })
  @Endpoint('Place a manual order: risk-guard vets (and sizes) it and answers with its decision', decisionResponse, [400, 403],
    'The symbol must be in the instrument catalogue and the volume on its step. The answer is the decision (ALLOW with the clientOrderId of the order command, or DENY with a RISK.* code); 503 SYS.TIMEOUT means the outcome is unknown: retry with the same intentId.')
  place(@CurrentPrincipal() principal: Principal, @Body({ schema: placeOrderBody }) body: z.output<typeof placeOrderBody>) {
    return this.orders.place(principal, body);
  }

  @Get('orders')
  @Read()
  @Endpoint('Orders, newest first, filtered by status, symbol or clientOrderId (exec.qry.orders)', ordersResponse, [400])
  async list(@Query({ schema: ordersQuery }) query: z.output<typeof ordersQuery>) {
    const { status, account, ...rest } = query;
    const orders = await this.upstream.request<unknown[]>({
      service: 'execution', subject: Subjects.query('execution', 'orders'),
      body: { ...rest, account: account ?? this.options.config.OPS_ACCOUNT, ...(status ? { statuses: status } : {}) },
    });
    return { orders };
  }

  @Delete('orders/:clientOrderId')
  @HttpCode(200)
  @Mutation('operator', 'api.orders.cancel', { rate: 'order' })
  @Endpoint('Cancel a pending order: an intent to risk-guard (risk.ctl.cancel-order), which sends the cancel command in any trading state', cancelOrderResponse, [400, 403, 404])
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('clientOrderId', { schema: cancelOrderParam }) clientOrderId: string,
    @Body({ schema: cancelOrderBody }) body: z.output<typeof cancelOrderBody>,
  ) {
    return this.orders.cancel(principal, clientOrderId, body);
  }

  @Get('positions')
  @Read()
  @Endpoint('Open positions from execution (served from a cache of at most OPS_POSITIONS_CACHE_MS, dropped on every position event)', positionsResponse, [400])
  async openPositions(@Query({ schema: positionsQuery }) query: z.output<typeof positionsQuery>) {
    const open = await this.positions.get(query.account);
    return query.symbol ? { positions: open.positions.filter((p) => p.symbol === query.symbol), asOf: open.asOf } : open;
  }

  @Post('positions/:positionId/close')
  @HttpCode(200)
  @Mutation('operator', 'api.positions.close', { rate: 'order' })
  @Endpoint('Close a position, in full or in part: an intent to risk-guard, answered with its decision', decisionResponse, [400, 403, 404])
  close(
    @CurrentPrincipal() principal: Principal,
    @Param('positionId', { schema: positionIdParam }) positionId: string,
    @Body({ schema: closePositionBody }) body: z.output<typeof closePositionBody>,
  ) {
    return this.orders.close(principal, positionId, body);
  }
}
