import type { AccountSnapshot } from '@mt5/contracts';
import { trimDecimal } from './trade-rows.js';
import type { Queryable } from './transaction.js';

/** An account snapshot as stored, in wire shape (decimal strings, ISO time); margin mode is not stored. */
export type StoredSnapshot = Omit<AccountSnapshot, 'marginMode'>;

/** Stores an account snapshot once per (account, time); false when one was already there. */
export async function insertAccountSnapshot(db: Queryable, snapshot: StoredSnapshot): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO account_snapshots (account, time, currency, balance, equity, margin, free_margin, margin_level, open_positions)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (account, time) DO NOTHING`,
    [snapshot.account, snapshot.time, snapshot.currency, snapshot.balance, snapshot.equity, snapshot.margin, snapshot.freeMargin,
      snapshot.marginLevel, snapshot.openPositions],
  );
  return result.rowCount === 1;
}

interface SnapshotRow {
  account: string; time: Date; currency: string; balance: string; equity: string; margin: string; free_margin: string;
  margin_level: string | null; open_positions: number;
}

const SNAPSHOT_COLUMNS = `account, time, currency, balance::text, equity::text, margin::text, free_margin::text, margin_level::text, open_positions`;

function toSnapshot(row: SnapshotRow): StoredSnapshot {
  const trim = trimDecimal;
  return {
    account: row.account, time: row.time.toISOString(), currency: row.currency, balance: trim(row.balance), equity: trim(row.equity),
    margin: trim(row.margin), freeMargin: trim(row.free_margin), marginLevel: row.margin_level === null ? null : trim(row.margin_level),
    openPositions: row.open_positions,
  };
}

/** The newest snapshot of every account (the timer's last known state after a restart). */
export async function latestSnapshots(db: Queryable): Promise<StoredSnapshot[]> {
  const { rows } = await db.query<SnapshotRow>(`SELECT DISTINCT ON (account) ${SNAPSHOT_COLUMNS} FROM account_snapshots ORDER BY account, time DESC`);
  return rows.map(toSnapshot);
}

/** Snapshots of an account in [from, to), oldest first, at most `limit`. */
export async function listSnapshots(db: Queryable, account: string, from: number | undefined, to: number | undefined, limit: number): Promise<StoredSnapshot[]> {
  const { rows } = await db.query<SnapshotRow>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM account_snapshots
     WHERE account = $1 AND ($2::timestamptz IS NULL OR time >= $2) AND ($3::timestamptz IS NULL OR time < $3)
     ORDER BY time LIMIT $4`,
    [account, from === undefined ? null : new Date(from), to === undefined ? null : new Date(to), limit],
  );
  return rows.map(toSnapshot);
}

/** The last snapshot strictly before `time` (equity at the start of a range). */
export async function snapshotBefore(db: Queryable, account: string, time: number): Promise<StoredSnapshot | null> {
  const { rows } = await db.query<SnapshotRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM account_snapshots WHERE account = $1 AND time < $2 ORDER BY time DESC LIMIT 1`, [account, new Date(time)]);
  return rows[0] ? toSnapshot(rows[0]) : null;
}

/** Bucket widths that divide a day, so buckets never straddle midnight (daily closes stay exact). */
const BUCKET_SECONDS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 14_400, 21_600, 43_200, 86_400];

/**
 * The equity curve of an account in [from, to) for analysis: at most about `maxBuckets` buckets,
 * each contributing its first, lowest, highest and last snapshot. Peaks and troughs survive, so
 * the maximum drawdown and the daily closes are those of the full series.
 */
export async function equityCurve(db: Queryable, account: string, from: number, to: number, maxBuckets = 5000): Promise<{ time: number; equity: number; balance: number }[]> {
  const span = Math.max(1, (to - from) / 1000);
  const width = BUCKET_SECONDS.find((seconds) => span / seconds <= maxBuckets) ?? 86_400;
  const origin = new Date(Math.floor(from / 86_400_000) * 86_400_000);
  const { rows } = await db.query<{ time: Date; equity: string; balance: string }>(
    `WITH s AS (
       SELECT time, equity, balance, floor(extract(epoch FROM time - $4::timestamptz) / $5)::bigint AS bucket
       FROM account_snapshots WHERE account = $1 AND time >= $2 AND time < $3
     ), ranked AS (
       SELECT time, equity, balance,
         row_number() OVER (PARTITION BY bucket ORDER BY time) AS first_in,
         row_number() OVER (PARTITION BY bucket ORDER BY time DESC) AS last_in,
         row_number() OVER (PARTITION BY bucket ORDER BY equity, time) AS lowest,
         row_number() OVER (PARTITION BY bucket ORDER BY equity DESC, time) AS highest
       FROM s
     )
     SELECT time, equity::text, balance::text FROM ranked WHERE first_in = 1 OR last_in = 1 OR lowest = 1 OR highest = 1 ORDER BY time`,
    [account, new Date(from), new Date(to), origin, width],
  );
  return rows.map((row) => ({ time: row.time.getTime(), equity: Number(row.equity), balance: Number(row.balance) }));
}

/** First and last snapshot times of an account (the default range of a report). */
export async function snapshotRange(db: Queryable, account: string): Promise<{ first: number; last: number } | null> {
  const { rows } = await db.query<{ first: Date | null; last: Date | null }>('SELECT min(time) AS first, max(time) AS last FROM account_snapshots WHERE account = $1', [account]);
  return rows[0]?.first && rows[0].last ? { first: rows[0].first.getTime(), last: rows[0].last.getTime() } : null;
}
