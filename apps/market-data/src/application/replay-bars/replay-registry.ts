import type { Logger } from 'pino';
import type { Clock } from '../../market-data.ports.js';
import type { ReplayBarsUseCase, ReplayRequest, ReplayResult } from './replay-bars.use-case.js';

export const ReplayStates = ['running', 'completed', 'cancelled', 'failed'] as const;
export type ReplayState = (typeof ReplayStates)[number];

/** What `md.qry.replay-status` answers for one replay. */
export interface ReplayStatus {
  readonly replayId: string;
  readonly state: ReplayState;
  readonly venue: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly from: string;
  readonly to: string;
  readonly published: number;
  readonly total: number;
  /** Open time of the last bar sent (ISO), where the replay is in history. */
  readonly position: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly result: ReplayResult | null;
  readonly error: string | null;
}

const KEPT = 50;

/**
 * Replays started over NATS (`md.ctl.replay`), run in the background; their progress is polled
 * with `md.qry.replay-status`. Finished ones are kept (the last 50) so a late poll still gets the
 * outcome. A stop of the service cancels what runs.
 */
export class ReplayRegistry {
  private readonly replays = new Map<string, { status: ReplayStatus; abort: AbortController; done: Promise<void> }>();
  private counter = 0;

  constructor(private readonly replay: ReplayBarsUseCase, private readonly clock: Clock, private readonly logger: Logger) {}

  start(request: Omit<ReplayRequest, 'onProgress' | 'signal'>): ReplayStatus {
    const now = this.clock.now();
    const replayId = `replay-${now.getTime().toString(36)}-${(++this.counter).toString(36)}`;
    const abort = new AbortController();
    let status: ReplayStatus = {
      replayId, state: 'running', venue: request.venue, symbols: request.symbols, timeframe: request.timeframe,
      from: new Date(request.from).toISOString(), to: new Date(request.to).toISOString(), published: 0, total: 0, position: null,
      startedAt: now.toISOString(), finishedAt: null, result: null, error: null,
    };
    const update = (change: Partial<ReplayStatus>) => {
      status = { ...status, ...change };
      const entry = this.replays.get(replayId);
      if (entry) entry.status = status;
    };
    const done = this.replay.execute({
      ...request, signal: abort.signal,
      onProgress: (progress) => update({ published: progress.published, total: progress.total, position: progress.position === undefined ? null : new Date(progress.position).toISOString() }),
    }).then(
      (result) => update({ state: result.cancelled ? 'cancelled' : 'completed', result, published: result.published + result.duplicates, total: result.total, finishedAt: this.clock.now().toISOString() }),
      (error: Error) => {
        this.logger.error({ err: error, replayId }, 'replay failed');
        update({ state: 'failed', error: error.message, finishedAt: this.clock.now().toISOString() });
      },
    );
    this.replays.set(replayId, { status, abort, done });
    this.prune();
    return status;
  }

  status(replayId: string): ReplayStatus | undefined {
    return this.replays.get(replayId)?.status;
  }

  all(): ReplayStatus[] {
    return [...this.replays.values()].map((entry) => entry.status);
  }

  /** Cancels one replay; resolves when it has stopped. False when unknown or already finished. */
  async cancel(replayId: string): Promise<boolean> {
    const entry = this.replays.get(replayId);
    if (!entry || entry.status.state !== 'running') return false;
    entry.abort.abort();
    await entry.done;
    return true;
  }

  /** Cancels every running replay (service shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.replays.keys()].map((id) => this.cancel(id)));
  }

  private prune(): void {
    const finished = [...this.replays.entries()].filter(([, entry]) => entry.status.state !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, this.replays.size - KEPT))) this.replays.delete(id);
  }
}
