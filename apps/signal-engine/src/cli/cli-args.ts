import { parseArgs } from 'node:util';

export const USAGE = `signal-engine CLI: strategy configs in Postgres (docs/signals.md)

usage: node dist/apps/signal-engine/src/cli.js strategies <command> [options]

  strategies list [--json]                   every config, its parameters and whether it is enabled
  strategies show <id> [--json]              one config
  strategies seed [--enable] [--venue V]     insert the default set (ma-crossover-m1, rsi-reversion-m1 on
                                             EURUSD, GBPUSD, USDJPY M1) where absent; --enable turns them on
  strategies enable <id>                     turn a strategy on
  strategies disable <id>                    turn a strategy off
  strategies set-params <id> k=v [k=v ...]   change parameters (merged onto the stored ones, validated)
  strategies set-params <id> --params '{"fast":5}'

--json prints the result as JSON.

A running signal-engine applies each change at once (it is told over NATS); a stopped one reads
the configs when it starts. Exit codes: 0 done, 1 failed, 2 usage error, 3 refused (invalid
parameters, unknown id, conflict).`;

export type CliCommand =
  | { readonly command: 'help' }
  | { readonly command: 'list'; readonly json: boolean }
  | { readonly command: 'show'; readonly id: string; readonly json: boolean }
  | { readonly command: 'seed'; readonly enable: boolean; readonly venue?: string; readonly json: boolean }
  | { readonly command: 'enable' | 'disable'; readonly id: string; readonly json: boolean }
  | { readonly command: 'set-params'; readonly id: string; readonly params: Readonly<Record<string, unknown>>; readonly json: boolean };

export type CliParse = { readonly ok: true; readonly value: CliCommand } | { readonly ok: false; readonly error: string };

/** `5` → 5, `true` → true, `EMA` → "EMA": parameter values as the validators expect them. */
export function parseParamValue(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return text;
}

function parseParams(pairs: readonly string[], json: string | undefined): Record<string, unknown> | string {
  if (json !== undefined) {
    if (pairs.length > 0) return 'give parameters either as k=v pairs or as --params, not both';
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      return `--params: ${(error as Error).message}`;
    }
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : '--params: must be a JSON object';
  }
  if (pairs.length === 0) return 'set-params needs at least one k=v pair (or --params)';
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return `"${pair}" is not k=v`;
    params[pair.slice(0, eq)] = parseParamValue(pair.slice(eq + 1));
  }
  return params;
}

export function parseCliArgs(argv: readonly string[]): CliParse {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv], allowPositionals: true, strict: true,
      options: {
        json: { type: 'boolean' }, params: { type: 'string' }, enable: { type: 'boolean' }, venue: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return { ok: true, value: { command: 'help' } };
  const [area, command, id, ...rest] = positionals;
  if (area !== 'strategies') return { ok: false, error: `unknown command "${area}"` };
  const json = values.json ?? false;
  switch (command) {
    case 'list':
      return { ok: true, value: { command: 'list', json } };
    case 'seed':
      return { ok: true, value: { command: 'seed', enable: values.enable ?? false, venue: values.venue, json } };
    case 'show':
    case 'enable':
    case 'disable':
      if (!id) return { ok: false, error: `strategies ${command} needs a strategy id` };
      return { ok: true, value: { command, id, json } };
    case 'set-params': {
      if (!id) return { ok: false, error: 'strategies set-params needs a strategy id' };
      const params = parseParams(rest, values.params);
      return typeof params === 'string' ? { ok: false, error: params } : { ok: true, value: { command: 'set-params', id, params, json } };
    }
    default:
      return { ok: false, error: `unknown strategies command "${command ?? ''}"` };
  }
}
