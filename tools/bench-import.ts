// Benchmark: the market-data import (CSV → validated bars → Postgres) of the three shared M1 files
// (EURUSD, GBPUSD, USDJPY, ~150k bars), as rows per second, beside a raw COPY of the same rows
// into a scratch table with the same primary key, in the same run. Target: import ≥ 0.6 × raw COPY.
//
//   node tools/build.mjs && node dist/tools/bench-import.js [--rounds 5] [--data ../shared/data/market]
//
// Each round starts from empty tables and runs both, alternating which goes first, so machine noise
// hits both alike; medians are reported. Everything happens in a fresh scratch schema, dropped at
// the end. DATABASE_URL (default: the local stack) names the server.
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { importBarText } from '@mt5/domain/market';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import { createLogger } from '@mt5/infra/logging';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { readFileSync } from 'node:fs';
import { BarCopyWriter } from '../apps/market-data/src/adapters/bar-copy-text.js';
import { loadServiceConfig } from '../apps/market-data/src/config.js';
import { composeMarketData } from '../apps/market-data/src/market-data.composition.js';
import { systemClock, type MarketDataPorts } from '../apps/market-data/src/market-data.ports.js';

const { values: flags } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, data: { type: 'string', default: '../shared/data/market' } } });
const rounds = Math.max(1, Number(flags.rounds));
const files = [['EURUSD_M1.mt5-export.csv', 'EURUSD'], ['GBPUSD_M1.csv', 'GBPUSD'], ['USDJPY_M1.csv', 'USDJPY']] as const;
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://mt5:mt5@127.0.0.1:5432/mt5';
const schema = `bench_import_${process.pid}_${Date.now().toString(36)}`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rate = (rows: number, ms: number) => Math.round((rows / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<void> {
  await applyMigrations({ connectionString: databaseUrl, schema });
  const pool = createPgPool({ url: databaseUrl, schema, poolMax: 4, applicationName: 'bench-import' });
  try {
    await pool.query('CREATE TABLE raw_bars (LIKE bars INCLUDING ALL)');
    // The raw COPY's input: the same accepted rows, as COPY text, built before timing starts.
    const rawText: Buffer[][] = [];
    let rows = 0;
    for (const [file, symbol] of files) {
      const { bars, summary } = importBarText(readFileSync(path.join(flags.data!, file), 'utf8'), { venue: 'MT5', symbol });
      if (summary.rejected + summary.duplicates > 0) throw new Error(`${file}: unexpected rejects`);
      const writer = new BarCopyWriter('MT5', symbol, 'M1');
      for (const bar of bars) writer.imported(bar);
      rawText.push(writer.takeAll());
      rows += bars.length;
    }
    const config = loadServiceConfig({ ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
    const notUsed = new Proxy({}, { get: () => { throw new Error('NATS is not used by this benchmark'); } });
    const ports = { config, logger: createLogger('bench-import', 'warn'), pool, redis: undefined, provision: {}, clock: systemClock, nc: notUsed, js: notUsed, jsm: notUsed } as unknown as MarketDataPorts;
    const md = composeMarketData(ports);

    const importOnce = async () => {
      await pool.query('TRUNCATE bars, import_runs');
      const started = performance.now();
      let inserted = 0;
      for (const [file, symbol] of files) {
        const result = await md.importBars.execute({ file: path.join(flags.data!, file), venue: 'MT5', symbol, timeframe: 'M1', format: 'auto', timeZone: 'UTC', publish: false });
        inserted += result.inserted;
      }
      const ms = performance.now() - started;
      if (inserted !== rows) throw new Error(`import inserted ${inserted}, expected ${rows}`);
      return ms;
    };
    const rawOnce = async () => {
      await pool.query('TRUNCATE raw_bars');
      const client = await pool.connect();
      try {
        const started = performance.now();
        for (const chunks of rawText) await pipeline(Readable.from(chunks), client.query(copyFrom('COPY raw_bars FROM STDIN')));
        return performance.now() - started;
      } finally {
        client.release();
      }
    };

    await importOnce();
    await rawOnce(); // warm-up: JIT, buffers, catalog caches
    const importMs: number[] = [];
    const rawMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        importMs.push(await importOnce());
        rawMs.push(await rawOnce());
      } else {
        rawMs.push(await rawOnce());
        importMs.push(await importOnce());
      }
    }
    const reimportStarted = performance.now();
    let reinserted = 0;
    for (const [file, symbol] of files) {
      reinserted += (await md.importBars.execute({ file: path.join(flags.data!, file), venue: 'MT5', symbol, timeframe: 'M1', format: 'auto', timeZone: 'UTC', publish: false })).inserted;
    }
    const reimportMs = performance.now() - reimportStarted;

    const importRate = rate(rows, median(importMs));
    const rawRate = rate(rows, median(rawMs));
    const ratio = importRate / rawRate;
    console.log(`bench-import: ${fmt(rows)} M1 bars from ${files.length} files, ${rounds} rounds, medians`);
    console.log(`  import (read + validate + COPY):  ${fmt(importRate).padStart(9)} rows/s  (${median(importMs).toFixed(0)} ms; rounds ${importMs.map((ms) => ms.toFixed(0)).join(', ')})`);
    console.log(`  raw COPY of the same rows:        ${fmt(rawRate).padStart(9)} rows/s  (${median(rawMs).toFixed(0)} ms; rounds ${rawMs.map((ms) => ms.toFixed(0)).join(', ')})`);
    console.log(`  ratio import / raw COPY:          ${ratio.toFixed(2)}  (target ≥ 0.60) ${ratio >= 0.6 ? 'OK' : 'BELOW TARGET'}`);
    console.log(`  re-import of the same files:      ${fmt(rate(rows, reimportMs)).padStart(9)} rows/s, inserted ${reinserted} (merge path)`);
  } finally {
    await pool.end();
    const admin = new pg.Client({ connectionString: databaseUrl.replace(/\?.*$/, '') });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

await main();
