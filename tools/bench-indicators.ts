// Benchmark: SMA(20) + EMA(50) + RSI(14) fed with every close of the shared M1 data (EURUSD,
// GBPUSD, USDJPY, ~150k closes), ours beside `trading-signals` and `technicalindicators` in the
// same process, plus a check that the values agree to 1e-9.
//
//   node tools/build.mjs && node dist/tools/bench-indicators.js [--passes 15]
//
// One "update" is one close pushed into all three indicators. Each implementation gets warm-up
// passes for the JIT, then timed passes in rotation (ours, trading-signals, technicalindicators,
// ours, ...) so that machine noise hits all three alike; the median pass is reported.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import { EMA, RSI, SMA } from '@mt5/domain/indicators';
import { importBarText } from '@mt5/domain/market';

const { values: flags } = parseArgs({
  options: { passes: { type: 'string', default: '15' }, data: { type: 'string', default: '../shared/data/market' } },
});
const passes = Number(flags.passes);
const files: readonly [string, string][] = [
  ['EURUSD_M1.mt5-export.csv', 'EURUSD'],
  ['GBPUSD_M1.csv', 'GBPUSD'],
  ['USDJPY_M1.csv', 'USDJPY'],
];
const series = files.map(([file, symbol]) => {
  const { bars } = importBarText(readFileSync(path.join(flags.data!, file), 'utf8'), { venue: 'shared-data', symbol });
  return Float64Array.from(bars, (bar) => bar.close);
});
const totalCloses = series.reduce((sum, closes) => sum + closes.length, 0);

/** Last values per series, for the agreement check; `sink` keeps the JIT from dropping work. */
interface PassOutput {
  sma: (number | null)[][];
  ema: (number | null)[][];
  rsi: (number | null)[][];
}
let sink = 0;

function runOurs(record: boolean): PassOutput {
  const out: PassOutput = { sma: [], ema: [], rsi: [] };
  for (const closes of series) {
    const sma = new SMA(20);
    const ema = new EMA(50);
    const rsi = new RSI(14);
    const s: (number | null)[] = [];
    const e: (number | null)[] = [];
    const r: (number | null)[] = [];
    for (let i = 0; i < closes.length; i++) {
      const close = closes[i];
      const a = sma.add(close);
      const b = ema.add(close);
      const c = rsi.add(close);
      if (record) {
        s.push(a);
        e.push(b);
        r.push(c);
      } else if (c !== null) sink += c;
    }
    out.sma.push(s);
    out.ema.push(e);
    out.rsi.push(r);
  }
  return out;
}

function runTradingSignals(record: boolean): PassOutput {
  const out: PassOutput = { sma: [], ema: [], rsi: [] };
  for (const closes of series) {
    const sma = new ts.SMA(20);
    const ema = new ts.EMA(50);
    const rsi = new ts.RSI(14);
    const s: (number | null)[] = [];
    const e: (number | null)[] = [];
    const r: (number | null)[] = [];
    for (let i = 0; i < closes.length; i++) {
      const close = closes[i];
      const a = sma.add(close);
      const b = ema.add(close);
      const c = rsi.add(close);
      if (record) {
        s.push(sma.isStable ? a : null);
        e.push(ema.isStable ? b : null);
        r.push(rsi.isStable ? c : null);
      } else if (c !== null) sink += c;
    }
    out.sma.push(s);
    out.ema.push(e);
    out.rsi.push(r);
  }
  return out;
}

function runTechnicalIndicators(record: boolean): PassOutput {
  const out: PassOutput = { sma: [], ema: [], rsi: [] };
  for (const closes of series) {
    const sma = new ti.SMA({ period: 20, values: [] });
    const ema = new ti.EMA({ period: 50, values: [] });
    const rsi = new ti.RSI({ period: 14, values: [] });
    const s: (number | null)[] = [];
    const e: (number | null)[] = [];
    const r: (number | null)[] = [];
    for (let i = 0; i < closes.length; i++) {
      const close = closes[i];
      const a = sma.nextValue(close);
      const b = ema.nextValue(close);
      const c = rsi.nextValue(close);
      if (record) {
        s.push(a ?? null);
        e.push(b ?? null);
        r.push(c ?? null);
      } else if (c !== undefined) sink += c;
    }
    out.sma.push(s);
    out.ema.push(e);
    out.rsi.push(r);
  }
  return out;
}

/** Worst relative difference over the points where both have a value (after `skip` points). */
function compare(ours: (number | null)[][], theirs: (number | null)[][], skip = 0, absolute = 0) {
  let worst = 0;
  let compared = 0;
  let onlyOne = 0;
  ours.forEach((values, s) =>
    values.forEach((value, i) => {
      const other = theirs[s][i];
      if (i < skip) return;
      if ((value === null) !== (other === null)) return void onlyOne++;
      if (value === null || other === null) return;
      compared++;
      const difference = Math.abs(value - other);
      worst = Math.max(worst, absolute > 0 ? difference : difference / Math.max(Math.abs(other), 1e-300));
    }),
  );
  return { worst, compared, onlyOne };
}

const implementations = [
  { name: 'ours (@mt5/domain/indicators)', run: runOurs },
  { name: 'trading-signals 8.3.0', run: runTradingSignals },
  { name: 'technicalindicators 3.1.0', run: runTechnicalIndicators },
] as const;

const timings = implementations.map(() => [] as number[]);
for (let pass = 0; pass < 3; pass++) for (const implementation of implementations) implementation.run(false);
for (let pass = 0; pass < passes; pass++) {
  implementations.forEach((implementation, index) => {
    const started = performance.now();
    implementation.run(false);
    timings[index].push(performance.now() - started);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`SMA(20) + EMA(50) + RSI(14) over ${totalCloses} closes (${files.map(([, s]) => s).join(', ')} M1), ${passes} timed passes, median pass`);
console.log(`node ${process.version}, one process, one core`);
const rates = timings.map((t) => totalCloses / (median(t) / 1000));
implementations.forEach((implementation, index) => {
  const rate = rates[index];
  console.log(
    `  ${implementation.name.padEnd(32)} ${(rate / 1e6).toFixed(2).padStart(7)} M closes/s  (${((rate * 3) / 1e6).toFixed(2)} M indicator updates/s, ${median(timings[index]).toFixed(1)} ms/pass)`,
  );
});
const fasterReference = Math.max(rates[1], rates[2]);
console.log(`  speed-up over the faster reference: ${(rates[0] / fasterReference).toFixed(2)}x (target >= 2x)`);

const ours = runOurs(true);
const tsOut = runTradingSignals(true);
const tiOut = runTechnicalIndicators(true);
const checks = [
  ['SMA(20) vs trading-signals', compare(ours.sma, tsOut.sma)],
  ['SMA(20) vs technicalindicators', compare(ours.sma, tiOut.sma)],
  ['EMA(50) vs technicalindicators (same SMA seed)', compare(ours.ema, tiOut.ema)],
  // trading-signals seeds its EMA with the first price; the seed's weight is (49/51)^n, below 1e-15 after ~900 closes.
  ['EMA(50) vs trading-signals after 1000 closes', compare(ours.ema, tsOut.ema, 1000)],
  ['RSI(14) vs trading-signals', compare(ours.rsi, tsOut.rsi)],
  // technicalindicators rounds RSI to 2 decimals, so only a 0.005 absolute check is possible.
  ['RSI(14) vs technicalindicators (abs, it rounds to 0.01)', compare(ours.rsi, tiOut.rsi, 0, 1)],
] as const;
let allAgree = true;
for (const [label, { worst, compared, onlyOne }] of checks) {
  const absolute = label.includes('abs');
  const ok = onlyOne === 0 && compared > 0 && (absolute ? worst <= 0.005 + 1e-9 : worst <= 1e-9);
  allAgree &&= ok;
  console.log(`  ${ok ? 'agree' : 'DIFFER'}: ${label}: ${compared} values, worst ${absolute ? 'absolute' : 'relative'} difference ${worst.toExponential(2)}${onlyOne ? `, ${onlyOne} warm in one only` : ''}`);
}
console.log(allAgree ? 'values: identical to 1e-9 where the conventions match' : 'values: MISMATCH');
if (sink === 42) console.log('');
process.exitCode = allAgree ? 0 : 1;
