// Reporting from the command line, straight from Postgres (no NATS needed):
//   node dist/apps/reporting/src/cli.js report --account A [--strategy S] [--symbol X] [--from ISO] [--to ISO] --out reports/a.html
// DATABASE_URL (and ?schema=) select the database, as for the service.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createPgPool } from '@mt5/infra/prisma';
import { buildReportHtml } from './application/report/build-report.use-case.js';
import { loadServiceConfig } from './config.js';

const USAGE = 'usage: cli.js report --account <account> [--strategy <id>] [--symbol <symbol>] [--from <ISO time>] [--to <ISO time>] --out <file.html>';

/** Parsed `report` arguments, or the reasons they are wrong (all of them). */
export function parseReportArgs(argv: readonly string[]): { ok: true; value: { account: string; strategy?: string; symbol?: string; from?: number; to?: number; out: string } } | { ok: false; problems: string[] } {
  const [command, ...rest] = argv;
  const problems: string[] = [];
  if (command !== 'report') problems.push(`unknown command ${JSON.stringify(command ?? '')}`);
  const values = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (!['--account', '--strategy', '--symbol', '--from', '--to', '--out'].includes(flag)) problems.push(`unknown option ${flag}`);
    else if (value === undefined || value.startsWith('--')) problems.push(`${flag} needs a value`);
    else values.set(flag.slice(2), value);
  }
  const time = (name: string) => {
    const text = values.get(name);
    if (text === undefined) return undefined;
    const parsed = Date.parse(text);
    if (Number.isNaN(parsed)) problems.push(`--${name} ${JSON.stringify(text)} is not a date`);
    return parsed;
  };
  const from = time('from');
  const to = time('to');
  if (!values.get('account')) problems.push('--account is required');
  if (!values.get('out')) problems.push('--out is required');
  if (from !== undefined && to !== undefined && from >= to) problems.push('--to must be after --from');
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { account: values.get('account') as string, strategy: values.get('strategy'), symbol: values.get('symbol'), from, to, out: values.get('out') as string } };
}

/**
 * Runs the `report` command: writes the HTML report and says where. Exit code 0, or 2 for bad
 * arguments (with every problem and the usage on `stderr`).
 */
export async function runReportCommand(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  io: { stdout: (text: string) => void; stderr: (text: string) => void; now: () => number } = {
    stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), now: () => Date.now(),
  },
): Promise<number> {
  const parsed = parseReportArgs(argv);
  if (!parsed.ok) {
    io.stderr(`${parsed.problems.join('\n')}\n${USAGE}\n`);
    return 2;
  }
  const { account, strategy, symbol, from, to, out } = parsed.value;
  const config = loadServiceConfig(env);
  const pool = createPgPool({ url: config.DATABASE_URL, poolMax: 2, applicationName: 'reporting-cli' });
  try {
    const html = await buildReportHtml(pool, { account, strategyId: strategy, symbol, from, to }, io.now());
    await mkdir(path.dirname(path.resolve(out)), { recursive: true });
    await writeFile(out, html, 'utf8');
    io.stdout(`${path.resolve(out)} (${Buffer.byteLength(html)} bytes)\n`);
    return 0;
  } finally {
    await pool.end();
  }
}

// Run only as a program, not when a test imports parseReportArgs.
if (process.argv[1] && import.meta.url === `file://${path.resolve(process.argv[1])}`) {
  runReportCommand(process.argv.slice(2)).then((code) => process.exit(code), (error: Error) => {
    process.stderr.write(`report failed: ${error.message}\n`);
    process.exit(1);
  });
}
