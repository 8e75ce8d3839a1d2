import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isAppError } from '../app-error.js';
import { bridgeBodyExamples } from './frame-examples.fixture.js';
import { BridgeFrameKinds, encodeFrame, makeFrame, parseFrame, utf8ByteLength, type BridgeFrameKind } from './frame.js';

const ts = Date.UTC(2022, 0, 4, 10, 5);
const frameOf = <K extends BridgeFrameKind>(kind: K, replyTo?: string) => makeFrame(kind, bridgeBodyExamples[kind], { id: 't-1', ts, replyTo });

function failure(line: string, maxBytes?: number) {
  const result = parseFrame(line, maxBytes);
  if (result.ok) throw new Error(`expected ${line} to fail`);
  return { code: result.code, message: result.message, refId: result.refId };
}

describe('bridge frames', () => {
  it.each(BridgeFrameKinds.map((kind) => [kind]))('encodes and parses a %s frame unchanged', (kind) => {
    const frame = frameOf(kind, 'g-7');
    const line = encodeFrame(frame);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(parseFrame(line.slice(0, -1))).toEqual({ ok: true, frame });
  });

  it('writes the header first, as a reader of logs expects', () => {
    expect(encodeFrame(frameOf('heartbeat'))).toBe(
      '{"v":1,"kind":"heartbeat","id":"t-1","ts":1641290700000,"body":{"terminalConnected":true,"tradeAllowed":true,"serverTimeOffsetSeconds":7200}}\n',
    );
  });

  it('tolerates the carriage return of a CRLF line end', () => {
    expect(parseFrame(`${encodeFrame(frameOf('account_request')).trimEnd()}\r`).ok).toBe(true);
  });
});

describe('parseFrame failures', () => {
  it('refuses a line longer than the limit before parsing it', () => {
    expect(failure(`{"v":1,"kind":"heartbeat","id":"${'x'.repeat(100)}"}`, 64)).toEqual({ code: 'BRIDGE.FRAME_TOO_LARGE', message: 'frame exceeds 64 bytes', refId: undefined });
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const line = JSON.stringify({ v: 1, kind: 'error', id: 'a', ts, body: { code: 'BRIDGE.MALFORMED', message: '€'.repeat(30) } });
    expect(utf8ByteLength(line)).toBe(line.length + 60);
    expect(parseFrame(line, line.length + 60).ok).toBe(true);
    expect(failure(line, line.length + 59).code).toBe('BRIDGE.FRAME_TOO_LARGE');
  });

  it('reports JSON that does not parse', () => {
    const { code, message } = failure('{"v":1,"kind":"tick",');
    expect(code).toBe('BRIDGE.MALFORMED');
    expect(message).toMatch(/^not JSON: /);
  });

  it('reports a protocol version it does not speak, with the frame id for the error reply', () => {
    expect(failure(JSON.stringify({ ...frameOf('hello'), v: 2 }))).toEqual({
      code: 'BRIDGE.UNSUPPORTED_VERSION', message: 'protocol version 2 is not supported (this side speaks 1)', refId: 't-1',
    });
    expect(failure(JSON.stringify({ kind: 'hello', id: 'x' })).code).toBe('BRIDGE.UNSUPPORTED_VERSION');
  });

  it('reports an unknown kind', () => {
    expect(failure(JSON.stringify({ ...frameOf('tick'), kind: 'quote' }))).toEqual({
      code: 'BRIDGE.SCHEMA_VIOLATION', message: 'unknown frame kind "quote"', refId: 't-1',
    });
    expect(failure(JSON.stringify({ ...frameOf('tick'), kind: 'constructor' })).message).toBe('unknown frame kind "constructor"');
  });

  it.each([
    ['a JSON value that is not an object', '"hello"', 'frame is not a JSON object'],
    ['an unknown header field', JSON.stringify({ ...frameOf('tick'), extra: 1 }), 'tick: (root): Unrecognized key: "extra"'],
    ['a price sent as a string', JSON.stringify({ ...frameOf('tick'), body: { ...bridgeBodyExamples.tick, bid: '1.12953' } }), 'tick: body.bid: Invalid input: expected number, received string'],
    ['a ticket sent as a number', JSON.stringify({ ...frameOf('trade_result'), body: { ...bridgeBodyExamples.trade_result, deal: 3000002 } }), 'trade_result: body.deal: Invalid input: expected string, received number'],
    ['a ts in seconds with a fraction', JSON.stringify({ ...frameOf('heartbeat'), ts: 1641290700.5 }), 'heartbeat: ts: Invalid input: expected int, received number'],
  ])('reports %s as a schema violation', (_name, line, message) => {
    const result = failure(line);
    expect([result.code, result.message]).toEqual(['BRIDGE.SCHEMA_VIOLATION', message]);
  });

  it('never throws, whatever arrives on the socket', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((value) => JSON.stringify({ v: 1, kind: 'tick', id: 'x', ts: 0, body: value }))), (line) => {
        const result = parseFrame(line, 4096);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe('trade_request rules per action', () => {
  const request = bridgeBodyExamples.trade_request;
  const check = (body: object) => {
    const result = parseFrame(JSON.stringify({ ...frameOf('trade_request'), body }));
    return result.ok ? 'valid' : result.message;
  };

  it('accepts a pending order with a price and a removal by ticket', () => {
    expect(check({ ...request, action: 'PENDING', type: 'SELL_LIMIT', price: 1.131, typeFilling: 'RETURN' })).toBe('valid');
    expect(check({ action: 'REMOVE', order: '4000002', magic: 770001, comment: '' })).toBe('valid');
  });

  it('names each field the action needs', () => {
    expect(check({ action: 'DEAL', magic: 770001, comment: 'x' })).toBe(
      'trade_request: body.symbol: symbol is required for action DEAL; body.volume: volume is required for action DEAL; body.type: type is required for action DEAL; body.typeFilling: typeFilling is required for action DEAL',
    );
    expect(check({ action: 'CLOSE_BY', position: '1', magic: 0, comment: '' })).toBe('trade_request: body.positionBy: positionBy is required for action CLOSE_BY');
  });

  it('refuses a comment the trade server would cut', () => {
    expect(check({ ...request, comment: 'c'.repeat(32) })).toBe('trade_request: body.comment: Too big: expected string to have <=31 characters');
  });
});

describe('encodeFrame', () => {
  it('refuses to write an invalid frame', () => {
    const bad = { ...frameOf('tick'), body: { ...bridgeBodyExamples.tick, bid: Number.NaN } };
    let thrown: unknown;
    try {
      encodeFrame(bad);
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown) && [thrown.code, thrown.message]).toEqual([
      'BRIDGE.SCHEMA_VIOLATION', 'encodeFrame: body.bid: Invalid input: expected number, received NaN',
    ]);
  });

  it('refuses to write a frame past the size limit', () => {
    expect(() => encodeFrame(frameOf('symbol_spec'), 100)).toThrow('encodeFrame: symbol_spec frame exceeds 100 bytes');
  });
});
