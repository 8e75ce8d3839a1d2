import type { Subscription } from '@nats-io/nats-core';
import { Consumers, isTerminalOrderStatus, Subjects, type ConsumerSpec, type OrderStatus } from '@mt5/contracts';
import type { NatsHandles } from '@mt5/infra/nats';

const decoder = new TextDecoder();

interface SignalFact {
  readonly strategyId: string;
  readonly symbol: string;
  readonly barTime: string;
  outcome?: 'ALLOW' | 'DENY';
  clientOrderId?: string;
}

/** What the run saw flow through the pipeline, counted from the events themselves. */
export interface FlowCounts {
  readonly signals: number;
  readonly allowed: number;
  readonly denied: number;
  readonly denialsByCode: ReadonlyMap<string, number>;
  /** Orders of this run's allowed signals, by their latest state. */
  readonly ordersByState: ReadonlyMap<string, number>;
  /** Signals still without a decision plus orders not yet in a final state. */
  readonly unfinished: number;
}

/**
 * Follows this run's signals to their risk decisions and orders on core NATS (`sig.evt.>`,
 * `risk.evt.decision`, `exec.evt.<account>.order`), so the run knows when every signal has been
 * decided and every allowed order has reached a final state (FILLED, REJECTED, CANCELLED,
 * EXPIRED). UNKNOWN is not final: execution settles it with the terminal.
 */
export class OrderFlowTracker {
  private readonly signals = new Map<string, SignalFact>();
  private readonly orders = new Map<string, OrderStatus>();
  private readonly denials = new Map<string, number>();
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly nats: NatsHandles, private readonly account: string) {}

  start(): void {
    const { nc } = this.nats;
    const listen = (subject: string, handle: (data: Record<string, unknown>) => void) =>
      this.subscriptions.push(nc.subscribe(subject, {
        callback: (error, msg) => {
          if (error) return;
          try {
            const envelope = JSON.parse(decoder.decode(msg.data)) as { data?: Record<string, unknown> };
            if (envelope.data) handle(envelope.data);
          } catch {
            // not an envelope: nothing this run follows
          }
        },
      }));
    listen(Subjects.allSignals(), (data) => {
      if (typeof data.signalId !== 'string' || this.signals.has(data.signalId)) return;
      this.signals.set(data.signalId, { strategyId: String(data.strategyId), symbol: String(data.symbol), barTime: String(data.barTime) });
    });
    listen(Subjects.riskEvent('decision'), (data) => {
      const signal = typeof data.signalId === 'string' ? this.signals.get(data.signalId) : undefined;
      if (!signal || signal.outcome) return;
      signal.outcome = data.outcome === 'ALLOW' ? 'ALLOW' : 'DENY';
      if (signal.outcome === 'ALLOW' && typeof data.clientOrderId === 'string') {
        signal.clientOrderId = data.clientOrderId;
        if (!this.orders.has(data.clientOrderId)) this.orders.set(data.clientOrderId, 'NEW');
      } else if (signal.outcome === 'DENY') {
        const code = typeof data.code === 'string' ? data.code : 'RISK.UNKNOWN';
        this.denials.set(code, (this.denials.get(code) ?? 0) + 1);
      }
    });
    listen(Subjects.executionEvent(this.account, 'order'), (data) => {
      const id = data.clientOrderId;
      if (typeof id !== 'string' || typeof data.status !== 'string') return;
      const current = this.orders.get(id);
      // Events of one order can overtake each other on core NATS; a final state is never undone.
      if (current !== undefined && isTerminalOrderStatus(current)) return;
      this.orders.set(id, data.status as OrderStatus);
    });
  }

  stop(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions.length = 0;
  }

  /** Signals seen on the bar `barTime` (ISO), for the lockstep's check of its forecast. */
  signalsOnBar(barTime: string): number {
    let count = 0;
    for (const signal of this.signals.values()) if (signal.barTime === barTime) count++;
    return count;
  }

  counts(): FlowCounts {
    let allowed = 0;
    let denied = 0;
    let undecided = 0;
    for (const signal of this.signals.values()) {
      if (signal.outcome === 'ALLOW') allowed++;
      else if (signal.outcome === 'DENY') denied++;
      else undecided++;
    }
    const ordersByState = new Map<string, number>();
    let open = 0;
    for (const status of this.orders.values()) {
      ordersByState.set(status, (ordersByState.get(status) ?? 0) + 1);
      if (!isTerminalOrderStatus(status)) open++;
    }
    return { signals: this.signals.size, allowed, denied, denialsByCode: this.denials, ordersByState, unfinished: undecided + open };
  }
}

/**
 * The durable consumers whose backlog says whether the trading path has caught up. With
 * `quotes`, also market-data's tick consumer: risk-guard sizes and checks stops against the last
 * quote market-data cached from those ticks, so before a signal bar the quotes must be current.
 */
export function tradingConsumers(account: string, quotes = true): ConsumerSpec[] {
  return [
    Consumers.signalEngineBars, ...(quotes ? [Consumers.marketDataTicks] : []), Consumers.riskGuardSignals, Consumers.executionCommands(account),
    Consumers.riskGuardExecutionEvents,
  ];
}

/** ... and with reporting, whether everything has been written down. */
export function allConsumers(account: string): ConsumerSpec[] {
  return [...tradingConsumers(account), Consumers.reportingExecutionEvents, Consumers.reportingRiskEvents];
}

export interface Backlog {
  /** Messages not yet delivered plus delivered but not acknowledged, per `stream/consumer`. */
  readonly byConsumer: ReadonlyMap<string, number>;
  readonly total: number;
  /** Sum of the stream sequences delivered: changes whenever anything moved. */
  readonly fingerprint: number;
}

/** One look at the consumers' backlog (JetStream consumer info). A missing consumer counts as idle. */
export async function readBacklog(nats: NatsHandles, consumers: readonly ConsumerSpec[]): Promise<Backlog> {
  const byConsumer = new Map<string, number>();
  let total = 0;
  let fingerprint = 0;
  await Promise.all(consumers.map(async (spec) => {
    const info = await nats.jsm.consumers.info(spec.stream, spec.durable).catch(() => undefined);
    const backlog = info ? info.num_pending + info.num_ack_pending : 0;
    byConsumer.set(`${spec.stream}/${spec.durable}`, backlog);
    total += backlog;
    fingerprint += info?.delivered.stream_seq ?? 0;
  }));
  return { byConsumer, total, fingerprint };
}

export interface DrainOptions {
  readonly consumers: readonly ConsumerSpec[];
  readonly tracker: OrderFlowTracker;
  /** Nothing may move for this long before the pipeline counts as drained (messages in flight between services). */
  readonly quietMs: number;
  readonly timeoutMs: number;
  readonly onWait?: (backlog: Backlog, unfinished: number) => void;
  /** Stops waiting (not drained) when aborted. */
  readonly signal?: AbortSignal;
}

/**
 * Waits until every consumer's backlog is zero, every signal seen is decided and every allowed
 * order is final, and it stays so for `quietMs`. Resolves with whether that happened before
 * `timeoutMs` (false: the caller reports what is still pending and goes on).
 */
export async function waitForDrain(nats: NatsHandles, options: DrainOptions): Promise<{ drained: boolean; backlog: Backlog; unfinished: number }> {
  const deadline = performance.now() + options.timeoutMs;
  let quietSince: number | undefined;
  let lastFingerprint = -1;
  let interval = 5;
  for (;;) {
    const backlog = await readBacklog(nats, options.consumers);
    const unfinished = options.tracker.counts().unfinished;
    const now = performance.now();
    if (backlog.total === 0 && unfinished === 0 && backlog.fingerprint === lastFingerprint) {
      quietSince ??= now;
      if (now - quietSince >= options.quietMs) return { drained: true, backlog, unfinished };
    } else {
      quietSince = backlog.total === 0 && unfinished === 0 ? now : undefined;
      interval = 5;
    }
    lastFingerprint = backlog.fingerprint;
    if (now >= deadline || options.signal?.aborted) return { drained: false, backlog, unfinished };
    options.onWait?.(backlog, unfinished);
    // A long backlog is looked at a few times a second; a short one often, so a segment's drain costs little.
    await new Promise((resolve) => setTimeout(resolve, backlog.total > 100 ? 250 : interval));
    interval = Math.min(interval * 2, 40);
  }
}
