import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { generateApiKey } from './api-key.js';
import type { KeyIdentity } from './api-keys.repository.js';
import { KeyAuthenticator, type KeyLookup } from './key-authenticator.js';

function fakeKeys(rows: Record<string, KeyIdentity>) {
  const calls = { find: 0, touch: [] as string[] };
  const lookup: KeyLookup = {
    findActive: async (hash) => {
      calls.find++;
      return rows[hash] ?? null;
    },
    touch: async (id) => {
      calls.touch.push(id);
    },
  };
  return { lookup, calls };
}

describe('KeyAuthenticator', () => {
  const silent = pino({ level: 'silent' });
  const key = generateApiKey();

  it('resolves a key to its principal and serves repeats from memory until the cache time passes', async () => {
    let now = 0;
    const { lookup, calls } = fakeKeys({ [key.hash]: { id: 'k1', name: 'anna', role: 'operator' } });
    const keys = new KeyAuthenticator(lookup, 10_000, silent, () => now);
    expect(await keys.authenticate(key.key)).toEqual({ keyId: 'k1', name: 'anna', role: 'operator' });
    await keys.authenticate(key.key);
    expect(calls.find).toBe(1);
    now = 10_001;
    await keys.authenticate(key.key);
    expect(calls.find).toBe(2);
  });

  it('asks Postgres once for concurrent requests with the same key', async () => {
    const { lookup, calls } = fakeKeys({ [key.hash]: { id: 'k1', name: 'anna', role: 'viewer' } });
    const keys = new KeyAuthenticator(lookup, 10_000, silent, () => 0);
    await Promise.all(Array.from({ length: 20 }, () => keys.authenticate(key.key)));
    expect(calls.find).toBe(1);
  });

  it('refuses malformed keys without a lookup, and unknown or oddly-roled keys after one', async () => {
    const odd = generateApiKey();
    const { lookup, calls } = fakeKeys({ [odd.hash]: { id: 'k2', name: 'old', role: 'trader' } });
    const keys = new KeyAuthenticator(lookup, 10_000, silent, () => 0);
    expect(await keys.authenticate('let-me-in')).toBeNull();
    expect(await keys.authenticate(undefined)).toBeNull();
    expect(calls.find).toBe(0);
    expect(await keys.authenticate(key.key)).toBeNull();
    expect(await keys.authenticate(odd.key)).toBeNull();
    expect(calls.find).toBe(2);
  });

  it('records a key\'s use at most once a minute', async () => {
    let now = 0;
    const { lookup, calls } = fakeKeys({ [key.hash]: { id: 'k1', name: 'anna', role: 'viewer' } });
    const keys = new KeyAuthenticator(lookup, 1_000_000, silent, () => now);
    for (const at of [0, 10_000, 59_999, 60_000, 70_000]) {
      now = at;
      await keys.authenticate(key.key);
    }
    expect(calls.touch).toEqual(['k1', 'k1']);
  });
});
