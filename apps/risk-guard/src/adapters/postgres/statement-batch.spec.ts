import { describe, expect, it } from '@jest/globals';
import { mergeStatements } from './statement-batch.js';

describe('mergeStatements', () => {
  it('sends a single statement as it is', () => {
    expect(mergeStatements([{ sql: 'INSERT INTO a (x) VALUES ($1)', params: [1] }])).toEqual({ text: 'INSERT INTO a (x) VALUES ($1)', values: [1] });
  });

  it('joins several statements as CTEs of one, numbering each one\'s placeholders after the previous ones', () => {
    const merged = mergeStatements([
      { sql: 'INSERT INTO a (x, y) VALUES ($1, $2::jsonb)', params: ['one', '{}'] },
      { sql: 'UPDATE b SET v = $2 WHERE k = $1', params: ['key', 7] },
      { sql: 'INSERT INTO c (p, q) VALUES ($1, COALESCE($2, $1))', params: [10, null] },
    ]);
    expect(merged).toEqual({
      text: 'WITH w0 AS (INSERT INTO a (x, y) VALUES ($1, $2::jsonb)), w1 AS (UPDATE b SET v = $4 WHERE k = $3), w2 AS (INSERT INTO c (p, q) VALUES ($5, COALESCE($6, $5))) SELECT 1',
      values: ['one', '{}', 'key', 7, 10, null],
    });
  });

  it('renumbers two-digit placeholders as whole numbers', () => {
    const params = Array.from({ length: 12 }, (_, i) => i);
    const merged = mergeStatements([{ sql: 'SELECT $1', params: [0] }, { sql: 'X $12 $1', params }]);
    expect(merged.text).toBe('WITH w0 AS (SELECT $1), w1 AS (X $13 $2) SELECT 1');
  });
});
