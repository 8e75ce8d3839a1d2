import type { Timeframe } from '@mt5/contracts';
import type pg from 'pg';
import type { StrategyConfig, StrategyConfigFields, StrategyConfigStore, UpdateOutcome } from '../../application/ports.js';

interface ConfigRow {
  id: string;
  kind: string;
  name: string;
  venue: string;
  symbols: string[];
  timeframe: string;
  params: Record<string, unknown>;
  enabled: boolean;
  magic: number;
  account: string | null;
  risk_per_trade_pct: string;
  max_open_positions: number;
  max_volume: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

// Decimals come back without NUMERIC's padding (`0.5`, not `0.5000`).
const COLUMNS = `id, kind, name, venue, symbols, timeframe, params, enabled, magic, account,
  trim_scale(risk_per_trade_pct)::text AS risk_per_trade_pct, max_open_positions, trim_scale(max_volume)::text AS max_volume,
  version, created_at, updated_at`;

function toConfig(row: ConfigRow): StrategyConfig {
  return {
    id: row.id, kind: row.kind, name: row.name, venue: row.venue, symbols: row.symbols, timeframe: row.timeframe as Timeframe,
    params: row.params ?? {}, enabled: row.enabled, magic: row.magic, account: row.account, riskPerTradePct: row.risk_per_trade_pct,
    maxOpenPositions: row.max_open_positions, maxVolume: row.max_volume, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

function fieldValues(fields: StrategyConfigFields): unknown[] {
  return [
    fields.kind, fields.name, fields.venue, fields.symbols, fields.timeframe, JSON.stringify(fields.params), fields.enabled, fields.magic,
    fields.account, fields.riskPerTradePct, fields.maxOpenPositions, fields.maxVolume,
  ];
}

/** `strategy_configs` through `pg`. Every change bumps `version`; a stated `expectedVersion` makes it conditional. */
export class StrategyConfigsRepository implements StrategyConfigStore {
  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<StrategyConfig[]> {
    const { rows } = await this.pool.query<ConfigRow>(`SELECT ${COLUMNS} FROM strategy_configs ORDER BY id`);
    return rows.map(toConfig);
  }

  async get(id: string): Promise<StrategyConfig | undefined> {
    const { rows } = await this.pool.query<ConfigRow>(`SELECT ${COLUMNS} FROM strategy_configs WHERE id = $1`, [id]);
    return rows[0] ? toConfig(rows[0]) : undefined;
  }

  async magicOwner(magic: number): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM strategy_configs WHERE magic = $1', [magic]);
    return rows[0]?.id;
  }

  async insertIfAbsent(id: string, fields: StrategyConfigFields): Promise<StrategyConfig | undefined> {
    const { rows } = await this.pool.query<ConfigRow>(
      `INSERT INTO strategy_configs (id, kind, name, venue, symbols, timeframe, params, enabled, magic, account, risk_per_trade_pct, max_open_positions, max_volume)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [id, ...fieldValues(fields)],
    );
    return rows[0] ? toConfig(rows[0]) : undefined;
  }

  async upsert(id: string, fields: StrategyConfigFields, expectedVersion?: number): Promise<UpdateOutcome> {
    const { rows } = await this.pool.query<ConfigRow>(
      `INSERT INTO strategy_configs AS c (id, kind, name, venue, symbols, timeframe, params, enabled, magic, account, risk_per_trade_pct, max_open_positions, max_volume)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, venue = EXCLUDED.venue, symbols = EXCLUDED.symbols,
         timeframe = EXCLUDED.timeframe, params = EXCLUDED.params, enabled = EXCLUDED.enabled, magic = EXCLUDED.magic,
         account = EXCLUDED.account, risk_per_trade_pct = EXCLUDED.risk_per_trade_pct, max_open_positions = EXCLUDED.max_open_positions,
         max_volume = EXCLUDED.max_volume, version = c.version + 1, updated_at = now()
       WHERE $14::int IS NULL OR c.version = $14::int
       RETURNING ${COLUMNS}`,
      [id, ...fieldValues(fields), expectedVersion ?? null],
    );
    if (rows[0]) return { kind: 'updated', config: toConfig(rows[0]) };
    return this.missOutcome(id);
  }

  async update(id: string, change: Partial<Pick<StrategyConfig, 'enabled' | 'params'>>, expectedVersion?: number): Promise<UpdateOutcome> {
    const { rows } = await this.pool.query<ConfigRow>(
      `UPDATE strategy_configs SET enabled = coalesce($2, enabled), params = coalesce($3::jsonb, params), version = version + 1, updated_at = now()
       WHERE id = $1 AND ($4::int IS NULL OR version = $4::int) RETURNING ${COLUMNS}`,
      [id, change.enabled ?? null, change.params === undefined ? null : JSON.stringify(change.params), expectedVersion ?? null],
    );
    if (rows[0]) return { kind: 'updated', config: toConfig(rows[0]) };
    return this.missOutcome(id);
  }

  private async missOutcome(id: string): Promise<UpdateOutcome> {
    const current = await this.get(id);
    return current ? { kind: 'version-conflict', current: current.version } : { kind: 'not-found' };
  }
}
