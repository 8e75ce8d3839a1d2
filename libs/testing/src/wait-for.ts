export interface WaitForOptions {
  /** Give up after this long. Default 5000 ms. */
  timeoutMs?: number;
  /** Pause between attempts. Default 50 ms. */
  intervalMs?: number;
  /** What is awaited, for the timeout message ("order row committed"). */
  description?: string;
}

/**
 * Polls `predicate` until it returns a truthy value (or a promise of one) and resolves with that
 * value. A predicate that throws counts as "not yet"; the last error is the timeout's `cause`.
 * Uses real timers: do not combine with `jest.useFakeTimers()`.
 */
export async function waitFor<T>(predicate: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 5_000, intervalMs = 50, description = 'condition' } = options;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) {
      const detail = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`waitFor: ${description} not met after ${timeoutMs} ms (${attempts} attempts)${detail}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - performance.now()))));
  }
}
