/** Breaker states; the numbers are what `mt5_breaker_state` reports. */
export const CircuitStates = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;
export type CircuitState = keyof typeof CircuitStates;

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** Time open before one probe call is let through (half-open). */
  readonly cooldownMs: number;
  /** Monotonic milliseconds. */
  readonly now: () => number;
  readonly onChange?: (state: CircuitState) => void;
}

/**
 * Guards calls to the terminal. CLOSED lets everything through and counts consecutive failures;
 * at the threshold it OPENs and refuses calls (they are not sent, so nothing is at risk) until the
 * cool-down passes; then HALF_OPEN lets exactly one probe through: success closes, failure opens
 * again for another cool-down.
 */
export class CircuitBreaker {
  private current: CircuitState = 'CLOSED';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): CircuitState {
    return this.current;
  }

  /** True when a call may go out now (and, half-open, takes the single probe slot). */
  tryAcquire(): boolean {
    if (this.current === 'OPEN') {
      if (this.options.now() - this.openedAt < this.options.cooldownMs) return false;
      this.set('HALF_OPEN');
    }
    if (this.current === 'HALF_OPEN') {
      if (this.probeInFlight) return false;
      this.probeInFlight = true;
    }
    return true;
  }

  /** Would a call be let through now? (No side effect.) */
  isAvailable(): boolean {
    if (this.current === 'CLOSED') return true;
    if (this.current === 'OPEN') return this.options.now() - this.openedAt >= this.options.cooldownMs;
    return !this.probeInFlight;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.probeInFlight = false;
    if (this.current !== 'CLOSED') this.set('CLOSED');
  }

  recordFailure(): void {
    this.probeInFlight = false;
    this.failures++;
    if (this.current === 'HALF_OPEN' || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.options.now();
      this.set('OPEN');
    }
  }

  /** The call ended without telling anything about the link (it was never sent): frees the probe slot. */
  recordNeutral(): void {
    this.probeInFlight = false;
  }

  /** A new session proves the link is back. */
  reset(): void {
    this.failures = 0;
    this.probeInFlight = false;
    if (this.current !== 'CLOSED') this.set('CLOSED');
  }

  private set(state: CircuitState): void {
    this.current = state;
    this.options.onChange?.(state);
  }
}
