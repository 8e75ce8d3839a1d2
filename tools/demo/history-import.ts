import { readdirSync } from 'node:fs';
import path from 'node:path';
import { formatCount } from './progress-bar.js';
import { runChild } from './local-access.js';

/** What market-data's `import --json` reports per file (the fields printed here). */
interface ImportReport {
  readonly symbol: string;
  readonly file: string;
  readonly format: string;
  readonly accepted: number;
  readonly rejected: number;
  readonly inserted: number;
  readonly alreadyPresent: number;
  readonly durationMs: number;
}

/** The M1 export of each symbol in a folder: `<SYMBOL>_M1*.csv`, any case (`EURUSD_M1.mt5-export.csv`). */
export function findSymbolFiles(dataDir: string, symbols: readonly string[]): { found: Map<string, string>; missing: string[] } {
  const names = readdirSync(dataDir);
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const symbol of symbols) {
    const name = names.filter((file) => file.toUpperCase().startsWith(`${symbol.toUpperCase()}_M1`) && file.toLowerCase().endsWith('.csv')).sort()[0];
    if (name) found.set(symbol, path.join(dataDir, name));
    else missing.push(symbol);
  }
  return { found, missing };
}

/**
 * Imports the files with market-data's CLI (`import <files> --symbol … --json`), which validates,
 * stores with COPY and skips bars already stored, so a second run adds nothing. Nothing is
 * published: the replay does that. Returns the lines to print.
 */
export async function importHistory(options: { root: string; env: NodeJS.ProcessEnv; files: ReadonlyMap<string, string> }): Promise<string[]> {
  const cli = path.join(options.root, 'dist/apps/market-data/src/cli.js');
  const lines: string[] = [];
  for (const [symbol, file] of options.files) {
    const result = await runChild(process.execPath, [cli, 'import', file, '--symbol', symbol, '--json'], { cwd: options.root, env: options.env });
    if (result.code !== 0) throw new Error(`market-data import ${file} failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
    const reports = JSON.parse(result.stdout) as ImportReport | ImportReport[];
    for (const report of Array.isArray(reports) ? reports : [reports]) {
      lines.push(`  ${report.symbol.padEnd(7)} ${path.basename(report.file)} (${report.format}): ${formatCount(report.accepted)} bars, ${formatCount(report.inserted)} new, `
        + `${formatCount(report.alreadyPresent)} already stored, ${formatCount(report.rejected)} rejected, ${(report.durationMs / 1000).toFixed(1)} s`);
    }
  }
  return lines;
}
