import { ROLL_UP, dailyPerformanceRows, dayStart, type DailyPerformanceRow } from '@mt5/domain/analytics';
import { loadTradeFacts } from './trade-rows.js';
import type { Queryable } from './transaction.js';

const DAY_MS = 86_400_000;

interface DayEquity {
  /** Snapshots inside the day. */
  readonly count: number;
  readonly startEquity: string | null;
  readonly endEquity: string | null;
  /** Largest fall of equity from its running peak during the day, the previous close included. */
  readonly drawdown: string | null;
}

/** Equity figures of one day from the account snapshots: start (previous close), end, drawdown. */
async function dayEquity(db: Queryable, account: string, start: Date, end: Date): Promise<DayEquity> {
  const { rows } = await db.query<{ n: string; start_equity: string | null; end_equity: string | null; drawdown: string | null }>(
    `WITH points AS (
       SELECT time, equity FROM account_snapshots WHERE account = $1 AND time >= $2 AND time < $3
       UNION ALL
       (SELECT time, equity FROM account_snapshots WHERE account = $1 AND time < $2 ORDER BY time DESC LIMIT 1)
     ), running AS (
       SELECT time, equity, max(equity) OVER (ORDER BY time ROWS UNBOUNDED PRECEDING) AS peak FROM points
     )
     SELECT (SELECT count(*) FROM points WHERE time >= $2)::text AS n,
            (SELECT equity::text FROM points ORDER BY time ASC LIMIT 1) AS start_equity,
            (SELECT equity::text FROM points WHERE time >= $2 ORDER BY time DESC LIMIT 1) AS end_equity,
            (SELECT max(peak - equity)::text FROM running) AS drawdown`,
    [account, start, end],
  );
  const row = rows[0];
  return { count: Number(row.n), startEquity: row.start_equity, endEquity: row.end_equity, drawdown: row.drawdown };
}

function emptyRollUp(day: string): DailyPerformanceRow {
  return {
    day, strategyId: ROLL_UP, symbol: ROLL_UP, trades: 0, wins: 0, losses: 0, grossProfit: '0', grossLoss: '0', commission: '0', swap: '0',
    netProfit: '0', volume: '0', largestWin: null, largestLoss: null, realisedDrawdown: '0',
  };
}

/**
 * Recomputes the daily-performance rows of one account and UTC day from what is stored: the
 * trades closed that day (rows per account, strategy, symbol and pair) and the day's account
 * snapshots (start and end equity and the equity drawdown, on the account row). Rows the day no
 * longer has are removed. Recomputing, rather than adding to counters, is what makes a replayed
 * or reordered event harmless.
 */
export async function refreshDailyPerformance(db: Queryable, account: string, day: string): Promise<void> {
  const start = dayStart(day);
  const trades = await loadTradeFacts(db, { account, from: start, to: start + DAY_MS });
  const equity = await dayEquity(db, account, new Date(start), new Date(start + DAY_MS));
  const rows = dailyPerformanceRows(day, trades);
  if (rows.length === 0 && equity.count > 0) rows.push(emptyRollUp(day));
  for (const row of rows) {
    const rollUp = row.strategyId === ROLL_UP && row.symbol === ROLL_UP;
    const withEquity = rollUp && equity.count > 0;
    await db.query(
      `INSERT INTO daily_performance (account, day, strategy_id, symbol, trades, wins, losses, gross_profit, gross_loss, commission, swap,
         net_profit, volume, start_equity, end_equity, max_drawdown, updated_at)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, now())
       ON CONFLICT (account, day, strategy_id, symbol) DO UPDATE SET
         trades = EXCLUDED.trades, wins = EXCLUDED.wins, losses = EXCLUDED.losses, gross_profit = EXCLUDED.gross_profit,
         gross_loss = EXCLUDED.gross_loss, commission = EXCLUDED.commission, swap = EXCLUDED.swap, net_profit = EXCLUDED.net_profit,
         volume = EXCLUDED.volume, start_equity = EXCLUDED.start_equity, end_equity = EXCLUDED.end_equity,
         max_drawdown = EXCLUDED.max_drawdown, updated_at = now()`,
      [account, day, row.strategyId, row.symbol, row.trades, row.wins, row.losses, row.grossProfit, row.grossLoss, row.commission, row.swap,
        row.netProfit, row.volume, withEquity ? equity.startEquity : null, withEquity ? equity.endEquity : null,
        withEquity ? equity.drawdown : row.realisedDrawdown],
    );
  }
  await db.query(
    `DELETE FROM daily_performance WHERE account = $1 AND day = $2::date
       AND NOT ((strategy_id, symbol) IN (SELECT * FROM unnest($3::text[], $4::text[])))`,
    [account, day, rows.map((row) => row.strategyId), rows.map((row) => row.symbol)],
  );
}

/** True when the account has a daily row for the day (so a late snapshot before it changes its start). */
export async function hasDailyRow(db: Queryable, account: string, day: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM daily_performance WHERE account = $1 AND day = $2::date LIMIT 1', [account, day]);
  return (rowCount ?? 0) > 0;
}
