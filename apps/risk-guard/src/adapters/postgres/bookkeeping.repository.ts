import type { RiskEvent } from '@mt5/domain/risk';
import type { OutboxMessage, StrategySettings } from '../../application/ports.js';
import { inlineParams, type Tx } from './pg-transaction.js';
import type { StatementBatch } from './statement-batch.js';

/** Subjects risk-guard publishes through the outbox; its relay sends only these (execution shares the table). */
export const OUTBOX_SUBJECT_PATTERNS = ['exec.cmd.%', 'risk.evt.%'] as const;

export interface AuditEntry {
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** `ok`, `denied: <code>` or `error: <code>`. */
  readonly result: string;
  readonly traceId: string | null;
}

/**
 * The append-only side of risk-guard's writes: trading-state and breaker events, outbox rows,
 * processed-message markers and audit entries, plus the strategy configs it reads.
 */
export class BookkeepingRepository {
  /** One `trading_state_events` or `breaker_events` row per event (flatten requests are in the outbox only). */
  recordEvents(batch: StatementBatch, events: readonly RiskEvent[], traceId: string | null): void {
    for (const event of events) {
      if (event.type === 'TRADING_STATE_CHANGED') {
        batch.add(
          `INSERT INTO trading_state_events (account, from_state, to_state, reason, changed_by, trace_id, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [event.account, event.from, event.to, event.reason, event.by, traceId, new Date(event.time)],
        );
      } else if (event.type === 'BREAKER_CHANGED') {
        batch.add(
          `INSERT INTO breaker_events (account, kind, from_state, to_state, reason, context, occurred_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
          [event.account, event.breaker, event.previousState, event.state, event.reason, JSON.stringify({ ...event.figures, strategyId: event.strategyId }), new Date(event.time)],
        );
      }
    }
  }

  /** Outbox rows written with the state change; `headers` carry the trace the change happened in. */
  enqueue(batch: StatementBatch, messages: readonly OutboxMessage[], headers: Readonly<Record<string, string>>): void {
    for (const message of messages) {
      batch.add(
        `INSERT INTO outbox (message_id, subject, payload, headers) VALUES ($1, $2, $3::jsonb, $4::jsonb) ON CONFLICT (message_id) DO NOTHING`,
        [message.envelope.id, message.subject, JSON.stringify(message.envelope), JSON.stringify(headers)],
      );
    }
  }

  /** Marks a message (or a natural key such as a deal ticket) applied; false when it already was. */
  async markProcessed(tx: Tx, consumer: string, messageId: string): Promise<boolean> {
    const result = await tx.query(MARK_PROCESSED, [consumer, messageId]);
    return result.rowCount === 1;
  }

  /** {@link markProcessed} as one statement with its values inlined (to travel with BEGIN): one row when the key is new. */
  markProcessedStatement(consumer: string, messageId: string): string {
    return inlineParams(MARK_PROCESSED, [consumer, messageId]);
  }

  async audit(tx: Tx, entry: AuditEntry): Promise<void> {
    await tx.query(
      'INSERT INTO audit_log (actor, role, action, params, result, trace_id) VALUES ($1, $2, $3, $4::jsonb, $5, $6)',
      [entry.actor, entry.role, entry.action, JSON.stringify(entry.params), entry.result, entry.traceId],
    );
  }

  async strategy(tx: Pick<Tx, 'query'>, strategyId: string): Promise<StrategySettings | null> {
    const row = (await tx.query<StrategyRow>(`${STRATEGY_SELECT} WHERE id = $1`, [strategyId])).rows[0];
    return row ? toSettings(row) : null;
  }

  /** {@link strategy} as one statement with its value inlined (to travel with BEGIN); rows for {@link strategyFromRows}. */
  strategyStatement(strategyId: string): string {
    return inlineParams(`${STRATEGY_SELECT} WHERE id = $1`, [strategyId]);
  }

  strategyFromRows(rows: readonly Record<string, unknown>[] | undefined): StrategySettings | null {
    const row = rows?.[0] as unknown as StrategyRow | undefined;
    return row ? toSettings(row) : null;
  }

  async strategyByMagic(tx: Tx, magic: number): Promise<StrategySettings | null> {
    if (!Number.isSafeInteger(magic) || magic > 2 ** 31 - 1) return null;
    const row = (await tx.query<StrategyRow>(`${STRATEGY_SELECT} WHERE magic = $1`, [magic])).rows[0];
    return row ? toSettings(row) : null;
  }
}

const MARK_PROCESSED = 'INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1 AS fresh';

const STRATEGY_SELECT = 'SELECT id, magic, account, risk_per_trade_pct::text AS risk, max_volume::text AS max_volume FROM strategy_configs';

interface StrategyRow {
  id: string;
  magic: number;
  account: string | null;
  risk: string | null;
  max_volume: string | null;
}

function toSettings(row: StrategyRow): StrategySettings {
  return {
    strategyId: row.id, magic: row.magic, account: row.account,
    riskPerTradePercent: row.risk === null ? null : Number(row.risk), maxVolume: row.max_volume === null ? null : Number(row.max_volume),
  };
}
