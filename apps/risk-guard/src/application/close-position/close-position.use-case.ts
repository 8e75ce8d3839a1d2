import type { Envelope } from '@mt5/contracts';
import { oppositeSide } from '@mt5/domain/positions';
import type { DecideOrderUseCase, DecideResult } from '../decide-order/decide-order.use-case.js';
import type { RiskStore } from '../risk-store.port.js';

export interface ClosePositionRequest {
  readonly intentId: string;
  readonly account: string;
  readonly positionId: string;
  /** Lots to close; null closes all of it. */
  readonly volume: number | null;
  readonly requestedBy: string;
  readonly cause: Pick<Envelope, 'id' | 'correlationId'>;
}

/**
 * An operator's close of one position: a reduction, so it passes a halted account, open breakers
 * and a stale feed, and goes out as `exec.cmd.<account>.close-position` (only risk-guard sends
 * order commands). The position must be open in risk-guard's book.
 */
export class ClosePositionUseCase {
  constructor(private readonly store: RiskStore, private readonly decide: DecideOrderUseCase) {}

  async close(request: ClosePositionRequest): Promise<DecideResult> {
    const world = await this.store.read(request.account);
    const position = world?.context.positions.find((candidate) => candidate.positionId === request.positionId);
    if (!position) {
      throw Object.assign(new Error(`position ${request.positionId} is not open on ${request.account}`), { code: 'OPS.NOT_FOUND', retryable: false });
    }
    return this.decide.decide({
      account: request.account, cause: request.cause, requestedBy: request.requestedBy,
      intent: {
        intentId: request.intentId, source: 'MANUAL', strategyId: null, symbol: position.symbol, side: oppositeSide(position.side), orderType: 'MARKET',
        volume: request.volume, price: null, stopLoss: null, takeProfit: null, closesPositionId: position.positionId,
      },
    });
  }
}
