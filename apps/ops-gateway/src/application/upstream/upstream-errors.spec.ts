import { describe, expect, it } from '@jest/globals';
import { replyFailure, statusForCode, transportFailure } from './upstream-errors.js';

describe('statusForCode', () => {
  it.each([
    ['MSG.SCHEMA_VIOLATION', false, 400], ['OPS.INVALID_REQUEST', false, 400], ['RPT.INVALID_CURSOR', false, 400],
    ['OPS.FORBIDDEN', false, 403],
    ['OPS.NOT_FOUND', false, 404], ['EXEC.POSITION_NOT_FOUND', false, 404], ['MD.UNKNOWN_INSTRUMENT', false, 404],
    ['OPS.CONFLICT', false, 409], ['RPT.REPORT_TOO_LARGE', false, 413],
    ['RPT.DB_UNAVAILABLE', true, 503], ['MD.CACHE_UNAVAILABLE', true, 503],
    ['INTERNAL', false, 502], ['RPT.QUERY_FAILED', false, 502],
  ])('maps %s (retryable %s) to %i', (code, retryable, status) => {
    expect(statusForCode(code, retryable)).toBe(status);
  });
});

describe('replyFailure', () => {
  it('keeps the message of a client error: it names the field and the reason', () => {
    const error = replyFailure('signal-engine', 'sig.ctl.strategies.set-params', { code: 'OPS.INVALID_REQUEST', message: 'params.fast: must be positive', retryable: false });
    expect([error.status, error.code, error.message]).toEqual([400, 'OPS.INVALID_REQUEST', 'params.fast: must be positive']);
  });

  it('replaces the message of a server-side failure, which may carry SQL or internals', () => {
    const error = replyFailure('reporting', 'rpt.qry.trades', { code: 'INTERNAL', message: 'relation "trades" does not exist', retryable: false });
    expect(error.status).toBe(502);
    expect(error.message).toBe('reporting failed to answer rpt.qry.trades (INTERNAL); its logs have the details');
  });
});

describe('transportFailure', () => {
  const noResponders = Object.assign(new Error('no responders'), { name: 'RequestError', isNoResponders: () => true });

  it('says the service is not answering when nobody subscribes', () => {
    const error = transportFailure('risk-guard', 'risk.ctl.cancel-order', noResponders, 5000);
    expect([error.status, error.code, error.headers['Retry-After']]).toEqual([503, 'SYS.DEPENDENCY_UNAVAILABLE', '5']);
    expect(error.message).toBe('risk-guard is not answering risk.ctl.cancel-order (no responders): it is not running, or it does not serve this request yet');
  });

  it('says how long it waited when the service did not answer in time', () => {
    const timeout = new Error('request failed', { cause: Object.assign(new Error('timeout'), { name: 'TimeoutError' }) });
    const error = transportFailure('execution', 'exec.qry.positions', timeout, 1500);
    expect([error.status, error.code, error.message]).toEqual([503, 'SYS.TIMEOUT', 'execution did not answer exec.qry.positions within 1500 ms']);
  });
});
