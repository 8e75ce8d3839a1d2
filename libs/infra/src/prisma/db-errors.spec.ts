import { describe, expect, it } from '@jest/globals';
import { isTransientDbError } from './db-errors.js';

function pgError(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

describe('isTransientDbError', () => {
  it.each([
    ['serialization failure', pgError('40001')],
    ['deadlock', pgError('40P01')],
    ['lock timeout', pgError('55P03')],
    ['server shutting down', pgError('57P01')],
    ['server starting up', pgError('57P03')],
    ['connection exception class 08', pgError('08006')],
    ['too many connections', pgError('53300')],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect', errno: -111 })],
    ['pg connection terminated', new Error('Connection terminated unexpectedly')],
    ['pg pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['Prisma write conflict', Object.assign(new Error('Transaction failed due to a write conflict or a deadlock'), { code: 'P2034' })],
    ['Prisma pool timeout', Object.assign(new Error('Timed out fetching a new connection'), { code: 'P2024' })],
    ['adapter error kind', Object.assign(new Error('DriverAdapterError'), { cause: { kind: 'DatabaseNotReachable' } })],
    ['adapter postgres code in Prisma meta', Object.assign(new Error('x'), { meta: { driverAdapterError: { cause: { kind: 'postgres', code: '40001' } } } })],
    ['wrapped in a cause chain', new Error('repository failed', { cause: new Error('query failed', { cause: pgError('40P01') }) })],
  ])('is true for a %s', (_name, error) => {
    expect(isTransientDbError(error)).toBe(true);
  });

  it.each([
    ['unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['bad input', pgError('22P02', 'invalid input syntax for type numeric')],
    ['missing table', pgError('42P01', 'relation "x" does not exist')],
    ['Prisma unique violation', Object.assign(new Error('Unique constraint failed'), { code: 'P2002' })],
    ['plain error', new Error('something else')],
    ['non-error value', 'ECONNREFUSED'],
    ['null', null],
  ])('is false for a %s', (_name, error) => {
    expect(isTransientDbError(error)).toBe(false);
  });

  it('terminates on a cyclic cause chain', () => {
    const a: { message: string; cause?: unknown } = { message: 'a' };
    a.cause = { message: 'b', cause: a };
    expect(isTransientDbError(a)).toBe(false);
  });
});
