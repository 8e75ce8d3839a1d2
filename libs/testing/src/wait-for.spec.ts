import { describe, expect, it } from '@jest/globals';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('resolves with the first truthy value of the predicate', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('awaits async predicates and treats a throw as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        calls++;
        if (calls < 3) throw new Error('not connected');
        return 'connected';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('connected');
  });

  it('rejects after the timeout, naming what it waited for and the last error', async () => {
    const failing = waitFor(
      () => {
        throw new Error('row missing');
      },
      { timeoutMs: 60, intervalMs: 10, description: 'order row committed' },
    );
    await expect(failing).rejects.toThrow(/order row committed not met after 60 ms .*last error: row missing/);
  });
});
