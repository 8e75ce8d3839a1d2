import type { PricePoint } from '../broker/broker.types.js';
import type { SimBroker } from '../broker/sim-broker.js';
import type { TimedBar } from './replay-timeline.js';

export interface BarPlayerOptions {
  /** Simulated seconds per real second; 0 plays as fast as the event loop allows. */
  readonly speed: number;
  /** Longest simulated pause between two quotes; longer gaps (weekends) are squeezed to it. */
  readonly maxGapMs: number;
  /** Called once when the source runs dry. */
  readonly onEnd?: () => void;
  /** Quotes applied per turn of the event loop before yielding (as-fast-as-possible mode). */
  readonly batch?: number;
  /**
   * Quotes before this time (simulated) are applied at once, without waiting: a replay whose
   * series start at different times begins where every symbol has a price.
   */
  readonly fastForwardUntil?: number;
  /**
   * A quote at least this often (simulated ms) per symbol: the straight line between two points of
   * a bar's path is walked in even steps. A live feed needs it: four quotes a minute leave holes of
   * up to 29 s, longer than risk-guard lets a quote age. Replays leave it unset (one quote per OHLC
   * point, as MT5's tester walks a bar).
   */
  readonly quoteEveryMs?: number;
}

interface QueuedPoint {
  readonly symbol: string;
  readonly point: PricePoint;
}

/**
 * Plays a time-ordered stream of bars into the broker in (scaled) real time: the bars of one
 * minute are expanded into their price paths, merged by time across symbols and applied point by
 * point, then kept as history. The wall-clock schedule follows simulated time divided by `speed`.
 */
export class BarPlayer {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private queue: QueuedPoint[] = [];
  private pendingBars: TimedBar[] = [];
  private lookahead: TimedBar | undefined;
  private lastTime: number | undefined;
  private simulatedElapsed = 0;
  private wallStart = 0;
  /** Points applied so far. */
  applied = 0;

  constructor(
    private readonly broker: SimBroker,
    private readonly source: Iterator<TimedBar>,
    private readonly options: BarPlayerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wallStart = performance.now() - this.simulatedElapsed / Math.max(this.options.speed, Number.MIN_VALUE);
    this.tick();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private tick(): void {
    const batch = this.options.batch ?? 1000;
    for (let done = 0; this.running && done < batch; done++) {
      const next = this.peek();
      if (!next) {
        this.running = false;
        this.options.onEnd?.();
        return;
      }
      const fastForward = next.point.time < (this.options.fastForwardUntil ?? Number.NEGATIVE_INFINITY);
      const gap = this.lastTime === undefined || fastForward ? 0 : Math.max(0, next.point.time - this.lastTime);
      const due = this.simulatedElapsed + Math.min(gap, this.options.maxGapMs);
      if (this.options.speed > 0 && !fastForward) {
        const wait = this.wallStart + due / this.options.speed - performance.now();
        if (wait > 1) {
          this.timer = setTimeout(() => this.tick(), wait);
          return;
        }
      }
      this.simulatedElapsed = due;
      this.lastTime = next.point.time;
      this.queue.shift();
      this.broker.applyPricePoint(next.symbol, next.point);
      this.applied++;
      if (this.queue.length === 0) this.flushBars();
    }
    if (this.running) this.timer = setTimeout(() => this.tick(), 0);
  }

  /** The next point, expanding the next minute's bars when the queue is empty. */
  private peek(): QueuedPoint | undefined {
    if (this.queue.length > 0) return this.queue[0];
    const first = this.lookahead ?? this.source.next().value;
    this.lookahead = undefined;
    if (!first) return undefined;
    const minute = [first];
    for (;;) {
      const candidate = this.source.next();
      if (candidate.done) break;
      if (candidate.value.bar.time !== first.bar.time) {
        this.lookahead = candidate.value;
        break;
      }
      minute.push(candidate.value);
    }
    this.pendingBars = minute;
    this.queue = minute
      .flatMap(({ symbol, bar }) => this.pathOf(symbol, bar).map((point) => ({ symbol, point })))
      .sort((a, b) => a.point.time - b.point.time);
    return this.queue[0];
  }

  private pathOf(symbol: string, bar: TimedBar['bar']): PricePoint[] {
    const path = this.broker.pricePath(symbol, bar);
    const every = this.options.quoteEveryMs;
    const digits = this.broker.symbols().find((spec) => spec.symbol === symbol)?.digits;
    return every && digits !== undefined ? densifyPath(path, every, digits) : path;
  }

  private flushBars(): void {
    for (const { symbol, bar } of this.pendingBars) this.broker.recordBar(symbol, bar);
    this.pendingBars = [];
  }
}

/**
 * Points in between a path's points, at most `everyMs` apart, on the straight line from one to the
 * next (the spread of the segment's start kept), each `continuous`: nothing jumps, so a level the
 * line crosses is still crossed exactly as the original path crosses it.
 */
export function densifyPath(path: readonly PricePoint[], everyMs: number, digits: number): PricePoint[] {
  const round = (value: number) => Number(value.toFixed(digits));
  const out: PricePoint[] = [];
  path.forEach((point, index) => {
    const previous = path[index - 1];
    if (previous && point.time - previous.time > everyMs) {
      const steps = Math.ceil((point.time - previous.time) / everyMs);
      const spread = previous.ask - previous.bid;
      for (let step = 1; step < steps; step++) {
        const bid = round(previous.bid + ((point.bid - previous.bid) * step) / steps);
        out.push({ bid, ask: round(bid + spread), time: previous.time + Math.round(((point.time - previous.time) * step) / steps), continuous: true });
      }
    }
    out.push(point);
  });
  return out;
}
