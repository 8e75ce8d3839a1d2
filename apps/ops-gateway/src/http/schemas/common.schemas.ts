import { accountString, isDecimalString, symbolString, Timeframes } from '@mt5/contracts';
import { z } from 'zod';

/**
 * Building blocks of the HTTP schemas. Bodies and queries are strict: an unknown field is a 400
 * that names it. Numbers the platform keeps exact (volumes, prices) are decimal strings on the
 * bus; the API also takes a JSON number and says precisely why a bad one is refused.
 */

type Sign = 'positive' | 'non-negative';

function decimalProblem(field: string, value: string | number, sign: Sign): string | null {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return `${field} must be a number, got NaN`;
    if (!Number.isFinite(value)) return `${field} must be finite, got ${value}`;
    if (value < 0 || (sign === 'positive' && value === 0)) return `${field} must be ${sign === 'positive' ? 'positive' : 'zero or more'}, got ${value}`;
    return isDecimalString(String(value), sign) ? null : `${field} must be a plain decimal such as 0.1, got ${value}`;
  }
  const text = value.trim();
  if (/^[+-]?nan$/i.test(text)) return `${field} must be a number, got ${JSON.stringify(value)}`;
  if (/^[+-]?(inf|infinity)$/i.test(text)) return `${field} must be finite, got ${JSON.stringify(value)}`;
  if (/^-/.test(text) && isDecimalString(text.slice(1), 'non-negative')) return `${field} must be ${sign === 'positive' ? 'positive' : 'zero or more'}, got ${JSON.stringify(value)}`;
  if (!isDecimalString(value, 'non-negative')) return `${field} must be a plain decimal string such as "0.10" (no exponent, sign or spaces), got ${JSON.stringify(value)}`;
  if (sign === 'positive' && /^0(\.0+)?$/.test(value)) return `${field} must be positive, got ${JSON.stringify(value)}`;
  return null;
}

/**
 * A decimal as a string (`"0.10"`) or a JSON number; out comes the decimal string. The schema is
 * `unknown` underneath so that every bad value reaches the check that names it: `1e999` parses to
 * Infinity, which a plain number schema would refuse with a bare "invalid input".
 */
export function decimalInput(field: string, sign: Sign) {
  return z.unknown()
    .superRefine((value, ctx) => {
      const problem = typeof value === 'string' || typeof value === 'number'
        ? decimalProblem(field, value, sign)
        : `${field} must be a decimal string such as "0.10" or a number, got ${value === null ? 'null' : typeof value}`;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((value) => (typeof value === 'number' ? String(value) : (value as string)))
    .meta({ anyOf: [{ type: 'string', maxLength: 40 }, { type: 'number' }], description: `${field} as a decimal string ("0.10") or a finite number`, example: '0.10' });
}

/** Comma-separated list in a query string (`symbols=EURUSD,GBPUSD`). */
export function csv<T extends z.ZodType<string>>(item: T, max = 100) {
  // The items' own schema checks each string (an enum narrows it), hence the cast on the pipe.
  const items = z.array(item).min(1).max(max) as unknown as z.ZodType<z.output<T>[], string[]>;
  return z.string().max(4000)
    .transform((text) => text.split(',').map((part) => part.trim()).filter((part) => part.length > 0))
    .pipe(items)
    .meta({ description: 'comma-separated list' });
}

export const optionalAccount = accountString.optional().meta({ description: 'account; the gateway default (OPS_ACCOUNT) when absent' });
export const timeframeParam = z.enum(Timeframes);
export const symbolParam = symbolString;
export const isoTime = z.iso.datetime({ error: (issue) => `expected an ISO-8601 UTC time such as 2024-01-02T03:04:05Z, got ${JSON.stringify(issue.input)}` });
export const limitParam = (max: number) => z.coerce.number().int().min(1).max(max);
/** A reason for a change, kept in the audit log (required where state or breakers change). */
export const reasonField = z.string().trim().min(3, 'a reason of at least 3 characters is required').max(500);

/** Every error the API answers with. */
export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string().meta({ example: 'OPS.INVALID_REQUEST' }),
    message: z.string(),
    retryable: z.boolean(),
    traceId: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
}).meta({ id: 'ErrorResponse' });

/** An object whose shape the answering service owns (documented in its docs), passed through as is. */
export const passThrough = (description: string) => z.looseObject({}).meta({ description });
