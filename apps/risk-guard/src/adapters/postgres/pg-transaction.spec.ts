import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { escapeLiteral, inlineParams, sqlLiteral } from './pg-transaction.js';

describe('sqlLiteral', () => {
  it('quotes what pg would send as a parameter, so the literal takes its type from the context', () => {
    expect([sqlLiteral('EURUSD'), sqlLiteral(42), sqlLiteral(1.5), sqlLiteral(true), sqlLiteral(null), sqlLiteral(undefined)])
      .toEqual(["'EURUSD'", "'42'", "'1.5'", "'true'", 'NULL', 'NULL']);
  });

  it('doubles quotes and escapes backslashes, so no value can end the literal', () => {
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral("a\\'; DROP TABLE outbox; --")).toBe(" E'a\\\\''; DROP TABLE outbox; --'");
  });

  it('writes objects as JSON and dates with their offset, as pg does', () => {
    expect(sqlLiteral({ reason: "o'k", n: 1 })).toBe(`'{"reason":"o''k","n":1}'`);
    expect(sqlLiteral(new Date(Date.UTC(2024, 2, 4, 9, 11)))).toMatch(/^'2024-03-04T\d\d:11:00\.000[+-]\d\d:\d\d'$/);
  });
});

describe('escapeLiteral', () => {
  it("writes exactly what pg's escapeLiteral writes", () => {
    for (const text of ['', 'plain', "o'k", "''", 'back\\slash', "both ' and \\ and '\\'", '{"a":"x\\"y"}', 'ünïcödé €', '\n\t']) {
      expect(escapeLiteral(text)).toBe(pg.escapeLiteral(text));
    }
  });
});

describe('inlineParams', () => {
  it('replaces each placeholder by its value, two-digit ones whole', () => {
    const params = Array.from({ length: 11 }, (_, i) => `v${i + 1}`);
    expect(inlineParams('SELECT $1, $11::jsonb, $1', params)).toBe("SELECT 'v1', 'v11'::jsonb, 'v1'");
  });

  it('refuses a placeholder without a value', () => {
    expect(() => inlineParams('SELECT $2', ['only one'])).toThrow('$2 has no value');
  });
});
