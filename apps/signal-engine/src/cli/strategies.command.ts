import { isAppError } from '@mt5/contracts';
import { isStrategyKind, strategyRegistry } from '@mt5/domain/strategies';
import type { StrategyConfig } from '../application/ports.js';
import type { StrategyConfigsUseCase } from '../application/strategy-configs/strategy-configs.use-case.js';
import type { CliCommand } from './cli-args.js';

/** Where a command writes: results to stdout, messages to stderr. */
export interface CliIo {
  out(text: string): void;
  error(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  error: (text) => process.stderr.write(`${text}\n`),
};

/** Exit code of a refused change (invalid parameters, unknown id, conflict): the request was heard and declined. */
export const EXIT_REFUSED = 3;

function describe(config: StrategyConfig): string {
  // In the kind's own order (JSONB stores keys shortest first).
  const order = isStrategyKind(config.kind) ? Object.keys(strategyRegistry[config.kind].defaults) : [];
  const keys = [...order.filter((key) => key in config.params), ...Object.keys(config.params).filter((key) => !order.includes(key))];
  const params = keys.map((key) => `${key}=${String(config.params[key])}`).join(' ');
  return `${config.id.padEnd(22)} ${(config.enabled ? 'enabled' : 'disabled').padEnd(9)} ${config.kind.padEnd(19)} ${config.venue} ` +
    `${config.symbols.join(',')} ${config.timeframe}  magic=${config.magic} v${config.version}\n${' '.repeat(23)}${params}`;
}

function print(io: CliIo, json: boolean, value: unknown, text: () => string): void {
  io.out(json ? JSON.stringify(value, null, 2) : text());
}

/** Runs one `strategies …` command against the store; returns the exit code. */
export async function runStrategiesCommand(command: Exclude<CliCommand, { command: 'help' }>, configs: StrategyConfigsUseCase, io: CliIo, venue: string): Promise<number> {
  try {
    switch (command.command) {
      case 'list': {
        const all = await configs.list();
        print(io, command.json, all, () => (all.length === 0 ? 'no strategy configs (seed the defaults: strategies seed)' : all.map(describe).join('\n')));
        return 0;
      }
      case 'show': {
        const config = await configs.get(command.id);
        print(io, command.json, config, () => describe(config));
        return 0;
      }
      case 'seed': {
        const result = await configs.seedDefaults(command.venue ?? venue, command.enable);
        print(io, command.json, result, () => [
          `created:  ${result.created.join(', ') || '-'}`,
          `existing: ${result.existing.join(', ') || '-'} (left as they are)`,
          `enabled:  ${result.enabled.join(', ') || '-'}`,
        ].join('\n'));
        return 0;
      }
      case 'enable':
      case 'disable': {
        const config = command.command === 'enable' ? await configs.enable(command.id) : await configs.disable(command.id);
        print(io, command.json, config, () => describe(config));
        return 0;
      }
      case 'set-params': {
        const config = await configs.setParams(command.id, command.params);
        print(io, command.json, config, () => describe(config));
        return 0;
      }
    }
  } catch (error) {
    if (!isAppError(error)) throw error;
    io.error(error.message);
    return EXIT_REFUSED;
  }
}
