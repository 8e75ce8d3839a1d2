import type { NatsHandles } from '@mt5/infra/nats';
import type { Pace } from './demo-options.js';
import { allConsumers, tradingConsumers, waitForDrain, type Backlog, type OrderFlowTracker } from './pipeline-watch.js';
import type { PlatformClient, ReplayStatus } from './platform-client.js';
import { formatCount, ProgressBar, type ProgressSink } from './progress-bar.js';
import { lockstepSegments, type ReplayJob } from './replay-plan.js';
import { forecastSignals, type StrategyOnSeries } from './signal-forecast.js';

export interface ReplayOutcome {
  /** Bars market-data published (the stream stored them). */
  readonly published: number;
  /** Bars the stream dropped as already published inside its duplicate window. */
  readonly duplicates: number;
  readonly forecastSignals: number;
  readonly segments: number;
  readonly replayMs: number;
  /** Of `replayMs`: waiting for market-data to publish the segments, and for the pipeline to drain after them. */
  readonly publishMs: number;
  readonly drainMs: number;
  /** False when the pipeline still had work when the run stopped waiting (reported, not hidden). */
  readonly drained: boolean;
  readonly cancelled: boolean;
  readonly lastBacklog?: Backlog;
}

export interface DriverDependencies {
  readonly client: PlatformClient;
  readonly nats: NatsHandles;
  readonly tracker: OrderFlowTracker;
  readonly account: string;
  readonly sink: ProgressSink;
  readonly log: (line: string) => void;
  /** Makes this run's bar message ids unique, so bars sent by an earlier run are not dropped as duplicates. */
  readonly tag: string;
  readonly signal: AbortSignal;
  /** Log a line per segment with its publish and drain times. */
  readonly verbose?: boolean;
}

const time = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const DRAIN_TIMEOUT_MS = 180_000;

/**
 * Replays jobs through market-data (`md.ctl.replay`, polled with `md.qry.replay-status`) and waits
 * for the pipeline to drain, at the chosen pace (see {@link Pace}), with a progress bar.
 */
export class ReplayDriver {
  private published = 0;
  private duplicates = 0;
  private segments = 0;
  private forecast = 0;
  private total = 0;
  private started = 0;
  private position = '';
  private publishMs = 0;
  private drainMs = 0;

  constructor(private readonly deps: DriverDependencies) {}

  async run(jobs: readonly ReplayJob[], pace: Pace, strategies: readonly StrategyOnSeries[]): Promise<ReplayOutcome> {
    this.started = performance.now();
    const progress = new ProgressBar(this.deps.sink, 'replay');
    let drained = true;
    let lastBacklog: Backlog | undefined;
    const plans = [];
    for (const job of jobs) {
      if (this.deps.signal.aborted) break;
      plans.push(pace === 'lockstep' ? await this.lockstepPlan(job, strategies) : { job, segments: [{ from: job.from, to: job.to, signalBar: false }], bars: 0 });
    }
    this.total = plans.reduce((sum, plan) => sum + plan.bars, 0);
    for (const plan of plans) {
      for (const segment of plan.segments) {
        if (this.deps.signal.aborted) break;
        const started = performance.now();
        let mark = started;
        const status = await this.replaySegment(plan.job.symbols, segment.from, segment.to, progress);
        if (status.state === 'failed') throw new Error(`replay ${status.replayId} failed: ${status.error ?? 'no reason given'}`);
        if (this.deps.signal.aborted) break;
        this.publishMs += performance.now() - mark;
        mark = performance.now();
        // After a signal bar only its orders matter; before one, the quotes must have caught up too.
        const result = await waitForDrain(this.deps.nats, {
          consumers: tradingConsumers(this.deps.account, !segment.signalBar), tracker: this.deps.tracker, quietMs: pace === 'lockstep' ? 40 : 500, timeoutMs: DRAIN_TIMEOUT_MS,
          signal: this.deps.signal,
          onWait: (backlog, unfinished) => this.draw(progress, `draining: ${formatCount(backlog.total)} messages, ${unfinished} orders open`),
        });
        this.drainMs += performance.now() - mark;
        if (this.deps.verbose) {
          this.deps.log(`  segment ${time(segment.from)} → ${time(segment.to)}${segment.signalBar ? ' (signal bar)' : ''}: published ${status.published} in ${Math.round(mark - started)} ms, drained in ${Math.round(performance.now() - mark)} ms`);
        }
        lastBacklog = result.backlog;
        if (this.deps.signal.aborted) break;
        if (!result.drained) {
          drained = false;
          this.deps.log(`\n! the pipeline did not drain within ${DRAIN_TIMEOUT_MS / 1000} s after ${time(segment.to)}: ${describeBacklog(result.backlog)}, ${result.unfinished} signals/orders unfinished; going on`);
        }
        this.draw(progress, '', true);
      }
    }
    const replayMs = performance.now() - this.started;
    progress.finish(this.published, this.total || this.published, this.detail(''));
    if (this.deps.signal.aborted) {
      return { published: this.published, duplicates: this.duplicates, forecastSignals: this.forecast, segments: this.segments, replayMs, publishMs: this.publishMs, drainMs: this.drainMs, drained: false, cancelled: true };
    }
    const final = await waitForDrain(this.deps.nats, { consumers: allConsumers(this.deps.account), tracker: this.deps.tracker, quietMs: 1_000, timeoutMs: DRAIN_TIMEOUT_MS });
    return {
      published: this.published, duplicates: this.duplicates, forecastSignals: this.forecast, segments: this.segments, replayMs,
      publishMs: this.publishMs, drainMs: this.drainMs,
      drained: drained && final.drained, cancelled: this.deps.signal.aborted, lastBacklog: final.drained ? lastBacklog : final.backlog,
    };
  }

  /** Forecasts the job's signal bars from its stored bars and cuts it at each of them. */
  private async lockstepPlan(job: ReplayJob, strategies: readonly StrategyOnSeries[]) {
    const times: number[] = [];
    let bars = 0;
    for (const symbol of job.symbols) {
      const series: { openTime: number }[] = [];
      const collected = [];
      for await (const bar of this.deps.client.bars(symbol, job.to)) {
        collected.push(bar);
        if (bar.openTime >= job.from) series.push(bar);
      }
      bars += series.length;
      const signals = forecastSignals(strategies, symbol, collected, job.from);
      this.forecast += signals.length;
      times.push(...signals.map((signal) => signal.barTime));
    }
    const segments = lockstepSegments(job, times);
    this.deps.log(`  ${job.symbols.join(',')} ${time(job.from)} → ${time(job.to)} UTC: ${formatCount(bars)} bars, ${times.length} signals forecast, ${segments.length} segments`);
    return { job, segments, bars };
  }

  private async replaySegment(symbols: readonly string[], from: number, to: number, progress: ProgressBar): Promise<ReplayStatus> {
    let status = await this.deps.client.startReplay(symbols, from, to, this.deps.tag);
    this.segments++;
    const base = this.published;
    let wait = 2;
    while (status.state === 'running') {
      if (this.deps.signal.aborted) {
        await this.deps.client.cancelReplay(status.replayId);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 250);
      status = await this.deps.client.replayStatus(status.replayId);
      this.published = base + status.published;
      if (status.position) this.position = status.position;
      if (this.total === 0 && status.total > 0) this.total = status.total;
      this.draw(progress, '');
    }
    this.published = base + (status.result?.published ?? status.published);
    this.duplicates += status.result?.duplicates ?? 0;
    if (status.position) this.position = status.position;
    return status;
  }

  private detail(extra: string): string {
    const counts = this.deps.tracker.counts();
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.published / seconds : 0;
    const at = this.position ? ` · at ${this.position.slice(0, 16).replace('T', ' ')}` : '';
    return `${formatCount(this.published)}/${formatCount(this.total || this.published)} bars${at} · ${counts.signals} signals · ${counts.allowed} orders · ${formatCount(rate)} bars/s${extra ? ` · ${extra}` : ''}`;
  }

  private draw(progress: ProgressBar, extra: string, force = false): void {
    progress.update(this.published, this.total || this.published, this.detail(extra), force);
  }
}

export function describeBacklog(backlog: Backlog): string {
  const busy = [...backlog.byConsumer.entries()].filter(([, n]) => n > 0).map(([name, n]) => `${name} ${formatCount(n)}`);
  return busy.length > 0 ? busy.join(', ') : 'no backlog';
}
