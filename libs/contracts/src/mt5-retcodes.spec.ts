import { describe, expect, it } from '@jest/globals';
import { classifyRetcode, Mt5Retcode, mt5RetcodeInfo, Mt5Retcodes, retcodeErrorCode } from './mt5-retcodes.js';

describe('MT5 retcode table', () => {
  it('covers the MQL5 trade server return codes 10004..10046 (10005 and 10037 do not exist)', () => {
    const expected = [10004, ...Array.from({ length: 41 }, (_, i) => 10006 + i).filter((code) => code !== 10037)];
    expect(Object.keys(Mt5Retcodes).map(Number)).toEqual(expected);
  });

  it('names codes as MQL5 does, without the prefix', () => {
    expect([Mt5Retcode.REQUOTE, Mt5Retcode.DONE, Mt5Retcode.NO_MONEY, Mt5Retcode.FIFO_CLOSE]).toEqual([10004, 10009, 10019, 10045]);
    expect(mt5RetcodeInfo(10031)).toEqual({ retcode: 10031, name: 'CONNECTION', class: 'unknown-outcome', description: 'No connection with the trade server' });
  });

  it('retries with a fresh price only on requote, price changed and price off', () => {
    expect(Object.values(Mt5Retcodes).filter((info) => info.class === 'retryable-with-fresh-price').map((info) => info.retcode)).toEqual([10004, 10020, 10021]);
  });

  it('treats a timeout and a lost connection as unknown outcomes, never as rejections', () => {
    expect(Object.values(Mt5Retcodes).filter((info) => info.class === 'unknown-outcome').map((info) => info.name)).toEqual(['TIMEOUT', 'CONNECTION']);
  });

  it('counts placed, done, partial and no-changes as success', () => {
    expect(Object.values(Mt5Retcodes).filter((info) => info.class === 'success').map((info) => info.name)).toEqual(['PLACED', 'DONE', 'DONE_PARTIAL', 'NO_CHANGES']);
  });

  it('settles a code it does not know by querying, not by assuming a rejection', () => {
    expect(classifyRetcode(10999)).toBe('unknown-outcome');
    expect(mt5RetcodeInfo(10999).name).toBe('UNKNOWN_10999');
  });

  it('maps each class to a platform error code', () => {
    expect([10009, 10004, 10012, 10019].map(retcodeErrorCode)).toEqual([null, 'EXEC.REQUOTE', 'EXEC.OUTCOME_UNKNOWN', 'EXEC.VENUE_REJECTED']);
  });
});
