// Benchmark: backtest throughput in bars per second, one thread, over the ~150k real M1 bars of
// the shared data (EURUSD, GBPUSD, USDJPY), with ma-crossover (fast SMA, slow SMA and the ATR for
// its stops: three indicators), next-open fills, stop/target checks, sizing and trade accounting.
//
//   node tools/build.mjs && node dist/tools/bench-backtest.js [--passes 15] [--params '{"fast":10,"slow":30}']
//   (add --single-threaded-gc after `node` to keep the garbage collector on the same core too)
//
// Bars are imported once, outside the timing, and kept as plain `Bar`s (without the importer's
// decimal texts: half the heap for the GC to mark). Each pass runs the three symbols back to
// back. The median and best passes are reported, wall clock and CPU time, and every pass must
// give the same result.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBacktest, type BacktestResult } from '@mt5/domain/backtest';
import { catalogueV1Url, findInstrument, loadCatalogue } from '@mt5/domain/instruments';
import { importBarText, type Bar } from '@mt5/domain/market';

const { values: flags } = parseArgs({
  options: {
    passes: { type: 'string', default: '15' },
    data: { type: 'string', default: '../shared/data/market' },
    strategy: { type: 'string', default: 'ma-crossover' },
    params: { type: 'string', default: '{"fast":10,"slow":30}' },
  },
});
const passes = Number(flags.passes);
const params: unknown = JSON.parse(flags.params!);
const catalogue = loadCatalogue(JSON.parse(readFileSync(catalogueV1Url, 'utf8')));
if (!catalogue.ok) throw new Error(catalogue.problems.join('\n'));

const runs = (
  [
    ['EURUSD_M1.mt5-export.csv', 'EURUSD'],
    ['GBPUSD_M1.csv', 'GBPUSD'],
    ['USDJPY_M1.csv', 'USDJPY'],
  ] as const
).map(([file, symbol]) => {
  const instrument = findInstrument(catalogue.catalogue, 'mt5-demo', symbol);
  if (!instrument) throw new Error(`${symbol} missing from the catalogue`);
  const imported = importBarText(readFileSync(path.join(flags.data!, file), 'utf8'), { venue: 'mt5-demo', symbol }).bars;
  const bars: Bar[] = imported.map(({ venue, timeframe, openTime, open, high, low, close, tickVolume }) => ({
    venue, symbol, timeframe, openTime, open, high, low, close, tickVolume,
  }));
  return { symbol, bars, instrument };
});
const totalBars = runs.reduce((sum, run) => sum + run.bars.length, 0);

function pass(): BacktestResult[] {
  return runs.map(({ symbol, bars, instrument }) =>
    runBacktest(bars, {
      strategyId: `bench-${symbol}`,
      strategyKind: flags.strategy!,
      params,
      instrument,
      initialBalance: 10_000,
      riskPercent: 1,
      commissionPerLotPerSide: 7,
    }),
  );
}

/** Exact fingerprint of every trade's numbers (outside the timing), cheaper than a deep compare. */
function fingerprint(results: BacktestResult[]): string {
  let text = '';
  for (const result of results) {
    let sum = 0;
    for (const t of result.trades) sum += t.id * (t.entryTime / 6e4 + t.exitTime / 6e4 + t.entryPrice + t.exitPrice + t.volume + t.net);
    text += `${result.trades.length}:${result.signals.length}:${result.metrics.finalBalance}:${sum};`;
  }
  return text;
}

const reference = pass();
const expected = fingerprint(reference);
for (let i = 0; i < 2; i++) pass();
const times: number[] = [];
const cpuTimes: number[] = [];
let identical = true;
for (let i = 0; i < passes; i++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results = pass();
  times.push(performance.now() - started);
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
  identical &&= fingerprint(results) === expected;
}
// One full deep comparison, outside the loop.
identical &&= JSON.stringify(pass()) === JSON.stringify(reference);

const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const best = sorted[0];
const cpuMedian = [...cpuTimes].sort((a, b) => a - b)[Math.floor(cpuTimes.length / 2)];
const rate = (ms: number) => totalBars / (ms / 1000) / 1e6;
console.log(`backtest ${flags.strategy} ${flags.params} over ${totalBars} real M1 bars (${runs.map((r) => `${r.symbol} ${r.bars.length}`).join(', ')}), ${passes} timed passes`);
console.log(`node ${process.version}, one thread`);
for (const [index, result] of reference.entries()) {
  const m = result.metrics;
  console.log(`  ${runs[index].symbol}: ${m.signals} signals, ${m.trades} trades, ${m.skippedSignals} skipped, net ${m.netProfit.toFixed(2)}`);
}
console.log(`  median pass ${median.toFixed(1)} ms = ${rate(median).toFixed(2)} M bars/s; best ${best.toFixed(1)} ms = ${rate(best).toFixed(2)} M bars/s (target >= 3 M bars/s)`);
// On a shared machine wall time includes waiting for a core; CPU time (all of this process's
// threads, the GC helpers included) is what one core actually spent.
console.log(`  median CPU time per pass ${cpuMedian.toFixed(1)} ms = ${rate(cpuMedian).toFixed(2)} M bars/s of CPU time`);
console.log(`  every pass identical to the first: ${identical ? 'yes' : 'NO'}`);
process.exitCode = identical ? 0 : 1;
