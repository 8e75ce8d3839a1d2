import { Inject, Injectable } from '@nestjs/common';
import { Subjects, type RiskDecision } from '@mt5/contracts';
import { randomUUID } from 'node:crypto';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../../gateway.tokens.js';
import type { Principal } from '../../security/principal.js';
import { GatewayError } from '../gateway-error.js';
import { OpenPositionsQuery } from '../positions/open-positions.query.js';
import { UpstreamClient } from '../upstream/upstream.client.js';
import { InstrumentCatalogue } from './instrument-catalogue.js';

export interface PlaceOrderRequest {
  readonly account?: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly orderType: 'MARKET' | 'LIMIT' | 'STOP';
  readonly volume?: string;
  readonly price?: string;
  readonly stopLoss?: string;
  readonly takeProfit?: string;
  readonly comment?: string;
  readonly intentId?: string;
}

/** risk-guard's reply to an intent or a close: the decision, or the first one for an id already decided. */
interface DecisionReply {
  readonly duplicate: boolean;
  readonly decision: RiskDecision;
}

export interface OrderDecision extends DecisionReply {
  readonly intentId: string;
}

/**
 * Manual orders, cancels and closes. Each is an intent sent to risk-guard, the only service that
 * may command execution; the reply is risk's decision. The gateway checks what it can first (the
 * symbol is in the catalogue, the volume on its step) so a typo is a 400, not a denial.
 */
@Injectable()
export class ManualOrdersUseCase {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly catalogue: InstrumentCatalogue,
    private readonly positions: OpenPositionsQuery,
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions,
  ) {}

  async place(principal: Principal, order: PlaceOrderRequest): Promise<OrderDecision> {
    const spec = this.catalogue.require(order.symbol);
    if (order.volume !== undefined) this.catalogue.checkVolume(spec, order.volume);
    const intentId = order.intentId ?? `ops-${randomUUID()}`;
    const intent = {
      intentId, account: order.account ?? this.options.config.OPS_ACCOUNT, symbol: order.symbol, side: order.side, orderType: order.orderType,
      ...(order.volume !== undefined && { volume: order.volume }), ...(order.price !== undefined && { price: order.price }),
      ...(order.stopLoss !== undefined && { stopLoss: order.stopLoss }), ...(order.takeProfit !== undefined && { takeProfit: order.takeProfit }),
      ...(order.comment !== undefined && { comment: order.comment }), requestedBy: principal.name,
    };
    const reply = await this.command<DecisionReply>('submit-intent', intent, intentId);
    return { intentId, duplicate: reply.duplicate, decision: reply.decision };
  }

  async close(principal: Principal, positionId: string, request: { account?: string; volume?: string; intentId?: string }): Promise<OrderDecision> {
    const account = request.account ?? this.options.config.OPS_ACCOUNT;
    if (request.volume !== undefined) await this.checkCloseVolume(account, positionId, request.volume);
    const intentId = request.intentId ?? `ops-close-${randomUUID()}`;
    const reply = await this.command<DecisionReply>('close-position', {
      intentId, account, positionId,
      ...(request.volume !== undefined && { volume: request.volume }), requestedBy: principal.name,
    }, intentId);
    return { intentId, duplicate: reply.duplicate, decision: reply.decision };
  }

  /** A cancel is an intent too: risk-guard turns it into `exec.cmd.<account>.cancel-order` (once per intent id). */
  async cancel(principal: Principal, clientOrderId: string, request: { account?: string; reason?: string }): Promise<unknown> {
    const intentId = `ops-cancel-${randomUUID()}`;
    return this.command('cancel-order', {
      intentId, account: request.account ?? this.options.config.OPS_ACCOUNT, clientOrderId, requestedBy: principal.name,
      ...(request.reason ? { reason: request.reason } : {}),
    }, intentId);
  }

  /** When the open positions can be read, a partial close is checked against its symbol's step. */
  private async checkCloseVolume(account: string, positionId: string, volume: string): Promise<void> {
    const open = await this.positions.get(account).catch(() => null);
    const position = open?.positions.find((p) => p.positionId === positionId);
    if (!open) return; // execution unavailable: risk-guard checks the volume against the position itself
    if (!position) throw new GatewayError(404, 'EXEC.POSITION_NOT_FOUND', `no open position ${positionId}`);
    this.catalogue.checkVolume(this.catalogue.require(position.symbol), volume, 'volume', { allowBelowMinimum: true });
  }

  private async command<T>(name: string, body: unknown, intentId: string): Promise<T> {
    try {
      return await this.upstream.request<T>({ service: 'risk-guard', subject: Subjects.command('risk-guard', name), body, kind: 'command' });
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'SYS.TIMEOUT') {
        throw new GatewayError(503, 'SYS.TIMEOUT',
          `${error.message}: the intent may still be decided; look it up under its intent id, or send it again with the same intentId (decided once)`,
          true, error.headers, { intentId, outcome: 'unknown' });
      }
      throw error;
    }
  }
}
