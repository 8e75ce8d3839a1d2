import { describe, expect, it } from '@jest/globals';
import type { StrategySettings } from '../../application/ports.js';
import { StrategyAccounts } from './risk-consumers.js';

const settings = (strategyId: string, account: string | null): StrategySettings => ({ strategyId, magic: 1, account, riskPerTradePercent: null, maxVolume: null });

/** A store whose strategy lookups resolve when the test says, in any order. */
function slowStore(rows: Record<string, StrategySettings | null>) {
  const waiting: { id: string; resolve: (row: StrategySettings | null) => void }[] = [];
  let calls = 0;
  return {
    store: { strategy: (id: string) => { calls++; return new Promise<StrategySettings | null>((resolve) => waiting.push({ id, resolve })); } },
    answer: (id: string) => {
      const at = waiting.findIndex((w) => w.id === id);
      waiting.splice(at, 1)[0]!.resolve(rows[id] ?? null);
    },
    calls: () => calls,
  };
}

describe('StrategyAccounts', () => {
  it('answers a remembered strategy at once, without the database', async () => {
    const { store, answer, calls } = slowStore({ s1: settings('s1', 'acct-1') });
    const accounts = new StrategyAccounts(store, 'default');
    const first = accounts.resolve('s1');
    await Promise.resolve();
    answer('s1');
    expect(await first).toBe('acct-1');
    expect(accounts.resolve('s1')).toBe('acct-1');
    expect(calls()).toBe(1);
  });

  it('hands out answers in the order they were asked, also for a remembered strategy asked behind a lookup', async () => {
    const { store, answer } = slowStore({ s1: settings('s1', 'acct-1'), s2: settings('s2', null) });
    const accounts = new StrategyAccounts(store, 'default');
    const remembered = accounts.resolve('s2');
    await new Promise((resolve) => setImmediate(resolve));
    answer('s2');
    expect(await remembered).toBe('default');
    const seen: string[] = [];
    const a = Promise.resolve(accounts.resolve('s1')).then((account) => seen.push(`s1:${account}`));
    // Known, but asked while s1 is being looked up: it must not overtake s1.
    const b = Promise.resolve(accounts.resolve('s2')).then((account) => seen.push(`s2:${account}`));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
    answer('s1');
    await Promise.all([a, b]);
    expect(seen).toEqual(['s1:acct-1', 's2:default']);
  });

  it('refuses (retryable) a decision whose strategy row names another account now, and looks it up again next time', async () => {
    const rows: Record<string, StrategySettings | null> = { s1: settings('s1', 'acct-1') };
    const accounts = new StrategyAccounts({ strategy: async (id) => rows[id] ?? null }, 'default');
    expect(await accounts.resolve('s1')).toBe('acct-1');
    expect(() => accounts.verify('s1', 'acct-1', settings('s1', 'acct-1'))).not.toThrow();
    rows.s1 = settings('s1', 'acct-2');
    let error: unknown;
    try {
      accounts.verify('s1', 'acct-1', rows.s1);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('acct-2') });
    expect(await accounts.resolve('s1')).toBe('acct-2');
  });
});
