import { formatUtc } from '@mt5/domain/market';
import type { BackfillOutcome } from '../../application/gaps/request-backfill.use-case.js';
import type { MarketData } from '../../market-data.composition.js';
import type { CliCommand } from '../cli-args.js';
import { formatCount, ProgressReporter } from '../progress.js';
import type { CliIo } from './cli-io.js';

type Command<K extends CliCommand['command']> = Extract<CliCommand, { command: K }>;

const time = (ms: number) => formatUtc(ms).replace(':00.000Z', 'Z');

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** `coverage`: first, last and count per venue, symbol and timeframe. */
export async function runCoverage(command: Command<'coverage'>, md: MarketData, io: CliIo): Promise<number> {
  const rows = await md.bars.coverage({ venue: command.venue, symbols: command.symbols, timeframe: command.timeframe });
  if (command.json) {
    io.out(JSON.stringify(rows.map((row) => ({ ...row, first: new Date(row.first).toISOString(), last: new Date(row.last).toISOString() })), null, 2));
  } else if (rows.length === 0) {
    io.out('no bars stored');
  } else {
    io.out(table([['VENUE', 'SYMBOL', 'TF', 'FIRST', 'LAST', 'BARS'], ...rows.map((row) => [row.venue, row.symbol, row.timeframe, time(row.first), time(row.last), formatCount(row.bars)])]));
  }
  return 0;
}

function describeBackfill(outcome: BackfillOutcome): string {
  switch (outcome.kind) {
    case 'filled':
      return `filled: ${outcome.received} received, ${outcome.inserted} new${outcome.truncated ? ' (truncated: run again for the rest)' : ''}`;
    case 'no-responders':
      return `nobody answers ${outcome.subject}: the execution gateway is not running or does not serve history yet; nothing was requested`;
    case 'timeout':
      return `no answer on ${outcome.subject} within ${outcome.timeoutMs} ms`;
    case 'refused':
      return `refused: ${outcome.code}: ${outcome.message}`;
  }
}

/** `gaps`: missing bars inside sessions, optionally asking the gateway to backfill them. */
export async function runGaps(command: Command<'gaps'>, md: MarketData, io: CliIo, venue: string): Promise<number> {
  const result = await md.findGaps.execute({ venue: command.venue ?? venue, symbol: command.symbol, timeframe: command.timeframe, minBars: command.minBars, from: command.from, to: command.to });
  const backfill = command.backfill && result.gaps.length > 0
    ? await md.requestBackfill.execute({ venue: result.venue, symbol: result.symbol, timeframe: result.timeframe }, result.gaps)
    : [];
  if (command.json) {
    io.out(JSON.stringify({
      ...result, gaps: result.gaps.map((gap) => ({ from: new Date(gap.from).toISOString(), to: new Date(gap.to).toISOString(), missingBars: gap.missingBars })),
      backfill: backfill.map((outcome) => ({ ...outcome, gap: { from: new Date(outcome.gap.from).toISOString(), to: new Date(outcome.gap.to).toISOString() } })),
    }, null, 2));
    return 0;
  }
  io.out(`${result.venue} ${result.symbol} ${result.timeframe}: ${formatCount(result.bars)} bars, ${result.gaps.length} gaps of at least ${command.minBars} bar(s), ${formatCount(result.missingBars)} bars missing inside sessions (${result.sessionTimeZone} clock)`);
  if (result.gaps.length > 0) {
    io.out(table([['FROM', 'TO', 'MISSING'], ...result.gaps.map((gap) => [time(gap.from), time(gap.to), formatCount(gap.missingBars)])]));
  }
  for (const outcome of backfill) io.out(`backfill ${time(outcome.gap.from)} → ${time(outcome.gap.to)}: ${describeBackfill(outcome)}`);
  if (command.backfill && backfill.length < result.gaps.length && backfill.at(-1)?.kind === 'no-responders') {
    io.out(`(${result.gaps.length - backfill.length} further gap(s) not requested)`);
  }
  return 0;
}

/** `aggregate`: higher timeframes from stored lower ones. */
export async function runAggregate(command: Command<'aggregate'>, md: MarketData, io: CliIo, venue: string): Promise<number> {
  const results = [];
  for (const symbol of command.symbols) {
    const progress = new ProgressReporter(io.progress, `aggregate ${symbol}`, !command.json);
    const result = await md.aggregateBars.execute({
      venue: command.venue ?? venue, symbol, source: command.source, targets: command.targets, from: command.from, to: command.to, publish: command.publish,
      onProgress: (read, total) => progress.update(read, total, `${formatCount(read)} ${command.source} bars`),
    });
    progress.finish();
    results.push(result);
    if (!command.json) {
      io.out(`${result.venue} ${symbol}: ${formatCount(result.sourceBars)} ${result.source} bars → ${result.targets
        .map((t) => `${t.timeframe} ${formatCount(t.built)} (${formatCount(t.inserted)} new${command.publish ? `, ${formatCount(t.published)} published` : ''})`).join(', ')}`);
    }
  }
  if (command.json) io.out(JSON.stringify(results, null, 2));
  return 0;
}

/** `instruments load`: the catalogue file into `instruments`, versioned, idempotent. */
export async function runInstrumentsLoad(command: Command<'instruments-load'>, md: MarketData, io: CliIo): Promise<number> {
  const result = await md.instruments.load(command.file);
  if (command.json) io.out(JSON.stringify(result, null, 2));
  else {
    io.out(`${result.file}:`);
    io.out(table(result.instruments.map((entry) => [entry.venue, entry.symbol, entry.result])));
  }
  return 0;
}

/** `replay`: stored bars back onto NATS in time order, with progress. */
export async function runReplay(command: Command<'replay'>, md: MarketData, io: CliIo, venue: string): Promise<number> {
  const progress = new ProgressReporter(io.progress, 'replay', !command.json);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  try {
    const result = await md.replayBars.execute({
      venue: command.venue ?? venue, symbols: command.symbols, timeframe: command.timeframe, from: command.from, to: command.to,
      speed: command.speed, tag: command.tag, signal: abort.signal,
      onProgress: (p) => progress.update(p.published, p.total, `${formatCount(p.published)}/${formatCount(p.total)} bars${p.position === undefined ? '' : ` · at ${time(p.position)}`}`),
    });
    progress.finish();
    if (command.json) io.out(JSON.stringify(result, null, 2));
    else {
      io.out(`replayed ${result.symbols.join(',')} ${result.timeframe}: ${formatCount(result.published)} published, ${formatCount(result.duplicates)} already on the stream, of ${formatCount(result.total)} stored · ${(result.durationMs / 1000).toFixed(2)} s · ${formatCount(result.barsPerSecond)} bars/s${result.cancelled ? ' (cancelled)' : ''}`);
      if (result.duplicates > 0 && !command.tag) io.out('  (bars already published inside the stream\'s duplicate window are dropped; add --tag <name> to send a deliberate second run)');
    }
    return result.cancelled ? 130 : 0;
  } finally {
    process.off('SIGINT', stop);
  }
}
