import type { InstrumentSpec } from '@mt5/domain/instruments';
import type pg from 'pg';

export type InstrumentWrite = 'inserted' | 'updated' | 'unchanged';

/** A stored instrument: the specification and its version (bumped on every change). */
export interface StoredInstrument {
  readonly spec: InstrumentSpec;
  readonly specVersion: number;
  readonly updatedAt: string;
}

const COLUMNS = [
  'venue', 'symbol', 'description', 'digits', 'point', 'tick_size', 'tick_value', 'contract_size', 'volume_min', 'volume_max', 'volume_step',
  'stops_level', 'freeze_level', 'base_currency', 'profit_currency', 'margin_currency', 'trade_mode', 'filling_modes', 'sessions', 'raw',
] as const;
const UPDATES = COLUMNS.filter((column) => column !== 'venue' && column !== 'symbol').map((column) => `"${column}" = EXCLUDED."${column}"`).join(', ');

// `raw` holds the whole specification as loaded: an unchanged spec is not a new version.
const UPSERT = `INSERT INTO instruments (${COLUMNS.map((column) => `"${column}"`).join(', ')})
  VALUES (${COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
  ON CONFLICT (venue, symbol) DO UPDATE SET ${UPDATES}, spec_version = instruments.spec_version + 1, updated_at = now()
  WHERE instruments.raw IS DISTINCT FROM EXCLUDED.raw
  RETURNING (xmax = 0) AS inserted`;

function values(spec: InstrumentSpec): unknown[] {
  return [
    spec.venue, spec.symbol, spec.description, spec.digits, spec.point, spec.tickSize, spec.tickValue, spec.contractSize,
    spec.volumeMin, spec.volumeMax, spec.volumeStep, spec.stopsLevel, spec.freezeLevel, spec.baseCurrency, spec.profitCurrency,
    spec.marginCurrency, spec.tradeMode, spec.fillingModes, JSON.stringify(spec.sessions), JSON.stringify(spec),
  ];
}

/** `instruments`: one row per (venue, symbol), versioned. */
export class InstrumentsRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Upserts every spec in one transaction; an identical spec is left alone (no version bump). */
  async upsertAll(specs: readonly InstrumentSpec[]): Promise<Array<{ venue: string; symbol: string; result: InstrumentWrite }>> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const results: Array<{ venue: string; symbol: string; result: InstrumentWrite }> = [];
      for (const spec of specs) {
        const { rows } = await client.query<{ inserted: boolean }>(UPSERT, values(spec));
        results.push({ venue: spec.venue, symbol: spec.symbol, result: rows.length === 0 ? 'unchanged' : rows[0]!.inserted ? 'inserted' : 'updated' });
      }
      await client.query('COMMIT');
      return results;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Stored instruments, optionally for one venue and some symbols. */
  async list(venue?: string, symbols?: readonly string[]): Promise<StoredInstrument[]> {
    const conditions: string[] = ['raw IS NOT NULL'];
    const params: unknown[] = [];
    if (venue) conditions.push(`venue = $${params.push(venue)}`);
    if (symbols?.length) conditions.push(`symbol = ANY($${params.push(symbols)})`);
    const { rows } = await this.pool.query<{ raw: InstrumentSpec; spec_version: number; updated_at: Date }>(
      `SELECT raw, spec_version, updated_at FROM instruments WHERE ${conditions.join(' AND ')} ORDER BY venue COLLATE "C", symbol COLLATE "C"`,
      params,
    );
    return rows.map((row) => ({ spec: row.raw, specVersion: row.spec_version, updatedAt: row.updated_at.toISOString() }));
  }
}
