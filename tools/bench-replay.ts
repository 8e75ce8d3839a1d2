// Benchmark: market-data replay (Postgres → merge across symbols → md.bar.closed envelopes →
// JetStream with acks in flight) beside a raw JetStream publish of the same payloads (pre-encoded
// bytes, same subjects, same in-flight window), in the same run. Target: replay ≥ 0.8 × raw.
//
//   node tools/build.mjs && node dist/tools/bench-replay.js [--rounds 8] [--symbols GBPUSD,USDJPY]
//       [--from 2021-01-25] [--to 2021-01-30] [--data ../shared/data/market]
//
// Uses a fresh scratch Postgres schema (the shared M1 files imported into it) and fresh namespaced
// streams, all removed at the end. Both sides use one connection with the CLI's settings. The
// machine is shared, so load drifts during a run: many short rounds, alternating which side goes
// first, and the median of each round's own ratio next to the median rates. Every round uses new
// message ids (a tag), so JetStream's duplicate window drops nothing.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Streams } from '@mt5/contracts';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { ensureStream, streamName, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { applyMigrations, createPgPool } from '@mt5/infra/prisma';
import pg from 'pg';
import { pino } from 'pino';
import { mergeSeries } from '../apps/market-data/src/application/replay-bars/series-merge.js';
import { cliNatsOptions } from '../apps/market-data/src/cli/cli-context.js';
import { JetStreamAsyncPublisher } from '../apps/market-data/src/adapters/jetstream-async-publisher.js';
import { envelopeHeaders } from '@mt5/infra/nats';
import { loadServiceConfig } from '../apps/market-data/src/config.js';
import { composeMarketData } from '../apps/market-data/src/market-data.composition.js';
import { systemClock } from '../apps/market-data/src/market-data.ports.js';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '8' }, symbols: { type: 'string', default: 'GBPUSD,USDJPY' },
    from: { type: 'string', default: '2021-01-25' }, to: { type: 'string', default: '2021-01-30' }, data: { type: 'string', default: '../shared/data/market' },
  },
});
const rounds = Math.max(1, Number(flags.rounds));
const symbols = flags.symbols!.split(',');
const from = Date.parse(`${flags.from}T00:00:00Z`);
const to = Date.parse(`${flags.to}T00:00:00Z`);
const FILES: Record<string, string> = { EURUSD: 'EURUSD_M1.mt5-export.csv', GBPUSD: 'GBPUSD_M1.csv', USDJPY: 'USDJPY_M1.csv', XAUUSD: 'XAUUSD_M1.rates.csv' };
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://mt5:mt5@127.0.0.1:5432/mt5';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const tag = `benchreplay${process.pid}${Date.now().toString(36)}`;
const schema = tag;
const provision: ProvisionOptions = { namespace: { stream: `${tag.toUpperCase()}_`, subject: `${tag}.` } };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  await applyMigrations({ connectionString: databaseUrl, schema });
  const pool = createPgPool({ url: databaseUrl, schema, poolMax: 4, applicationName: 'bench-replay' });
  // The CLI's connection settings, one connection for both sides.
  const nc = await connect(cliNatsOptions({ NATS_URL: natsUrl }, 'bench-replay'));
  const nats = { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
  const stream = streamName(Streams.MD_BARS, provision);
  try {
    await ensureStream(nats.jsm, Streams.MD_BARS, provision);
    const config = loadServiceConfig({ ...process.env, DATABASE_URL: databaseUrl, NATS_URL: natsUrl, LOG_LEVEL: 'silent' });
    const md = composeMarketData({ config, logger: pino({ level: 'silent' }), pool, nc: nats.nc, js: nats.js, jsm: nats.jsm, redis: undefined, provision, clock: systemClock });
    for (const symbol of symbols) {
      await md.importBars.execute({ file: path.join(flags.data!, FILES[symbol]!), venue: 'MT5', symbol, timeframe: 'M1', format: 'auto', timeZone: 'UTC', publish: false });
    }
    const keys = symbols.map((symbol) => ({ venue: 'MT5', symbol, timeframe: 'M1' as const }));

    // The raw side's input: the very envelopes the replay sends, encoded, built before timing.
    const payloads = async (round: string) => {
      const tsInitJson = JSON.stringify(new Date().toISOString());
      const out: Array<{ subject: string; bytes: Uint8Array; id: string }> = [];
      for await (const batch of mergeSeries(md.bars, keys, from, to)) {
        for (const bar of batch) {
          const message = md.mapper.encode(bar, tsInitJson, round);
          out.push({ ...message, subject: subjectIn(message.subject, provision) });
        }
      }
      return out;
    };
    // Raw baselines: the same encoded envelopes sent with no database, merge or mapping in between.
    // `raw`: nats.js js.publish, Nats-Msg-Id only. `rawAsync`: the replay's own transport (async
    // publisher, same headers), which isolates what the replay adds on top of sending.
    const asyncPublisher = new JetStreamAsyncPublisher(nats.nc);
    const send = async (round: string, publish: (message: { subject: string; bytes: Uint8Array; id: string }) => Promise<unknown>) => {
      const messages = await payloads(round);
      const inFlight = config.MD_PUBLISH_IN_FLIGHT;
      let outstanding = 0;
      let wake: (() => void) | undefined;
      const done = () => {
        outstanding--;
        const waiter = wake;
        wake = undefined;
        waiter?.();
      };
      const started = performance.now();
      for (const message of messages) {
        outstanding++;
        publish(message).then(done, (error: unknown) => {
          throw error;
        });
        while (outstanding >= inFlight) await new Promise<void>((resolve) => (wake = resolve));
      }
      while (outstanding > 0) await new Promise<void>((resolve) => (wake = resolve));
      return { count: messages.length, ms: performance.now() - started };
    };
    const raw = (round: string) => send(round, (m) => nats.js.publish(m.subject, m.bytes, { msgID: m.id }));
    const rawAsync = (round: string) => send(round, (m) => asyncPublisher.publish(m.subject, m.bytes, envelopeHeaders({ id: m.id, type: 'md.bar.closed', correlationId: m.id })));
    const replay = async (round: string) => {
      const result = await md.replayBars.execute({ venue: 'MT5', symbols, timeframe: 'M1', from, to, speed: { kind: 'max' }, tag: round });
      if (result.published !== result.total) throw new Error(`replay stored ${result.published} of ${result.total}`);
      return { count: result.published, ms: result.durationMs };
    };

    const sides = { replay, raw, rawAsync } as const;
    type Side = keyof typeof sides;
    for (const [name, side] of Object.entries(sides)) await side(`warm-${name}`);
    const rates: Record<Side, number[]> = { replay: [], raw: [], rawAsync: [] };
    const ratios: number[] = [];
    const asyncRatios: number[] = [];
    let count = 0;
    for (let round = 0; round < rounds; round++) {
      await nats.jsm.streams.purge(stream);
      // Rotate the order so no side always runs first (or last) in a round.
      const order = (['replay', 'raw', 'rawAsync'] as const).map((_, index, all) => all[(index + round) % all.length]!);
      const rate: Record<Side, number> = { replay: 0, raw: 0, rawAsync: 0 };
      for (const name of order) {
        const { count: n, ms } = await sides[name](`r${round}${name}`);
        count = n;
        rate[name] = (n / ms) * 1000;
        rates[name].push(rate[name]);
      }
      ratios.push(rate.replay / rate.raw);
      asyncRatios.push(rate.replay / rate.rawAsync);
    }
    asyncPublisher.close();
    const replayRate = median(rates.replay);
    const rawRate = median(rates.raw);
    const rawRates = rates.raw;
    const replayRates = rates.replay;
    const ratio = median(ratios);
    console.log(`bench-replay: ${fmt(count)} M1 bars of ${symbols.join(', ')} (${flags.from} → ${flags.to}), ${rounds} rounds, in flight ${config.MD_PUBLISH_IN_FLIGHT}, medians`);
    console.log(`  replay (Postgres → merge → envelope → JetStream): ${fmt(replayRate).padStart(7)} msg/s  (rounds ${replayRates.map(fmt).join(', ')})`);
    console.log(`  raw JetStream publish (js.publish) of the same payloads: ${fmt(rawRate).padStart(7)} msg/s  (rounds ${rawRates.map(fmt).join(', ')})`);
    console.log(`  raw async publish (the replay's transport), same payloads: ${fmt(median(rates.rawAsync)).padStart(7)} msg/s  (rounds ${rates.rawAsync.map(fmt).join(', ')})`);
    console.log(`  ratio replay / raw js.publish (median of per-round ratios): ${ratio.toFixed(2)}  (target ≥ 0.80) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}; ratio of medians ${(replayRate / rawRate).toFixed(2)}`);
    console.log(`  ratio replay / raw async publish (what the replay itself costs): ${median(asyncRatios).toFixed(2)}`);
    console.log(`  per-round ratios vs js.publish: ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
  } finally {
    await nats.jsm.streams.delete(stream).catch(() => undefined);
    await nats.nc.drain();
    await pool.end();
    const admin = new pg.Client({ connectionString: databaseUrl.replace(/\?.*$/, '') });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

await main();
