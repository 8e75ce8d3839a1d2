import type { Clock } from '../ports.js';

/**
 * Whether new orders may go out. DISCONNECTED: no terminal session. RECONCILING: a session is
 * open but orders, deals and positions are being compared with the terminal; new orders wait.
 * READY: reconciled, orders go out (if the circuit breaker lets them).
 */
export const GateStates = ['DISCONNECTED', 'RECONCILING', 'READY'] as const;
export type GateState = (typeof GateStates)[number];

export type WaitOutcome =
  | { readonly kind: 'ready'; readonly waitedMs: number }
  | { readonly kind: 'deadline'; readonly state: GateState; readonly breakerOpen: boolean; readonly waitedMs: number }
  | { readonly kind: 'stopped' };

export interface BridgeGateOptions {
  readonly clock: Clock;
  /** Extra readiness condition (the circuit breaker would let a call through). */
  readonly available?: () => boolean;
  /** How often a waiting command re-checks (breaker cool-down, deadline). */
  readonly pollMs?: number;
  /** How often a waiting command tells JetStream it is still in progress. */
  readonly keepAliveMs?: number;
  readonly onChange?: (state: GateState) => void;
}

/** Holds commands until the bridge is reconciled and usable, or their deadline passes. */
export class BridgeGate {
  private current: GateState = 'DISCONNECTED';
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: BridgeGateOptions) {}

  get state(): GateState {
    return this.current;
  }

  set(state: GateState): void {
    if (state !== this.current) this.options.onChange?.(state);
    this.current = state;
    for (const wake of [...this.waiters]) wake();
  }

  isReady(): boolean {
    return this.current === 'READY' && (this.options.available?.() ?? true);
  }

  /**
   * Resolves `ready` as soon as the gate is READY and available, `deadline` once `deadline`
   * passes first, or `stopped` when `signal` aborts (the service is stopping). `keepAlive` is
   * called while waiting, so the command's JetStream message stays in progress.
   */
  async waitUntilReady(deadline: Date, signal: AbortSignal, keepAlive?: () => void): Promise<WaitOutcome> {
    const started = this.options.clock.now().getTime();
    const pollMs = this.options.pollMs ?? 100;
    const keepAliveMs = this.options.keepAliveMs ?? 15_000;
    let lastKeepAlive = started;
    // Only a command that actually had to wait counts as having waited (and goes back to risk).
    let waited = false;
    for (;;) {
      const now = this.options.clock.now().getTime();
      if (signal.aborted) return { kind: 'stopped' };
      if (this.isReady()) return { kind: 'ready', waitedMs: waited ? Math.max(1, now - started) : 0 };
      if (now >= deadline.getTime()) {
        return { kind: 'deadline', state: this.current, breakerOpen: this.current === 'READY', waitedMs: now - started };
      }
      if (keepAlive && now - lastKeepAlive >= keepAliveMs) {
        keepAlive();
        lastKeepAlive = now;
      }
      waited = true;
      await this.sleep(Math.min(pollMs, deadline.getTime() - now), signal);
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
