import { describe, expect, it } from '@jest/globals';
import { LineReader } from './line-reader.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('LineReader', () => {
  it('splits lines across chunks and keeps a partial line for the next chunk', () => {
    const reader = new LineReader(100);
    expect(reader.push(bytes('{"a":1}\n{"b"'))).toEqual([{ kind: 'line', text: '{"a":1}' }]);
    expect(reader.push(bytes(':2}\r\n\n'))).toEqual([{ kind: 'line', text: '{"b":2}' }]);
    expect(reader.bufferedBytes).toBe(0);
  });

  it('decodes a multi-byte character split between two chunks', () => {
    const reader = new LineReader(100);
    const euro = bytes('"€"\n');
    expect(reader.push(euro.subarray(0, 2))).toEqual([]);
    expect(reader.push(euro.subarray(2))).toEqual([{ kind: 'line', text: '"€"' }]);
  });

  it('reports a line over the limit once, discards it up to the newline and reads the next line', () => {
    const reader = new LineReader(10);
    const events = [...reader.push(bytes('x'.repeat(8))), ...reader.push(bytes('x'.repeat(8))), ...reader.push(bytes('x'.repeat(50)))];
    expect(events).toEqual([{ kind: 'too-large', bytes: 16 }]);
    expect(reader.bufferedBytes).toBe(0);
    expect(reader.push(bytes('yyy\nok\n'))).toEqual([{ kind: 'line', text: 'ok' }]);
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const reader = new LineReader(5);
    // Two euro signs are 2 characters but 6 bytes.
    expect(reader.push(bytes('€€\n'))).toEqual([{ kind: 'too-large', bytes: 6 }]);
    expect(reader.push(bytes('€\n'))).toEqual([{ kind: 'line', text: '€' }]);
  });

  it('accepts a line of exactly the limit', () => {
    const reader = new LineReader(5);
    expect(reader.push(bytes('12345\n'))).toEqual([{ kind: 'line', text: '12345' }]);
  });

  it('reports invalid UTF-8 without losing the following line', () => {
    const reader = new LineReader(100);
    expect(reader.push(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a, 0x31, 0x0a]))).toEqual([{ kind: 'invalid-utf8' }, { kind: 'line', text: '1' }]);
  });
});
