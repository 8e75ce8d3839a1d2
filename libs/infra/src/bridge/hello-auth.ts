import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of randomness in a challenge nonce (64 lowercase hex characters on the wire). */
export const NONCE_BYTES = 32;

/** A fresh challenge nonce: 32 random bytes as lowercase hex. */
export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('hex');
}

/**
 * The hello proof: `hex(HMAC-SHA256(key = secret as UTF-8, message = nonce as ASCII))`, lowercase.
 * The EA computes the same with its own HMAC over `CryptEncode(CRYPT_HASH_SHA256, …)`.
 */
export function helloHmac(secret: string, nonce: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(nonce, 'ascii').digest('hex');
}

/**
 * Checks a hello HMAC in constant time. `secret` undefined (an account we do not know) still runs
 * one comparison against a throwaway key, so an unknown account and a wrong secret take the same
 * time and return the same answer.
 */
export function verifyHelloHmac(secret: string | undefined, nonce: string, hmac: string): boolean {
  const expected = Buffer.from(helloHmac(secret ?? randomBytes(32).toString('hex'), nonce), 'hex');
  const given = /^[0-9a-f]{64}$/.test(hmac) ? Buffer.from(hmac, 'hex') : Buffer.alloc(expected.length);
  return timingSafeEqual(expected, given) && secret !== undefined && /^[0-9a-f]{64}$/.test(hmac);
}
