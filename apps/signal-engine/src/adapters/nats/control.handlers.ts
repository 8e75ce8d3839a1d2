import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { isAppError } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { QueryError, serveQuery, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import type { ZodType } from 'zod';
import type { StrategyRuntime, StrategyRuntimeStatus } from '../../application/evaluate-bar/strategy-runtime.js';
import type { StrategyConfig } from '../../application/ports.js';
import type { StrategyConfigsUseCase } from '../../application/strategy-configs/strategy-configs.use-case.js';
import type { SignalsRepository, StoredSignal } from '../db/signals.repository.js';
import {
  emptyRequestSchema, idRequestSchema, reloadRequestSchema, seedRequestSchema, setParamsRequestSchema, SignalEngineSubjects, signalsQuerySchema,
  upsertRequestSchema,
} from './control.schemas.js';

/** A config as the queries and controls return it, with what the engine is doing with it. */
export interface StrategyView extends Omit<StrategyConfig, 'createdAt' | 'updatedAt'> {
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly status: StrategyRuntimeStatus;
}

export interface ControlDependencies {
  readonly nc: NatsConnection;
  readonly configs: StrategyConfigsUseCase;
  readonly runtime: StrategyRuntime;
  readonly signals: SignalsRepository;
  readonly logger: Logger;
  readonly provision?: ProvisionOptions;
  /** Venue of `seed-defaults` when the request names none. */
  readonly defaultVenue: string;
  readonly maxSignals: number;
  /** This process, so it ignores its own reload broadcasts. */
  readonly instanceId: string;
}

/** Expected failures (AppError) become `{ ok: false }` replies with their code, without an error log. */
async function expected<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error)) throw new QueryError(error.code, error.message, error.retryable);
    throw error;
  }
}

/**
 * Serves `sig.qry.strategies`, `sig.qry.signals`, `sig.ctl.strategies.<op>` and
 * `sig.ctl.seed-defaults`. Changes are answered by one instance (queue group); `reload` reaches
 * every instance, and each change is broadcast on it so that all instances rebuild the strategy.
 */
export function serveControls(deps: ControlDependencies): Subscription[] {
  const { nc, configs, runtime, logger } = deps;
  const queue = 'signal-engine';
  const view = (config: StrategyConfig): StrategyView => ({
    ...config, createdAt: config.createdAt.toISOString(), updatedAt: config.updatedAt.toISOString(), status: runtime.status(config),
  });
  const serve = <Req, Res>(subject: string, request: ZodType<Req>, handle: (req: Req) => Promise<Res>, shared = true) =>
    serveQuery(nc, { subject: subjectIn(subject, deps.provision), request, queue: shared ? queue : undefined, handle: (req: Req) => expected(() => handle(req)) }, logger);
  const list = async () => ({ strategies: (await configs.list()).map(view) });

  return [
    serve(SignalEngineSubjects.strategiesQuery(), emptyRequestSchema, list),
    serve(SignalEngineSubjects.strategyControl('list'), emptyRequestSchema, list),
    serve(SignalEngineSubjects.signalsQuery(), signalsQuerySchema, async (req): Promise<{ signals: StoredSignal[] }> => ({
      signals: await deps.signals.recent({
        strategyId: req.strategyId, symbol: req.symbol, side: req.side,
        from: req.from === undefined ? undefined : Date.parse(req.from), to: req.to === undefined ? undefined : Date.parse(req.to),
        limit: Math.min(req.limit ?? 100, deps.maxSignals),
      }),
    })),
    serve(SignalEngineSubjects.strategyControl('enable'), idRequestSchema, async (req) => view(await configs.enable(req.id, req.expectedVersion))),
    serve(SignalEngineSubjects.strategyControl('disable'), idRequestSchema, async (req) => view(await configs.disable(req.id, req.expectedVersion))),
    serve(SignalEngineSubjects.strategyControl('set-params'), setParamsRequestSchema, async (req) => view(await configs.setParams(req.id, req.params, req.expectedVersion))),
    serve(SignalEngineSubjects.strategyControl('upsert'), upsertRequestSchema, async (req) =>
      view(await configs.upsert(req.id, { ...req.config, venue: req.config.venue ?? deps.defaultVenue }, req.expectedVersion))),
    serve(SignalEngineSubjects.seedDefaults(), seedRequestSchema, async (req) => {
      const result = await configs.seedDefaults(req.venue ?? deps.defaultVenue, req.enable ?? false);
      return { ...result, strategies: (await configs.list()).map(view) };
    }),
    serve(SignalEngineSubjects.strategyControl('reload'), reloadRequestSchema, async (req) => {
      if (req.origin === deps.instanceId) return { reloaded: [] };
      if (req.id) await runtime.strategyChanged(req.id);
      else await runtime.reloadAll();
      return { reloaded: req.id ? [req.id] : (await configs.list()).map((config) => config.id) };
    }, false),
  ];
}

/** Tells the other instances to rebuild a strategy this one changed. */
export function broadcastReload(nc: NatsConnection, id: string, instanceId: string, provision?: ProvisionOptions): void {
  nc.publish(subjectIn(SignalEngineSubjects.strategyControl('reload'), provision), JSON.stringify({ id, origin: instanceId }));
}
