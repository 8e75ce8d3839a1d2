import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BulkWriter } from './bulk-writer.js';
import { isTransientDbError } from './db-errors.js';
import { applyMigrations } from './migrator.js';
import { PrismaModule } from './prisma.module.js';
import { PrismaService } from './prisma.service.js';
import { PG_POOL } from './prisma.tokens.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: run with jest.integration.config.js (its global setup provides Postgres)');

const schema = `test_${randomBytes(5).toString('hex')}`;
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** Real GBPUSD M1 bars (no header, `YYYY-MM-DD HH:MM,open,high,low,close,volume`), see ../shared/data/README.md. */
const GBPUSD_FILE = path.join(repositoryRoot, '..', 'shared', 'data', 'market', 'GBPUSD_M1.csv');
const BAR_COLUMNS = ['venue', 'symbol', 'timeframe', 'open_time', 'open', 'high', 'low', 'close', 'tick_volume'] as const;

let app: INestApplicationContext;
let writer: BulkWriter;
let prisma: PrismaService;
let pool: pg.Pool;
let gbpusd: string[][];

async function readBars(count: number): Promise<string[][]> {
  const lines = (await fs.readFile(GBPUSD_FILE, 'utf8')).split(/\r?\n/).filter(Boolean).slice(0, count);
  return lines.map((line) => {
    const [time, open, high, low, close, volume] = line.split(',');
    return ['test-venue', 'GBPUSD', 'M1', `${time.replace(' ', 'T')}:00Z`, open, high, low, close, volume];
  });
}

beforeAll(async () => {
  await applyMigrations({ connectionString: databaseUrl, schema });
  const url = new URL(databaseUrl);
  url.searchParams.set('schema', schema);
  app = await NestFactory.createApplicationContext(PrismaModule.forRoot({ url: url.toString(), poolMax: 4 }), { logger: false });
  writer = app.get(BulkWriter);
  prisma = app.get(PrismaService);
  pool = app.get<pg.Pool>(PG_POOL);
  gbpusd = await readBars(3000);
});

afterAll(async () => {
  await app?.close();
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
});

describe('BulkWriter.copyInsert', () => {
  it('loads 3000 real bars and inserts none of them a second time', async () => {
    const first = await writer.copyInsert('bars', BAR_COLUMNS, gbpusd);
    const second = await writer.copyInsert('bars', BAR_COLUMNS, gbpusd);

    expect(first).toBe(3000);
    expect(second).toBe(0);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM bars WHERE symbol = 'GBPUSD'`);
    expect(rows[0].n).toBe(3000);
  });

  it('inserts only the new part of an overlapping batch', async () => {
    const overlapping = (await readBars(3500)).slice(2500);

    expect(await writer.copyInsert('bars', BAR_COLUMNS, overlapping)).toBe(500);
  });

  it('stores prices exactly, readable through the Prisma client in the same schema', async () => {
    // First line of GBPUSD_M1.csv: 2021-01-25 02:48,1.36977,1.36984,1.3696,1.36964,47
    const bar = await prisma.bar.findUniqueOrThrow({
      where: { venue_symbol_timeframe_openTime: { venue: 'test-venue', symbol: 'GBPUSD', timeframe: 'M1', openTime: new Date('2021-01-25T02:48:00Z') } },
    });

    expect([bar.open.toString(), bar.high.toString(), bar.low.toString(), bar.close.toString()]).toEqual(['1.36977', '1.36984', '1.3696', '1.36964']);
    expect(bar.tickVolume).toBe(47n);
  });

  it('round-trips text with tabs, newlines, backslashes and quotes, arrays, JSON and nulls', async () => {
    const awkward = 'tab\there\nnew line \\ back\\slash "quoted" \r end';
    const inserted = await writer.copyInsert(
      'instruments',
      ['venue', 'symbol', 'description', 'digits', 'point', 'tick_size', 'tick_value', 'contract_size', 'volume_min', 'volume_max',
        'volume_step', 'base_currency', 'profit_currency', 'margin_currency', 'trade_mode', 'filling_modes', 'sessions', 'swap_long'],
      [['test-venue', 'EURUSD.m', awkward, 5, '0.00001', '0.00001', '1', '100000', '0.01', '100', '0.01', 'EUR', 'USD', 'EUR', 'FULL',
        ['FOK', 'I"O\\C'], { trade: [[1, '00:00', '24:00']] }, null]],
    );

    expect(inserted).toBe(1);
    const instrument = await prisma.instrument.findUniqueOrThrow({ where: { venue_symbol: { venue: 'test-venue', symbol: 'EURUSD.m' } } });
    expect(instrument.description).toBe(awkward);
    expect(instrument.fillingModes).toEqual(['FOK', 'I"O\\C']);
    expect(instrument.sessions).toEqual({ trade: [[1, '00:00', '24:00']] });
    expect(instrument.swapLong).toBeNull();
  });

  it('writes nothing when the batch fails part-way', async () => {
    const rows = [...(await readBars(3100)).slice(3000), ['test-venue', 'GBPUSD', 'M1', 'not a time', '1', '1', '1', '1', '1']];

    await expect(writer.copyInsert('bars', BAR_COLUMNS, rows)).rejects.toThrow(/invalid input syntax for type timestamp/);
    const { rows: counted } = await pool.query(`SELECT count(*)::int AS n FROM bars WHERE symbol = 'GBPUSD'`);
    expect(counted[0].n).toBe(3500);
  });
});

describe('BulkWriter.upsertMany', () => {
  const columns = ['account', 'equity_peak', 'equity_peak_at'] as const;

  it('inserts new keys, updates existing ones and counts each', async () => {
    const first = await writer.upsertMany('risk_states', columns, [
      ['acc-1', '10000.00', new Date('2024-01-01T00:00:00Z')],
      ['acc-2', '5000.00', new Date('2024-01-01T00:00:00Z')],
    ], ['account']);
    const second = await writer.upsertMany('risk_states', columns, [
      ['acc-1', '10250.50', new Date('2024-01-02T00:00:00Z')],
      ['acc-3', '700.00', new Date('2024-01-02T00:00:00Z')],
    ], ['account']);

    expect(first).toEqual({ inserted: 2, updated: 0 });
    expect(second).toEqual({ inserted: 1, updated: 1 });
    const acc1 = await prisma.riskState.findUniqueOrThrow({ where: { account: 'acc-1' } });
    expect(acc1.equityPeak.toString()).toBe('10250.5');
    expect(acc1.equityPeakAt.toISOString()).toBe('2024-01-02T00:00:00.000Z');
  });

  it('keeps the last row when a key repeats within one call', async () => {
    const result = await writer.upsertMany('risk_states', columns, [
      ['acc-4', '1.00', new Date('2024-01-01T00:00:00Z')],
      ['acc-4', '2.00', new Date('2024-01-01T00:00:00Z')],
    ], ['account']);

    expect(result).toEqual({ inserted: 1, updated: 0 });
    expect((await prisma.riskState.findUniqueOrThrow({ where: { account: 'acc-4' } })).equityPeak.toString()).toBe('2');
  });

  it('skips an update the updateWhere condition rejects (an older value never overwrites a newer one)', async () => {
    const result = await writer.upsertMany('risk_states', columns, [['acc-1', '1.00', new Date('2023-01-01T00:00:00Z')]], ['account'],
      undefined, { updateWhere: 'risk_states.equity_peak_at < EXCLUDED.equity_peak_at' });

    expect(result).toEqual({ inserted: 0, updated: 0 });
    expect((await prisma.riskState.findUniqueOrThrow({ where: { account: 'acc-1' } })).equityPeak.toString()).toBe('10250.5');
  });

  it('spreads a large batch over several statements in one transaction', async () => {
    const rows = (await readBars(3500)).map((bar) => ['test-venue', 'GBPUSD', 'M5', ...bar.slice(3)]);

    const result = await writer.upsertMany('bars', BAR_COLUMNS, rows, ['venue', 'symbol', 'timeframe', 'open_time'], [], { chunkSize: 400 });

    expect(result).toEqual({ inserted: 3500, updated: 0 });
  });
});

describe('isTransientDbError on real failures', () => {
  it('is true for a refused connection, through the Prisma client', async () => {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { PrismaClient } = await import('./generated/client.js');
    const unreachable = new PrismaClient({ adapter: new PrismaPg({ host: '127.0.0.1', port: 1, user: 'x', database: 'x', connectionTimeoutMillis: 1000 }) });

    const error = await unreachable.$queryRaw`SELECT 1`.catch((caught: unknown) => caught);

    expect(isTransientDbError(error)).toBe(true);
    await unreachable.$disconnect();
  });

  it('is false for a unique-constraint violation from the Prisma client', async () => {
    const data = { strategyId: 's', venue: 'v', symbol: 'X', timeframe: 'M1', barTime: new Date(0), side: 'BUY', strength: 1, reason: 'r', price: '1', strategyKind: 'k' };
    await prisma.signal.create({ data: { ...data, signalId: 'sig-1' } });

    const error = await prisma.signal.create({ data: { ...data, signalId: 'sig-1' } }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect(isTransientDbError(error)).toBe(false);
  });

  it('is true for a deadlock detected by Postgres', async () => {
    await writer.upsertMany('trading_states', ['account', 'state'], [['dl-a', 'ACTIVE'], ['dl-b', 'ACTIVE']], ['account']);
    const [one, two] = [await pool.connect(), await pool.connect()];
    try {
      await one.query('BEGIN');
      await two.query('BEGIN');
      await one.query(`UPDATE trading_states SET reason = 'one' WHERE account = 'dl-a'`);
      await two.query(`UPDATE trading_states SET reason = 'two' WHERE account = 'dl-b'`);
      const outcomes = await Promise.allSettled([
        one.query(`UPDATE trading_states SET reason = 'one' WHERE account = 'dl-b'`),
        two.query(`UPDATE trading_states SET reason = 'two' WHERE account = 'dl-a'`),
      ]);
      const failure = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;

      expect((failure.reason as { code?: string }).code).toBe('40P01');
      expect(isTransientDbError(failure.reason)).toBe(true);
    } finally {
      await one.query('ROLLBACK').catch(() => undefined);
      await two.query('ROLLBACK').catch(() => undefined);
      one.release();
      two.release();
    }
  });
});
