import type { Queryable } from './transaction.js';

/**
 * Trading-state changes and breaker transitions for the report's risk section, read from
 * risk-guard's own tables (`trading_state_events`, `breaker_events`), which risk-guard writes.
 * Read-only, and a knowing exception to "no service reads another's tables" until risk-guard
 * answers an events query; reporting never writes them (that would record every event twice).
 */
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
