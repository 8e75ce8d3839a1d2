import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { envelopeHeaderSchema, envelopeSchema, makeEnvelope } from './envelope.js';

describe('makeEnvelope', () => {
  const tsEvent = new Date('2022-01-04T10:05:00.000Z');
  const tsInit = new Date('2022-01-04T10:05:00.250Z');

  it('starts a new correlation at its own id when nothing caused it', () => {
    expect(makeEnvelope({ type: 'md.bar.closed', id: 'a', data: { x: 1 }, tsEvent, tsInit })).toEqual({
      type: 'md.bar.closed', v: 1, id: 'a', correlationId: 'a', causationId: null,
      tsEvent: '2022-01-04T10:05:00.000Z', tsInit: '2022-01-04T10:05:00.250Z', data: { x: 1 },
    });
  });

  it('inherits the correlation id of its cause and points at the cause', () => {
    const envelope = makeEnvelope({ type: 'sig.signal', v: 2, id: 'b', data: {}, tsEvent, tsInit, cause: { id: 'a', correlationId: 'root' } });
    expect([envelope.v, envelope.correlationId, envelope.causationId]).toEqual([2, 'root', 'a']);
  });
});

describe('envelopeSchema', () => {
  const schema = envelopeSchema('md.tick', 1, z.strictObject({ bid: z.string() }));
  const valid = {
    type: 'md.tick', v: 1, id: 'a', correlationId: 'a', causationId: null,
    tsEvent: '2022-01-04T10:05:00.000Z', tsInit: '2022-01-04T10:05:00.250Z', data: { bid: '1.1' },
  };

  it('accepts a well-formed envelope', () => {
    expect(schema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['another type', { ...valid, type: 'md.bar.closed' }],
    ['another version', { ...valid, v: 2 }],
    ['an unknown envelope field', { ...valid, extra: true }],
    ['a timestamp with an offset instead of UTC', { ...valid, tsEvent: '2022-01-04T12:05:00.000+02:00' }],
    ['an empty id', { ...valid, id: '' }],
    ['a payload that breaks its schema', { ...valid, data: { bid: 1.1 } }],
  ])('rejects %s', (_name, value) => {
    expect(schema.safeParse(value).success).toBe(false);
  });

  it('lets a router read the header without knowing the payload', () => {
    expect(envelopeHeaderSchema.safeParse({ ...valid, data: { anything: [1, 2] } }).success).toBe(true);
  });
});
