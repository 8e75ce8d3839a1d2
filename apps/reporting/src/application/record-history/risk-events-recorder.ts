import type { BreakerChanged, Envelope, TradingStateChanged } from '@mt5/contracts';
import type pg from 'pg';
import { markProcessed } from '../../adapters/db/history.repository.js';
import { insertBreakerEvent, insertTradingStateEvent } from '../../adapters/db/risk-events.repository.js';
import { inAccountTransaction } from '../../adapters/db/transaction.js';
import type { RecordOutcome } from './history-recorder.js';

/**
 * Keeps trading-state changes and breaker transitions beside the trade history, so a report can
 * show when trading was halted and why. Append-only rows, made idempotent by the processed
 * message recorded in the same transaction.
 */
export class RiskEventsRecorder {
  constructor(private readonly pool: pg.Pool, private readonly consumer: string) {}

  async recordTradingState(envelope: Envelope<TradingStateChanged>, traceId: string | null): Promise<RecordOutcome> {
    return inAccountTransaction(this.pool, envelope.data.account, async (db) => {
      if (!(await markProcessed(db, this.consumer, envelope.id))) return 'duplicate-message';
      await insertTradingStateEvent(db, envelope.data, traceId);
      return 'applied';
    });
  }

  async recordBreaker(envelope: Envelope<BreakerChanged>): Promise<RecordOutcome> {
    return inAccountTransaction(this.pool, envelope.data.account, async (db) => {
      if (!(await markProcessed(db, this.consumer, envelope.id))) return 'duplicate-message';
      await insertBreakerEvent(db, envelope.data);
      return 'applied';
    });
  }
}
