import { createHash, randomBytes } from 'node:crypto';

/** Operator roles, weakest first: each role may do everything the ones before it may. */
export const Roles = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof Roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (Roles as readonly string[]).includes(value);
}

/** True when `role` is `required` or stronger. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return Roles.indexOf(role) >= Roles.indexOf(required);
}

/** Visible part of a key: `mt5_` and 8 characters, enough to tell keys apart, too short to use. */
export const KEY_PREFIX_LENGTH = 12;
const KEY_FORMAT = /^mt5_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  /** The secret, shown once and never stored. */
  readonly key: string;
  /** SHA-256 of the key, hex: what Postgres keeps. */
  readonly hash: string;
  readonly prefix: string;
}

/** A new key: 32 random bytes, base64url, behind a `mt5_` marker (so secret scanners can spot one). */
export function generateApiKey(random: (size: number) => Buffer = randomBytes): NewApiKey {
  const key = `mt5_${random(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, KEY_PREFIX_LENGTH) };
}

/**
 * SHA-256 without a salt is enough here: the key carries 256 random bits, so there is nothing to
 * guess, and a deterministic hash lets a request find its row by an index lookup.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Shape check before any lookup: anything else is refused without touching Postgres. */
export function looksLikeApiKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_FORMAT.test(value);
}
