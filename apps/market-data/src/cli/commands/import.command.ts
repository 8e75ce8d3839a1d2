import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatUtc } from '@mt5/domain/market';
import { inferSymbol, inferTimeframe } from '../../application/import-bars/file-name-inference.js';
import type { ImportFileResult } from '../../application/import-bars/import-bars.use-case.js';
import type { MarketData } from '../../market-data.composition.js';
import type { CliCommand } from '../cli-args.js';
import { formatCount, ProgressReporter } from '../progress.js';
import type { CliIo } from './cli-io.js';

type ImportCommand = Extract<CliCommand, { command: 'import' }>;

const DATA_FILE = /\.(csv|txt|tsv)$/i;

/** Files named on the command line, folders expanded to their data files (sorted, not recursive). */
export async function expandPaths(paths: readonly string[], baseDir: string | undefined): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const resolved = path.resolve(baseDir ?? process.cwd(), given);
    const info = await stat(resolved).catch(() => undefined);
    if (!info) throw new Error(`no such file or folder: ${given}`);
    if (info.isDirectory()) {
      const entries = (await readdir(resolved)).filter((name) => DATA_FILE.test(name)).sort();
      files.push(...entries.map((name) => path.join(resolved, name)));
    } else {
      files.push(resolved);
    }
  }
  return files;
}

function rejectsFileFor(base: string | undefined, file: string, several: boolean): string | undefined {
  if (!base) return undefined;
  return several ? `${base}.${path.basename(file)}.tsv` : base;
}

const time = (ms: number | undefined) => (ms === undefined ? '-' : formatUtc(ms).replace(':00.000Z', 'Z'));

function printSummary(io: CliIo, result: ImportFileResult, showRejects: number, rejectsFile: string | undefined): void {
  const listed = result.rejects.slice(0, showRejects);
  const totalRejects = result.rejected + result.duplicates;
  io.out([
    `${path.basename(result.file)} → ${result.venue} ${result.symbol} ${result.timeframe} (${result.format ?? 'format not recognised'}, ${result.timeZone})`,
    `  accepted ${formatCount(result.accepted)} · rejected ${formatCount(result.rejected)} · duplicates ${formatCount(result.duplicates)}`,
    `  inserted ${formatCount(result.inserted)} · already stored ${formatCount(result.alreadyPresent)}${result.mode ? ` (${result.mode})` : ''}`,
    `  ${time(result.firstTime)} → ${time(result.lastTime)} · ${(result.durationMs / 1000).toFixed(2)} s · ${formatCount(result.rowsPerSecond)} rows/s`,
    ...(result.published ? [`  published ${formatCount(result.published.stored)} on md.bar (${formatCount(result.published.duplicates)} already on the stream)`] : []),
    ...(listed.length > 0 ? [`  rejected lines (first ${listed.length} of ${formatCount(totalRejects)}):`] : []),
    ...listed.map((reject) => `    line ${reject.line}  ${reject.code}  ${reject.message}`),
    ...(rejectsFile && totalRejects > 0 ? [`  every rejected line: ${rejectsFile}`] : []),
  ].join('\n'));
}

/** `import <file|folder>...`: see docs/market-data.md. Exit 1 when a file could not be imported. */
export async function runImport(command: ImportCommand, md: MarketData, io: CliIo, defaults: { venue: string; timeZone: string; dataDir?: string }): Promise<number> {
  const files = await expandPaths(command.paths, defaults.dataDir);
  if (files.length === 0) throw new Error('no data files (*.csv, *.txt, *.tsv) found');
  if (command.symbol && files.length > 1) throw new Error('--symbol with several files is ambiguous: name each file after its symbol (EURUSD_M1.csv) or import them one by one');
  const results: ImportFileResult[] = [];
  let failures = 0;
  for (const file of files) {
    const symbol = command.symbol ?? inferSymbol(file);
    if (!symbol) {
      io.error(`${path.basename(file)}: cannot tell the symbol from the file name; give --symbol`);
      failures++;
      continue;
    }
    const progress = new ProgressReporter(io.progress, path.basename(file), !command.json);
    const rejectsOut = rejectsFileFor(command.rejectsOut, file, files.length > 1);
    try {
      const result = await md.importBars.execute({
        file, symbol, venue: command.venue ?? defaults.venue, timeframe: command.timeframe ?? inferTimeframe(file) ?? 'M1',
        format: command.format, timeZone: command.timeZone ?? defaults.timeZone, publish: command.publish, rejectsOut,
        onProgress: (p) => progress.update(p.bytesRead, p.totalBytes, `${formatCount(p.accepted)} bars, ${formatCount(p.rejected)} rejected`),
      });
      progress.finish();
      results.push(result);
      if (!command.json) printSummary(io, result, command.showRejects, rejectsOut);
    } catch (error) {
      progress.finish();
      io.error(`${path.basename(file)}: import failed: ${(error as Error).message}`);
      failures++;
    }
  }
  if (command.json) io.out(JSON.stringify(results.map((result) => ({ ...result, rejects: result.rejects.slice(0, command.showRejects) })), null, 2));
  else if (results.length > 1) {
    const sum = (pick: (r: ImportFileResult) => number) => formatCount(results.reduce((total, r) => total + pick(r), 0));
    io.out(`total: ${results.length} files · accepted ${sum((r) => r.accepted)} · rejected ${sum((r) => r.rejected)} · duplicates ${sum((r) => r.duplicates)} · inserted ${sum((r) => r.inserted)}`);
  }
  return failures > 0 ? 1 : 0;
}
