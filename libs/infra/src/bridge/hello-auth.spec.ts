import { describe, expect, it } from '@jest/globals';
import { helloHmac, newNonce, verifyHelloHmac } from './hello-auth.js';

describe('hello HMAC', () => {
  it('is HMAC-SHA256 in lowercase hex (RFC 4231 test case 2)', () => {
    expect(helloHmac('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('accepts the proof for the right secret and nonce only', () => {
    const nonce = newNonce();
    const proof = helloHmac('secret-one-0123456', nonce);
    expect(verifyHelloHmac('secret-one-0123456', nonce, proof)).toBe(true);
    expect(verifyHelloHmac('secret-two-0123456', nonce, proof)).toBe(false);
    expect(verifyHelloHmac('secret-one-0123456', newNonce(), proof)).toBe(false);
    expect(verifyHelloHmac(undefined, nonce, proof)).toBe(false);
    expect(verifyHelloHmac('secret-one-0123456', nonce, proof.toUpperCase())).toBe(false);
  });

  it('makes a fresh 64-hex-character nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{64}$/);
  });
});
