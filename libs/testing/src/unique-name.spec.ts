import { describe, expect, it } from '@jest/globals';
import { uniqueName } from './unique-name.js';

describe('uniqueName', () => {
  it('appends an 8-character lower-case suffix to the prefix', () => {
    expect(uniqueName('bars')).toMatch(/^bars_[a-z0-9]{8}$/);
  });

  it('yields names valid for JetStream, unquoted Postgres identifiers and Redis keys', () => {
    for (const prefix of ['MD_BARS', 'exec.cmd', 'risk guard*>', '9lives', '', 'x'.repeat(100)]) {
      const name = uniqueName(prefix);
      expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
  });

  it('does not repeat across many calls', () => {
    const names = new Set(Array.from({ length: 10_000 }, () => uniqueName('t')));
    expect(names.size).toBe(10_000);
  });
});
