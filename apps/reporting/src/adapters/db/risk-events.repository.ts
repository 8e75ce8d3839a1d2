import type { BreakerChanged, TradingStateChanged } from '@mt5/contracts';
import type { Queryable } from './transaction.js';

export async function insertTradingStateEvent(db: Queryable, event: TradingStateChanged, traceId: string | null): Promise<void> {
  await db.query(
    `INSERT INTO trading_state_events (account, from_state, to_state, reason, changed_by, trace_id, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [event.account, event.from, event.to, event.reason, event.by, traceId, event.time],
  );
}

export async function insertBreakerEvent(db: Queryable, event: BreakerChanged): Promise<void> {
  await db.query(
    `INSERT INTO breaker_events (account, kind, from_state, to_state, reason, context, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [event.account, event.breaker, event.previousState, event.state, event.reason, JSON.stringify(event.figures), event.time],
  );
}

/** A trading-state change or breaker transition, for the report's risk section. */
export interface RiskEventRow {
  readonly time: string;
  readonly kind: 'TRADING_STATE' | 'BREAKER';
  readonly what: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

export async function listRiskEvents(db: Queryable, account: string, from: number | undefined, to: number | undefined, limit = 500): Promise<RiskEventRow[]> {
  const { rows } = await db.query<{ time: Date; kind: RiskEventRow['kind']; what: string; from_state: string; to_state: string; reason: string }>(
    `SELECT * FROM (
       SELECT occurred_at AS time, 'TRADING_STATE' AS kind, changed_by AS what, from_state, to_state, reason FROM trading_state_events
       WHERE account = $1 AND ($2::timestamptz IS NULL OR occurred_at >= $2) AND ($3::timestamptz IS NULL OR occurred_at < $3)
       UNION ALL
       SELECT occurred_at, 'BREAKER', kind, from_state, to_state, reason FROM breaker_events
       WHERE account = $1 AND ($2::timestamptz IS NULL OR occurred_at >= $2) AND ($3::timestamptz IS NULL OR occurred_at < $3)
     ) events ORDER BY time, kind LIMIT $4`,
    [account, from === undefined ? null : new Date(from), to === undefined ? null : new Date(to), limit],
  );
  return rows.map((row) => ({ time: row.time.toISOString(), kind: row.kind, what: row.what, from: row.from_state, to: row.to_state, reason: row.reason }));
}
