// Backtest CLI: runs one strategy from the registry over bars from a CSV file with the domain
// backtester, prints the first trades and the metrics, and writes <out>.json (the full result)
// and <out>.html (report with an SVG equity curve, no network, no chart library).
//
//   node tools/build.mjs
//   node dist/tools/backtest.js --csv ../shared/data/market/EURUSD_M1.mt5-export.csv --symbol EURUSD \
//     --strategy ma-crossover --params '{"fast":10,"slow":30}' --timeframe M1 [--spread-points 10] \
//     [--commission-per-lot 7] [--risk-percent 1] [--balance 10000] [--out reports/backtest-eurusd]
//
// With --fill-model mt5-simulator it models the pipeline through mt5-simulator instead (fills at the
// signal bar's close quote, the simulator's quote path for SL/TP, one position at a time; see
// docs/signals.md, "Parity with the pipeline"); the simulator's spread, stops level and commission
// for the symbol and risk-guard's lot cap and positions per symbol are then the defaults:
//
//   node dist/tools/backtest.js --csv ../shared/data/market/GBPUSD_M1.csv --symbol GBPUSD \
//     --fill-model mt5-simulator --risk-percent 0.5 --from 2021-01-26T00:00Z --to 2021-01-26T12:00Z
//
// Bars come from a CSV file read by the market-data importer (any format it detects). Reading
// stored bars from Postgres is not implemented yet.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isTimeframe } from '@mt5/domain/market';
import { importBarText } from '@mt5/domain/market';
import { catalogueV1Url, findInstrument, loadCatalogue, type InstrumentSpec } from '@mt5/domain/instruments';
import {
  formatTime,
  renderBacktestReport,
  runBacktest,
  validateBacktestConfig,
  type BacktestConfig,
  type BacktestResult,
  FillModels,
  type FillModel,
} from '@mt5/domain/backtest';
import { StrategyKinds } from '@mt5/domain/strategies';

const HELP = `usage: node dist/tools/backtest.js --csv <file> --symbol <symbol> [options]
  --csv <file>                 bars file (MT5 export, MT4, HistData, plain CSV, MT5 rates, Binance klines)
  --symbol <symbol>            instrument; its spec comes from the catalogue (or --instrument)
  --strategy <kind>            ${StrategyKinds.join(' | ')} (default ma-crossover)
  --params <json>              strategy parameters, e.g. '{"fast":10,"slow":30}' (defaults fill the rest)
  --timeframe <tf>             timeframe of the file's bars (default M1)
  --venue <venue>              catalogue venue (default: the first one listing the symbol)
  --instrument <json file>     an InstrumentSpec to use instead of the catalogue
  --time-zone <zone>           clock of the file's times (default UTC; see the market importer)
  --spread-points <n>          spread for every bar (default: the bar's own, else the instrument's)
  --commission-per-lot <n>     commission per lot per side in account currency (default 0)
  --risk-percent <n>           percent of balance risked per trade (default 1)
  --balance <n>                initial balance (default 10000)
  --account-currency <ccy>     default USD
  --strategy-id <id>           id used in signal ids (default <strategy>)
  --fill-model <model>         next-open (default) | mt5-simulator (the pipeline through the simulator)
  --default-spread-points <n>  spread of bars that carry none (default: the instrument's; mt5-simulator: the simulator's)
  --stops-level <n>            minimum stop distance in points (default: the instrument's; mt5-simulator: the simulator's)
  --max-lots <n>               lot cap per order (default: the instrument's maximum; mt5-simulator: 2, risk-guard's default)
  --max-positions <n>          mt5-simulator: positions open at once on the symbol (default 3, risk-guard's default)
  --from <ISO time>            trade from this bar on; earlier bars only warm the strategy up
  --to <ISO time>              ignore bars from this time on
  --print <n>                  trades to print (default 20)
  --out <path prefix>          writes <prefix>.json and <prefix>.html (default reports/backtest-<symbol>-<strategy>-<tf>)
Bars are read from CSV only for now; reading stored bars from Postgres comes later.`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function numberFlag(name: string, value: string | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) fail(`--${name}: not a number: ${JSON.stringify(value)}`);
  return parsed;
}

function instrumentFor(symbol: string, venue: string | undefined, file: string | undefined): InstrumentSpec {
  if (file) return JSON.parse(readFileSync(file, 'utf8')) as InstrumentSpec;
  const loaded = loadCatalogue(JSON.parse(readFileSync(catalogueV1Url, 'utf8')));
  if (!loaded.ok) fail(`instrument catalogue is invalid:\n  ${loaded.problems.join('\n  ')}`);
  const spec = venue ? findInstrument(loaded.catalogue, venue, symbol) : loaded.catalogue.instruments.find((s) => s.symbol === symbol);
  if (!spec) fail(`${symbol}${venue ? ` on ${venue}` : ''} is not in the instrument catalogue; pass --instrument <spec.json>`);
  return spec;
}

/**
 * mt5-simulator's own figures per symbol (apps/mt5-simulator/src/broker/sim-symbols.ts): the
 * broker side of the `mt5-simulator` model. Keep in step with that file.
 */
const SIMULATOR_SYMBOLS: Readonly<Record<string, { defaultSpreadPoints: number; stopsLevel: number; commissionPerLot: number }>> = {
  EURUSD: { defaultSpreadPoints: 8, stopsLevel: 10, commissionPerLot: 3.5 },
  GBPUSD: { defaultSpreadPoints: 12, stopsLevel: 10, commissionPerLot: 3.5 },
  USDJPY: { defaultSpreadPoints: 10, stopsLevel: 10, commissionPerLot: 3.5 },
  XAUUSD: { defaultSpreadPoints: 30, stopsLevel: 50, commissionPerLot: 3.5 },
  BTCUSDT: { defaultSpreadPoints: 1500, stopsLevel: 0, commissionPerLot: 0 },
};

function timeFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Date.parse(value);
  if (!Number.isFinite(parsed)) fail(`--${name}: not a time: ${JSON.stringify(value)}`);
  return parsed;
}

function printTrades(result: BacktestResult, count: number): void {
  const shown = result.trades.slice(0, count);
  console.log(`\nfirst ${shown.length} of ${result.trades.length} trades:`);
  console.log('   #  side  lots   entry time        entry     exit time         exit      reason        net    balance');
  for (const t of shown) {
    console.log(
      `${String(t.id).padStart(4)}  ${t.side.padEnd(4)} ${t.volume.toFixed(2).padStart(5)}  ${formatTime(t.entryTime)}  ${String(t.entryPrice).padEnd(8)}  ` +
        `${formatTime(t.exitTime)}  ${String(t.exitPrice).padEnd(8)}  ${t.exitReason.padEnd(7)} ${t.net.toFixed(2).padStart(9)} ${t.balance.toFixed(2).padStart(10)}`,
    );
  }
}

function printMetrics(result: BacktestResult): void {
  const m = result.metrics;
  const ratio = (value: number | null, digits = 3) => (value === null ? '-' : value.toFixed(digits));
  console.log('\nmetrics:');
  console.log(`  net profit         ${m.netProfit.toFixed(2)} (${m.returnPercent.toFixed(2)}%), final balance ${m.finalBalance.toFixed(2)}`);
  console.log(`  trades             ${m.trades} (${m.wins} won, ${m.losses} lost), win rate ${m.winRate === null ? '-' : (m.winRate * 100).toFixed(1) + '%'}`);
  console.log(`  profit factor      ${ratio(m.profitFactor)}`);
  console.log(`  expectancy         ${ratio(m.expectancy, 2)} per trade`);
  console.log(`  max drawdown       ${m.maxDrawdown.toFixed(2)} (${m.maxDrawdownPercent.toFixed(2)}%) on closed-trade balance`);
  console.log(`  Sharpe (daily)     ${ratio(m.sharpeDaily)} annualised with sqrt(252), ${m.days} days`);
  console.log(`  bars / signals     ${m.bars} / ${m.signals} (${m.skippedSignals} skipped)`);
  const skips = new Map<string, number>();
  for (const skip of result.skipped) skips.set(skip.reason, (skips.get(skip.reason) ?? 0) + 1);
  if (skips.size > 0) console.log(`  skipped by reason  ${[...skips].map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
}

function main(): void {
  const { values: flags } = parseArgs({
    options: {
      csv: { type: 'string' }, symbol: { type: 'string' }, strategy: { type: 'string', default: 'ma-crossover' }, params: { type: 'string' },
      timeframe: { type: 'string', default: 'M1' }, venue: { type: 'string' }, instrument: { type: 'string' }, 'time-zone': { type: 'string' },
      'spread-points': { type: 'string' }, 'commission-per-lot': { type: 'string' }, 'risk-percent': { type: 'string' }, balance: { type: 'string' },
      'account-currency': { type: 'string', default: 'USD' }, 'strategy-id': { type: 'string' }, print: { type: 'string' }, out: { type: 'string' },
      'fill-model': { type: 'string', default: 'next-open' }, 'default-spread-points': { type: 'string' }, 'stops-level': { type: 'string' },
      'max-lots': { type: 'string' }, 'max-positions': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (flags.help) return void console.log(HELP);
  if (!flags.csv || !flags.symbol) fail(HELP);
  const timeframe = flags.timeframe!;
  if (!isTimeframe(timeframe)) fail(`--timeframe: unknown timeframe ${timeframe}`);
  let params: unknown = {};
  try {
    params = flags.params ? JSON.parse(flags.params) : {};
  } catch (error) {
    fail(`--params: not JSON: ${(error as Error).message}`);
  }
  const fillModel = flags['fill-model']!;
  if (!FillModels.includes(fillModel as FillModel)) fail(`--fill-model: one of ${FillModels.join(', ')}, got ${fillModel}`);
  const simulator = fillModel === 'mt5-simulator' ? SIMULATOR_SYMBOLS[flags.symbol] : undefined;
  if (fillModel === 'mt5-simulator' && !simulator) fail(`--fill-model mt5-simulator: the simulator does not trade ${flags.symbol}`);
  const catalogued = instrumentFor(flags.symbol, flags.venue, flags.instrument);
  const instrument = {
    ...catalogued,
    defaultSpreadPoints: numberFlag('default-spread-points', flags['default-spread-points'], simulator?.defaultSpreadPoints ?? catalogued.defaultSpreadPoints)!,
    stopsLevel: numberFlag('stops-level', flags['stops-level'], simulator?.stopsLevel ?? catalogued.stopsLevel)!,
  };
  const strategy = flags.strategy!;
  const to = timeFlag('to', flags.to);
  const tradeFrom = timeFlag('from', flags.from);
  const config: BacktestConfig = {
    strategyId: flags['strategy-id'] ?? strategy,
    strategyKind: strategy,
    params,
    instrument,
    accountCurrency: flags['account-currency'],
    initialBalance: numberFlag('balance', flags.balance, 10_000)!,
    riskPercent: numberFlag('risk-percent', flags['risk-percent'], 1)!,
    commissionPerLotPerSide: numberFlag('commission-per-lot', flags['commission-per-lot'], simulator?.commissionPerLot ?? 0)!,
    spreadPoints: numberFlag('spread-points', flags['spread-points'], undefined),
    maxLots: numberFlag('max-lots', flags['max-lots'], simulator ? 2 : undefined),
    fillModel: fillModel as FillModel,
    ...(simulator && { maxPositionsPerSymbol: numberFlag('max-positions', flags['max-positions'], 3)! }),
    ...(tradeFrom !== undefined && { tradeFrom }),
  };
  const problems = validateBacktestConfig(config);
  if (problems.length > 0) fail(`invalid backtest configuration:\n  ${problems.join('\n  ')}`);

  const started = performance.now();
  const text = readFileSync(flags.csv, 'utf8');
  const imported = importBarText(text, { venue: instrument.venue, symbol: instrument.symbol, timeframe, timeZone: flags['time-zone'] });
  const { summary } = imported;
  console.log(`read ${summary.accepted} bars from ${flags.csv} (${summary.format ?? 'unknown format'}, ${summary.rejected} rejected, ${summary.duplicates} duplicates)`);
  if (summary.rejected > 0) for (const reject of summary.rejects.slice(0, 5)) console.log(`  line ${reject.line}: ${reject.message}`);
  const loaded = performance.now();
  const bars = to === undefined ? imported.bars : imported.bars.filter((bar) => bar.openTime < to);
  const result = runBacktest(bars, config);
  const ran = performance.now();
  console.log(
    `${strategy} ${JSON.stringify(result.params)} on ${instrument.symbol} ${timeframe}: ${result.metrics.bars} bars in ${(ran - loaded).toFixed(0)} ms ` +
      `(import ${(loaded - started).toFixed(0)} ms)`,
  );
  printTrades(result, numberFlag('print', flags.print, 20)!);
  printMetrics(result);

  const spread = config.spreadPoints !== undefined ? `${config.spreadPoints} points (override)` : `bar spread, else ${instrument.defaultSpreadPoints} points (instrument default)`;
  const out = flags.out ?? path.join('reports', `backtest-${instrument.symbol}-${strategy}-${timeframe}`);
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const run = { csv: flags.csv, import: summary, instrument, config: { ...config, instrument: undefined }, spread };
  writeFileSync(`${out}.json`, `${JSON.stringify({ run, result }, null, 1)}\n`);
  writeFileSync(
    `${out}.html`,
    renderBacktestReport(result, {
      source: path.basename(flags.csv),
      initialBalance: config.initialBalance,
      riskPercent: config.riskPercent,
      commissionPerLotPerSide: config.commissionPerLotPerSide,
      spread,
      accountCurrency: config.accountCurrency ?? 'USD',
    }),
  );
  console.log(`\nwrote ${out}.json and ${out}.html`);
}

main();
