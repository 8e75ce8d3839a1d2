import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { generateApiKey, hashApiKey, looksLikeApiKey, roleAtLeast } from './api-key.js';

describe('API keys', () => {
  it('are 32 random bytes behind mt5_, stored as their SHA-256 and shown by a 12-character prefix', () => {
    const fresh = generateApiKey((size) => Buffer.alloc(size, 7));
    expect(fresh.key).toBe(`mt5_${Buffer.alloc(32, 7).toString('base64url')}`);
    expect(fresh.key).toHaveLength(47);
    expect(fresh.hash).toBe(createHash('sha256').update(fresh.key).digest('hex'));
    expect(fresh.prefix).toBe(fresh.key.slice(0, 12));
    expect(looksLikeApiKey(fresh.key)).toBe(true);
  });

  it('differ every time', () => {
    expect(generateApiKey().key).not.toBe(generateApiKey().key);
  });

  it('are refused by shape before any lookup when malformed', () => {
    expect(looksLikeApiKey('mt5_short')).toBe(false);
    expect(looksLikeApiKey(undefined)).toBe(false);
    expect(looksLikeApiKey(`xx5_${'a'.repeat(43)}`)).toBe(false);
    expect(hashApiKey('a')).toHaveLength(64);
  });
});

describe('roles', () => {
  it('order viewer < operator < admin', () => {
    expect(roleAtLeast('admin', 'operator')).toBe(true);
    expect(roleAtLeast('operator', 'operator')).toBe(true);
    expect(roleAtLeast('operator', 'admin')).toBe(false);
    expect(roleAtLeast('viewer', 'operator')).toBe(false);
  });
});
