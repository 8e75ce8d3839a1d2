// A lockstep replay (as the run command's, see docs/demo.md) that survives faults: a segment whose
// replay fails or cannot be asked for is replayed again once market-data answers, and the drain is
// read from Postgres and JetStream (core NATS events can be lost while NATS restarts).
import type { Subscription } from '@nats-io/nats-core';
import { Subjects } from '@mt5/contracts';
import { readBacklog, tradingConsumers, allConsumers } from '../../demo/pipeline-watch.js';
import { PlatformError, type ReplayStatus } from '../../demo/platform-client.js';
import { lockstepSegments } from '../../demo/replay-plan.js';
import { forecastSignals, type ForecastSignal } from '../../demo/signal-forecast.js';
import { SYMBOL, WINDOW, type TradingStack } from './fault-stack.fixture.js';

/** What makes the fault go off: the n-th (1-based) event of a kind seen on core NATS. */
export interface FaultTrigger {
  /** `signal`: a signal published; `allow`: an order allowed by risk-guard (its command is on its way to execution); `deal`: a fill reported by execution; `segment`: the start of the n-th replay segment. */
  readonly on: 'signal' | 'allow' | 'deal' | 'segment';
  readonly nth: number;
  /**
   * Replay at most this many segments while the fault lasts, then wait for it to end before going
   * on (a fault the pipeline does not stall on would otherwise outlast the whole replay). Default:
   * no limit.
   */
  readonly holdAfterSegments?: number;
}

export interface FaultRun {
  /** Where the strategy code says the strategies signal (the invariants compare the stored signals with it). */
  readonly forecast: readonly ForecastSignal[];
  readonly segments: number;
  /** Segments whose replay had to be asked for again. */
  readonly segmentRetries: number;
  /** Drains that timed out (the run went on; the invariants then say what is wrong). */
  readonly undrained: string[];
  readonly faultStartedAt: number | undefined;
  readonly faultEndedAt: number | undefined;
  readonly durationMs: number;
}

const decoder = new TextDecoder();
const TERMINAL = `('FILLED','CANCELLED','REJECTED','EXPIRED')`;

/**
 * Signals without a decision, and allowed decisions whose order is missing or not final (UNKNOWN
 * counts: execution settles it within seconds here). Throws while Postgres is away.
 */
export async function unfinishedWork(stack: TradingStack): Promise<number> {
  const { rows } = await stack.db.query<{ undecided: string; open: string }>(`
    SELECT (SELECT count(*) FROM signals s WHERE NOT EXISTS (SELECT 1 FROM risk_decisions d WHERE d.signal_id = s.signal_id)) AS undecided,
           (SELECT count(*) FROM risk_decisions d LEFT JOIN orders o ON o.client_order_id = d.client_order_id
             WHERE d.outcome = 'ALLOW' AND d.client_order_id IS NOT NULL AND (o.id IS NULL OR o.status NOT IN ${TERMINAL})) AS open`);
  return Number(rows[0]!.undecided) + Number(rows[0]!.open);
}

/**
 * Waits until the consumers have no backlog and nothing is unfinished, unchanged for `quietMs`.
 * `check` runs on every look and may throw to stop waiting (a service died).
 */
export async function drain(stack: TradingStack, options: { quotes: boolean; reporting: boolean; quietMs: number; timeoutMs: number; check?: () => void }): Promise<boolean> {
  const consumers = options.reporting ? allConsumers(stack.account) : tradingConsumers(stack.account, options.quotes);
  const deadline = performance.now() + options.timeoutMs;
  let quietSince: number | undefined;
  let last = '';
  while (performance.now() < deadline) {
    options.check?.();
    try {
      const [backlog, unfinished] = await Promise.all([readBacklog(stack.client, consumers), unfinishedWork(stack)]);
      const state = `${backlog.fingerprint}/${unfinished}`;
      if (backlog.total === 0 && unfinished === 0 && state === last) {
        quietSince ??= performance.now();
        if (performance.now() - quietSince >= options.quietMs) return true;
      } else {
        quietSince = undefined;
      }
      last = state;
    } catch {
      quietSince = undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

/** Replays `[from, to)` until market-data reports it completed; asks again after a failure or a lost request. */
async function replaySegment(stack: TradingStack, from: number, to: number, check: () => void): Promise<number> {
  let retries = 0;
  const deadline = performance.now() + 180_000;
  for (;;) {
    check();
    try {
      let status: ReplayStatus = await stack.platform.startReplay([SYMBOL], from, to, stack.tag);
      let wait = 2;
      while (status.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, 100);
        status = await stack.platform.replayStatus(status.replayId);
      }
      if (status.state === 'completed') return retries;
      throw new Error(`replay ${status.state}: ${status.error ?? ''}`);
    } catch (error) {
      // A refusal that no retry changes (a bad request) ends the test; timeouts and outages are waited out.
      if (error instanceof PlatformError && !error.retryable && error.code.startsWith('MSG.')) throw error;
      if (performance.now() > deadline) throw new Error(`segment ${new Date(from).toISOString()} → ${new Date(to).toISOString()} not replayed: ${(error as Error).message}`);
      retries++;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * Replays {@link WINDOW} in lockstep (a segment per forecast signal bar, drained after each) and
 * runs `fault` once, concurrently, when `trigger` fires; waits for the fault to finish before the
 * final drain (reporting included).
 */
export async function replayWithFault(stack: TradingStack, trigger: FaultTrigger, fault: () => Promise<void>): Promise<FaultRun> {
  const started = performance.now();
  const strategies = (await stack.platform.strategies()).filter((strategy) => strategy.enabled && strategy.status.state === 'running');
  const bars = [];
  for await (const bar of stack.platform.bars(SYMBOL, WINDOW.to)) bars.push(bar);
  const forecast = forecastSignals(strategies, SYMBOL, bars, WINDOW.from);
  const segments = lockstepSegments(WINDOW, forecast.map((signal) => signal.barTime));

  let faultPromise: Promise<void> | undefined;
  let faultStartedAt: number | undefined;
  let faultEndedAt: number | undefined;
  let seen = 0;
  let firedAtSegment = 0;
  let segmentIndex = 0;
  const fire = () => {
    if (faultPromise) return;
    firedAtSegment = segmentIndex;
    faultStartedAt = Date.now();
    faultPromise = fault().finally(() => {
      faultEndedAt = Date.now();
    });
  };
  const subscriptions: Subscription[] = [];
  if (trigger.on !== 'segment') {
    const subject = { signal: Subjects.allSignals(), allow: Subjects.riskEvent('decision'), deal: Subjects.executionEvent(stack.account, 'deal') }[trigger.on];
    subscriptions.push(stack.client.nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error || faultPromise) return;
        if (trigger.on === 'allow') {
          const data = (JSON.parse(decoder.decode(msg.data)) as { data?: { outcome?: string } }).data;
          if (data?.outcome !== 'ALLOW') return;
        }
        if (++seen === trigger.nth) fire();
      },
    }));
  }
  const undrained: string[] = [];
  let segmentRetries = 0;
  // A service the fault did not bring back (it died of it, or the fault is over) ends the wait at once.
  const check = () => {
    if (faultPromise && faultEndedAt === undefined) return;
    const dead = [...stack.services.values()].filter((service) => service.pid === undefined);
    if (dead.length > 0) throw new Error(`${dead.map((service) => service.name).join(', ')} exited during the replay${faultStartedAt ? ` (the fault started ${Date.now() - faultStartedAt} ms ago)` : ''}`);
  };
  try {
    for (const [index, segment] of segments.entries()) {
      segmentIndex = index;
      if (trigger.on === 'segment' && index + 1 === trigger.nth) fire();
      if (faultPromise && trigger.holdAfterSegments !== undefined && faultEndedAt === undefined && index - firedAtSegment >= trigger.holdAfterSegments) await faultPromise;
      segmentRetries += await replaySegment(stack, segment.from, segment.to, check);
      const drained = await drain(stack, { quotes: !segment.signalBar, reporting: false, quietMs: 40, timeoutMs: 90_000, check });
      if (!drained) undrained.push(new Date(segment.to).toISOString());
    }
    if (!faultPromise) throw new Error(`the fault never fired: ${trigger.on} #${trigger.nth} not seen (${seen} seen)`);
    await faultPromise;
    const final = await drain(stack, { quotes: true, reporting: true, quietMs: 1_500, timeoutMs: 120_000, check });
    if (!final) undrained.push('final');
  } finally {
    for (const subscription of subscriptions) subscription.unsubscribe();
  }
  return {
    forecast, segments: segments.length, segmentRetries, undrained, faultStartedAt, faultEndedAt, durationMs: performance.now() - started,
  };
}
