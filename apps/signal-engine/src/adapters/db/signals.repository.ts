import { encodeSymbol, type Signal, type Timeframe } from '@mt5/contracts';
import type pg from 'pg';
import type { BarCommit, OutgoingSignal, SeriesKey, SignalStore } from '../../application/ports.js';

/** `processed_messages.consumer` of one strategy's processed-bar markers. */
export const processedConsumer = (strategyId: string) => `signal-engine:${strategyId}`;

/** Epoch-ms width in a marker: zero-padded, so text order is time order within one series. */
const TIME_DIGITS = 15;

function seriesPrefix(key: SeriesKey): string {
  // encodeSymbol: no `:` can come from the symbol, so the prefix is unambiguous.
  return `${key.venue}:${encodeSymbol(key.symbol)}:${key.timeframe}:`;
}

/**
 * `processed_messages.message_id` of a bar: its identity (`<venue>:<symbol>:<tf>:<open time>`),
 * not its message id, so a replay (a tagged, new message of the same bar) is recognised too.
 */
export function processedBarId(key: SeriesKey, openTime: number): string {
  return `${seriesPrefix(key)}${String(openTime).padStart(TIME_DIGITS, '0')}`;
}

/** A stored signal as `sig.qry.signals` returns it. */
export interface StoredSignal extends Signal {
  readonly correlationId: string | null;
  readonly createdAt: string;
}

export interface SignalFilter {
  readonly strategyId?: string;
  readonly symbol?: string;
  readonly side?: 'BUY' | 'SELL';
  /** Bar open time range, epoch ms: `from <= barTime < to`. */
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
}

interface SignalRow {
  signal_id: string; strategy_id: string; strategy_kind: string; venue: string; symbol: string; timeframe: string; bar_time: Date;
  side: 'BUY' | 'SELL'; strength: number; reason: string; price: string; stop_loss: string | null; take_profit: string | null;
  atr: string | null; correlation_id: string | null; created_at: Date;
}

const INSERT_SIGNAL = `
  WITH s AS (
    INSERT INTO signals (signal_id, strategy_id, strategy_kind, venue, symbol, timeframe, bar_time, side, strength, reason, price, stop_loss, take_profit, atr, correlation_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
    ON CONFLICT DO NOTHING RETURNING signal_id
  ), o AS (
    INSERT INTO outbox (message_id, subject, payload, headers) SELECT $1, $16, $17::jsonb, $18::jsonb FROM s ON CONFLICT (message_id) DO NOTHING
  )
  SELECT signal_id FROM s`;

/**
 * Signals, their outbox rows and the processed-bar markers in Postgres. A signal and its outbox
 * row are written only when the signal id is new: the signals table's keys (id, and strategy +
 * symbol + timeframe + bar time) make a signal exist once, and so it is published once.
 */
export class SignalsRepository implements SignalStore {
  constructor(private readonly pool: pg.Pool) {}

  async commitBar(commit: BarCommit): Promise<OutgoingSignal[]> {
    const client = await this.pool.connect();
    // pg-pool removes its error listener from a client it hands out: a connection dropped between
    // two queries (Postgres stopping) would emit an unhandled 'error' and kill the process.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await client.query(
        'INSERT INTO processed_messages (consumer, message_id) SELECT c, $2 FROM unnest($1::text[]) AS c ON CONFLICT DO NOTHING',
        [commit.strategyIds.map(processedConsumer), processedBarId(commit.key, commit.barOpenTime)],
      );
      const fresh: OutgoingSignal[] = [];
      for (const outgoing of commit.signals) {
        const s = outgoing.envelope.data;
        const { rowCount } = await client.query(INSERT_SIGNAL, [
          s.signalId, s.strategyId, s.strategyKind, s.venue, s.symbol, s.timeframe, s.barTime, s.side, s.strength, s.reason,
          s.price, s.stopLoss, s.takeProfit ?? null, s.atr ?? null, outgoing.envelope.correlationId,
          outgoing.subject, JSON.stringify(outgoing.envelope), JSON.stringify(commit.traceHeaders),
        ]);
        if (rowCount === 1) fresh.push(outgoing);
      }
      await client.query('COMMIT');
      return fresh;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async lastProcessed(strategyId: string, key: SeriesKey): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ message_id: string }>(
      `SELECT message_id FROM processed_messages WHERE consumer = $1 AND starts_with(message_id, $2)
       ORDER BY message_id COLLATE "C" DESC LIMIT 1`,
      [processedConsumer(strategyId), seriesPrefix(key)],
    );
    return rows[0] ? Number(rows[0].message_id.slice(-TIME_DIGITS)) : undefined;
  }

  /** Deletes processed-bar markers older than `days` (never the newest of a series: see {@link lastProcessed}'s use at start). */
  async pruneProcessed(days: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM processed_messages p WHERE p.consumer LIKE 'signal-engine:%' AND p.processed_at < now() - make_interval(days => $1)
         AND EXISTS (SELECT 1 FROM processed_messages q WHERE q.consumer = p.consumer
           AND left(q.message_id, length(q.message_id) - ${TIME_DIGITS}) = left(p.message_id, length(p.message_id) - ${TIME_DIGITS})
           AND q.message_id COLLATE "C" > p.message_id COLLATE "C")`,
      [days],
    );
    return rowCount ?? 0;
  }

  /** Newest first (by bar time), filtered. */
  async recent(filter: SignalFilter): Promise<StoredSignal[]> {
    const values: unknown[] = [];
    const where: string[] = [];
    if (filter.strategyId) where.push(`strategy_id = $${values.push(filter.strategyId)}`);
    if (filter.symbol) where.push(`symbol = $${values.push(filter.symbol)}`);
    if (filter.side) where.push(`side = $${values.push(filter.side)}`);
    if (filter.from !== undefined) where.push(`bar_time >= $${values.push(new Date(filter.from).toISOString())}`);
    if (filter.to !== undefined) where.push(`bar_time < $${values.push(new Date(filter.to).toISOString())}`);
    const { rows } = await this.pool.query<SignalRow>(
      `SELECT signal_id, strategy_id, strategy_kind, venue, symbol, timeframe, bar_time, side, strength, reason, trim_scale(price)::text AS price,
         trim_scale(stop_loss)::text AS stop_loss, trim_scale(take_profit)::text AS take_profit, trim_scale(atr)::text AS atr, correlation_id, created_at
       FROM signals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY bar_time DESC, signal_id LIMIT $${values.push(filter.limit)}`,
      values,
    );
    return rows.map(toStoredSignal);
  }
}

function toStoredSignal(row: SignalRow): StoredSignal {
  const signal: { -readonly [K in keyof StoredSignal]: StoredSignal[K] } = {
    signalId: row.signal_id, strategyId: row.strategy_id, strategyKind: row.strategy_kind, symbol: row.symbol, venue: row.venue,
    timeframe: row.timeframe as Timeframe, barTime: row.bar_time.toISOString(), side: row.side, strength: row.strength, reason: row.reason,
    price: row.price, stopLoss: row.stop_loss ?? '0', correlationId: row.correlation_id, createdAt: row.created_at.toISOString(),
  };
  if (row.take_profit !== null) signal.takeProfit = row.take_profit;
  if (row.atr !== null) signal.atr = row.atr;
  return signal;
}
