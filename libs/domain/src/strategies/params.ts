/**
 * A small hand-written validator for strategy parameters (the domain stays free of zod). It
 * reports every problem at once, as `<field>: <what is wrong>, got <value>`.
 */
export type FieldRule =
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'number'; readonly min: number; readonly max: number; readonly minExclusive?: boolean }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

/** Outcome of validating parameters: the full parameter set (defaults filled in) or every problem. */
export type ValidationResult<P> =
  | { readonly ok: true; readonly params: P }
  | { readonly ok: false; readonly problems: readonly string[] };

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function checkField(name: string, rule: FieldRule, value: unknown): string | null {
  switch (rule.kind) {
    case 'integer':
      return Number.isInteger(value) && (value as number) >= rule.min && (value as number) <= rule.max
        ? null
        : `${name}: must be an integer in ${rule.min}..${rule.max}, got ${describe(value)}`;
    case 'number': {
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (rule.minExclusive ? value > rule.min : value >= rule.min) &&
        value <= rule.max;
      return ok ? null : `${name}: must be a number in ${rule.minExclusive ? '(' : '['}${rule.min}, ${rule.max}], got ${describe(value)}`;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : `${name}: must be true or false, got ${describe(value)}`;
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value)
        ? null
        : `${name}: must be one of ${rule.values.join(', ')}, got ${describe(value)}`;
  }
}

/**
 * Validates `input` (a partial parameter object, e.g. from a stored config) against `rules`,
 * fills in `defaults` for absent fields, refuses unknown fields, then runs `crossChecks` on the
 * merged set when every field is individually valid.
 */
export function validateParams<P extends object>(
  input: unknown,
  defaults: P,
  rules: { readonly [K in keyof P]: FieldRule },
  crossChecks: (params: P) => readonly string[] = () => [],
): ValidationResult<P> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: [`params: must be an object, got ${Array.isArray(input) ? 'an array' : describe(input)}`] };
  }
  const given = input as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(rules, key)) problems.push(`${key}: unknown parameter (known: ${Object.keys(rules).join(', ')})`);
  }
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const key of Object.keys(rules) as (keyof P & string)[]) {
    if (given[key] === undefined) continue;
    const problem = checkField(key, rules[key], given[key]);
    if (problem) problems.push(problem);
    else merged[key] = given[key];
  }
  if (problems.length > 0) return { ok: false, problems };
  const params = merged as P;
  const crossProblems = crossChecks(params);
  return crossProblems.length > 0 ? { ok: false, problems: crossProblems } : { ok: true, params };
}
