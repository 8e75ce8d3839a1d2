import { randomBytes } from 'node:crypto';
import type { Role } from './api-key.js';

/** Who a request runs as: the API key's id, its name (the audit log's actor) and its role. */
export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
}

/** What the gateway adds to each request it lets through. */
export interface GatewayRequestContext {
  principal?: Principal;
  /** Trace id of the request (the active span's, or a random one), in error bodies and the audit log. */
  traceId?: string;
}

/** A W3C-sized trace id (16 random bytes, hex) for a request that has no active span. */
export const newTraceId = (): string => randomBytes(16).toString('hex');
