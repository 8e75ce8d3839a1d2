import { AppError, Timeframes, type Timeframe } from '@mt5/contracts';
import { isStrategyKind, strategyRegistry } from '@mt5/domain/strategies';
import type { StrategyChangeListener, StrategyConfig, StrategyConfigFields, StrategyConfigStore, UpdateOutcome } from '../ports.js';
import { defaultStrategies } from './default-strategies.js';

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const MAX_MAGIC = 2 ** 31 - 1;

/** A full config as an operator writes it; omitted fields take the defaults noted. */
export interface StrategyConfigInput {
  readonly kind: string;
  /** Default: the id. */
  readonly name?: string;
  readonly venue: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** Partial parameters; the kind's defaults fill the rest. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Default false. */
  readonly enabled?: boolean;
  readonly magic: number;
  readonly account?: string | null;
  /** Default `0.5`. */
  readonly riskPerTradePct?: string;
  /** Default 1. */
  readonly maxOpenPositions?: number;
  readonly maxVolume?: string | null;
}

export interface SeedResult {
  readonly created: readonly string[];
  /** Ids (or magic numbers) already taken: left as they are. */
  readonly existing: readonly string[];
  readonly enabled: readonly string[];
}

const invalid = (problems: readonly string[]) => new AppError('OPS.INVALID_REQUEST', `OPS.INVALID_REQUEST: ${problems.join('; ')}`, { context: { problems: problems.length } });

/** Checks every field of an input and reports every problem at once. */
export function validateConfigInput(id: string, input: StrategyConfigInput): { ok: true; fields: StrategyConfigFields } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (!TOKEN.test(id)) problems.push(`id: must be 1..64 characters of A-Z a-z 0-9 _ -, got ${JSON.stringify(id)}`);
  if (!TOKEN.test(input.venue)) problems.push(`venue: must be 1..64 characters of A-Z a-z 0-9 _ -, got ${JSON.stringify(input.venue)}`);
  if (input.symbols.length === 0) problems.push('symbols: at least one symbol');
  for (const symbol of input.symbols) {
    if (symbol.length === 0 || symbol.length > 64 || symbol.trim() !== symbol) problems.push(`symbols: ${JSON.stringify(symbol)} is not a symbol`);
  }
  if (new Set(input.symbols).size !== input.symbols.length) problems.push('symbols: listed twice');
  if (!(Timeframes as readonly string[]).includes(input.timeframe)) problems.push(`timeframe: must be one of ${Timeframes.join(', ')}, got ${JSON.stringify(input.timeframe)}`);
  if (!Number.isInteger(input.magic) || input.magic < 0 || input.magic > MAX_MAGIC) problems.push(`magic: must be an integer in 0..${MAX_MAGIC}, got ${input.magic}`);
  if (input.account != null && !TOKEN.test(input.account)) problems.push(`account: must be 1..64 characters of A-Z a-z 0-9 _ -, got ${JSON.stringify(input.account)}`);
  const risk = input.riskPerTradePct ?? '0.5';
  if (!DECIMAL.test(risk) || !(Number(risk) > 0 && Number(risk) <= 100)) problems.push(`riskPerTradePct: must be a decimal in (0, 100], got ${JSON.stringify(risk)}`);
  const maxOpen = input.maxOpenPositions ?? 1;
  if (!Number.isInteger(maxOpen) || maxOpen < 1) problems.push(`maxOpenPositions: must be an integer of at least 1, got ${maxOpen}`);
  if (input.maxVolume != null && (!DECIMAL.test(input.maxVolume) || !(Number(input.maxVolume) > 0))) problems.push(`maxVolume: must be a positive decimal, got ${JSON.stringify(input.maxVolume)}`);
  let params: Record<string, unknown> = {};
  if (!isStrategyKind(input.kind)) {
    problems.push(`kind: unknown strategy ${JSON.stringify(input.kind)} (known: ${Object.keys(strategyRegistry).join(', ')})`);
  } else {
    const checked = strategyRegistry[input.kind].validate(input.params ?? {});
    if (checked.ok) params = { ...checked.params };
    else problems.push(...checked.problems.map((problem) => `params.${problem}`));
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    fields: {
      kind: input.kind, name: input.name ?? id, venue: input.venue, symbols: [...input.symbols], timeframe: input.timeframe as Timeframe, params,
      enabled: input.enabled ?? false, magic: input.magic, account: input.account ?? null, riskPerTradePct: risk, maxOpenPositions: maxOpen,
      maxVolume: input.maxVolume ?? null,
    },
  };
}

/**
 * Strategy configs as operators change them: list, seed the default set, enable, disable, set
 * parameters, upsert a whole config. Parameters are validated by the strategy kind's own rules,
 * every problem reported (OPS.INVALID_REQUEST); a stale `expectedVersion` is OPS.CONFLICT. Each
 * change is stored first, then the listener (the running engine) rebuilds that strategy.
 */
export class StrategyConfigsUseCase {
  constructor(private readonly store: StrategyConfigStore, private readonly listener: StrategyChangeListener) {}

  list(): Promise<StrategyConfig[]> {
    return this.store.list();
  }

  async get(id: string): Promise<StrategyConfig> {
    const config = await this.store.get(id);
    if (!config) throw new AppError('OPS.NOT_FOUND', `OPS.NOT_FOUND: strategy=${id}`, { context: { strategy: id } });
    return config;
  }

  async seedDefaults(venue: string, enable: boolean): Promise<SeedResult> {
    const created: string[] = [];
    const existing: string[] = [];
    const enabled: string[] = [];
    for (const { id, fields } of defaultStrategies(venue, enable)) {
      const inserted = await this.store.insertIfAbsent(id, fields);
      if (inserted) {
        created.push(id);
        if (inserted.enabled) enabled.push(id);
      } else {
        existing.push(id);
        const current = await this.store.get(id);
        if (enable && current && !current.enabled) {
          await this.store.update(id, { enabled: true });
          enabled.push(id);
        }
      }
    }
    for (const id of [...created, ...enabled.filter((id) => !created.includes(id))]) await this.listener.strategyChanged(id);
    return { created, existing, enabled };
  }

  enable(id: string, expectedVersion?: number): Promise<StrategyConfig> {
    return this.change(id, () => this.store.update(id, { enabled: true }, expectedVersion));
  }

  disable(id: string, expectedVersion?: number): Promise<StrategyConfig> {
    return this.change(id, () => this.store.update(id, { enabled: false }, expectedVersion));
  }

  /** Merges `params` onto the stored parameters, validates the result, stores the full set. */
  async setParams(id: string, params: Readonly<Record<string, unknown>>, expectedVersion?: number): Promise<StrategyConfig> {
    const current = await this.get(id);
    if (!isStrategyKind(current.kind)) throw invalid([`kind: stored kind ${JSON.stringify(current.kind)} is unknown`]);
    const checked = strategyRegistry[current.kind].validate({ ...current.params, ...params });
    if (!checked.ok) throw invalid(checked.problems.map((problem) => `params.${problem}`));
    return this.change(id, () => this.store.update(id, { params: { ...checked.params } }, expectedVersion ?? current.version));
  }

  /** Creates or replaces a whole config. */
  async upsert(id: string, input: StrategyConfigInput, expectedVersion?: number): Promise<StrategyConfig> {
    const checked = validateConfigInput(id, input);
    if (!checked.ok) throw invalid(checked.problems);
    const owner = await this.store.magicOwner(checked.fields.magic);
    if (owner !== undefined && owner !== id) {
      throw new AppError('OPS.CONFLICT', `OPS.CONFLICT: magic=${checked.fields.magic}, usedBy=${owner}`, { context: { magic: checked.fields.magic, usedBy: owner } });
    }
    return this.change(id, () => this.store.upsert(id, checked.fields, expectedVersion));
  }

  private async change(id: string, apply: () => Promise<UpdateOutcome>): Promise<StrategyConfig> {
    const outcome = await apply();
    if (outcome.kind === 'not-found') throw new AppError('OPS.NOT_FOUND', `OPS.NOT_FOUND: strategy=${id}`, { context: { strategy: id } });
    if (outcome.kind === 'version-conflict') {
      throw new AppError('OPS.CONFLICT', `OPS.CONFLICT: strategy=${id}, version=${outcome.current} (the config changed since it was read)`, { context: { strategy: id, version: outcome.current } });
    }
    await this.listener.strategyChanged(id);
    return outcome.config;
  }
}
