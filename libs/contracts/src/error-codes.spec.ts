import { describe, expect, it } from '@jest/globals';
import { AppError, isAppError, isRetryable } from './app-error.js';
import { AllErrorCodes, errorCodeInfo, ErrorCodes, formatDenial, isErrorCode, type ErrorCode } from './error-codes.js';

describe('formatDenial', () => {
  it.each([
    ['RISK.MAX_LOTS_EXCEEDED', { volume: '2.5', max: '2.0' }, 'RISK.MAX_LOTS_EXCEEDED: volume=2.5, max=2.0'],
    ['RISK.INSUFFICIENT_MARGIN', { required: '1129.60', free: '812.15', floorPercent: 150 }, 'RISK.INSUFFICIENT_MARGIN: required=1129.60, free=812.15, floorPercent=150'],
    ['RISK.SPREAD_TOO_WIDE', { symbol: 'XAUUSD', spreadPoints: 45, maxPoints: 30 }, 'RISK.SPREAD_TOO_WIDE: symbol=XAUUSD, spreadPoints=45, maxPoints=30'],
    ['RISK.STALE_MARKET_DATA', { ageMs: 12000, maxAgeMs: 5000 }, 'RISK.STALE_MARKET_DATA: ageMs=12000, maxAgeMs=5000'],
    ['RISK.TRADING_HALTED', {}, 'RISK.TRADING_HALTED'],
  ] as const)('renders %s', (code, context, expected) => {
    expect(formatDenial(code, context)).toBe(expected);
  });

  it('keeps the insertion order of the context keys', () => {
    expect(formatDenial('RISK.MAX_EXPOSURE', { z: 1, a: 2, m: 3 })).toBe('RISK.MAX_EXPOSURE: z=1, a=2, m=3');
  });

  it('throws on a NaN in the context: that is a broken invariant, not a reason', () => {
    expect(() => formatDenial('RISK.INVALID_VOLUME', { volume: Number.NaN })).toThrow('formatDenial(RISK.INVALID_VOLUME): context volume is NaN');
  });
});

describe('the error code registry', () => {
  it('lists the codes the services rely on', () => {
    const required: ErrorCode[] = [
      'RISK.MAX_LOTS_EXCEEDED', 'RISK.INSUFFICIENT_MARGIN', 'RISK.TRADING_HALTED', 'RISK.STALE_MARKET_DATA', 'RISK.RATE_LIMITED',
      'RISK.DUPLICATE_SIGNAL', 'RISK.UNKNOWN_INSTRUMENT', 'RISK.MARKET_CLOSED', 'RISK.INVALID_VOLUME', 'RISK.INVALID_STOPS',
      'RISK.SPREAD_TOO_WIDE', 'RISK.MAX_POSITIONS', 'RISK.MAX_EXPOSURE', 'RISK.NO_STOP_LOSS', 'RISK.REDUCE_ONLY', 'RISK.BREAKER_OPEN',
      'MSG.MALFORMED', 'MSG.SCHEMA_VIOLATION', 'MSG.UNKNOWN_TYPE',
      'BRIDGE.FRAME_TOO_LARGE', 'BRIDGE.MALFORMED', 'BRIDGE.UNSUPPORTED_VERSION', 'BRIDGE.SCHEMA_VIOLATION',
    ];
    expect(required.filter((code) => !AllErrorCodes.includes(code))).toEqual([]);
  });

  it('describes every code on one line', () => {
    for (const code of AllErrorCodes) {
      const info = errorCodeInfo(code);
      expect(info.description).toMatch(/^[A-Z][^\n]{10,120}$/);
      expect(info.code).toBe(code);
    }
  });

  it('retries only transient failures, never an unknown trade outcome', () => {
    expect(AllErrorCodes.filter((code) => errorCodeInfo(code).retryable)).toEqual([
      'RISK.STALE_MARKET_DATA', 'RISK.RATE_LIMITED', 'RISK.NO_ACCOUNT_SNAPSHOT',
      'EXEC.BRIDGE_DISCONNECTED', 'EXEC.RECONCILING', 'EXEC.REQUOTE',
      'BRIDGE.HANDSHAKE_TIMEOUT', 'BRIDGE.HEARTBEAT_TIMEOUT', 'BRIDGE.NOT_CONNECTED', 'BRIDGE.REQUEST_TIMEOUT', 'OPS.RATE_LIMITED',
      'SYS.DEPENDENCY_UNAVAILABLE', 'SYS.TIMEOUT',
    ]);
    expect(ErrorCodes.EXEC.OUTCOME_UNKNOWN.retryable).toBe(false);
  });

  it('recognises registered codes only', () => {
    expect([isErrorCode('RISK.MAX_LOTS_EXCEEDED'), isErrorCode('RISK.NOPE'), isErrorCode('RISK'), isErrorCode(42)]).toEqual([true, false, false, false]);
  });
});

describe('AppError', () => {
  it('carries code, retry class, context and cause, and reads like a denial', () => {
    const cause = new Error('ECONNREFUSED 127.0.0.1:5432');
    const error = new AppError('SYS.DEPENDENCY_UNAVAILABLE', undefined, { cause, context: { dependency: 'postgres' } });
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.retryable, error.message, error.cause]).toEqual([
      'AppError', 'SYS.DEPENDENCY_UNAVAILABLE', true, 'SYS.DEPENDENCY_UNAVAILABLE: dependency=postgres', cause,
    ]);
  });

  it('lets the caller override the retry class', () => {
    expect(new AppError('SYS.TIMEOUT', 'query timed out mid-write', { retryable: false }).retryable).toBe(false);
  });

  it('is recognised after crossing a process as plain data', () => {
    const wire = JSON.parse(JSON.stringify({ ...new AppError('EXEC.REQUOTE'), message: 'requote' }));
    expect([isAppError(wire), isRetryable(wire)]).toEqual([true, true]);
  });

  it('does not mistake other errors for AppErrors, nor retry them', () => {
    const foreign = Object.assign(new Error('x'), { code: 'ECONNRESET', retryable: true });
    expect([isAppError(foreign), isRetryable(foreign), isRetryable(new Error('x')), isRetryable(null)]).toEqual([false, false, false, false]);
    expect(isRetryable(new AppError('EXEC.OUTCOME_UNKNOWN'))).toBe(false);
  });
});
