/**
 * A fault rule as `POST /admin/faults` takes it: what it matches (method, path pattern, site, company, client)
 * and what it does (status and body, latency, connection reset), how often (`times`, `every`, `probability`).
 * Validated once when added, with a message naming the field; a rule that is accepted cannot fail later.
 */
import { z } from 'zod';
import { AdminError, echoed } from '../errors.ts';
import { pathPatternProblem, requestPath } from './path-pattern.ts';

/** Longest latency a fault may add: a minute keeps a forgotten rule from hanging a test run for long. */
export const MAX_LATENCY_MS = 60_000;

/** A rule as given, after validation; `id`, counters and compiled matchers are added by the FaultSet. */
export interface FaultRuleSpec {
  method?: string;
  path?: string;
  site?: string;
  company?: number;
  client_id?: string;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  retry_after?: number;
  latency_ms?: number;
  latency?: { min_ms: number; max_ms: number };
  times?: number;
  every?: number;
  probability?: number;
  reset_connection?: boolean;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const positiveInt = (what: string) =>
  z
    .number({ error: `must be ${what}` })
    .int({ error: `must be ${what}` })
    .min(1, { error: `must be ${what}` });

const latencyMs = z
  .number({ error: `must be a whole number of milliseconds from 0 to ${MAX_LATENCY_MS}` })
  .int({ error: `must be a whole number of milliseconds from 0 to ${MAX_LATENCY_MS}` })
  .min(0, { error: `must be a whole number of milliseconds from 0 to ${MAX_LATENCY_MS}` })
  .max(MAX_LATENCY_MS, { error: `must be a whole number of milliseconds from 0 to ${MAX_LATENCY_MS}` });

const ruleSchema = z.strictObject({
  method: z
    .string({ error: `must be one of ${METHODS.join(', ')}` })
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(METHODS, { error: `must be one of ${METHODS.join(', ')}` }))
    .optional(),
  path: z
    .string({ error: 'must be a path pattern such as /customers* or /customers/{Id}' })
    .superRefine((pattern, ctx) => {
      const problem = pathPatternProblem(pattern);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      else if (requestPath(pattern).surface === 'admin') {
        ctx.addIssue({
          code: 'custom',
          message: 'cannot target /admin: faults never apply to the control API',
        });
      }
    })
    .optional(),
  site: z.string({ error: 'must be a site id (X-Site)' }).min(1, { error: 'must not be empty' }).optional(),
  company: z
    .union([z.number(), z.string().regex(/^\d{1,10}$/)], { error: 'must be a company id (X-Company)' })
    .transform(Number)
    .pipe(z.number().int({ error: 'must be a company id (X-Company)' }).min(0))
    .optional(),
  client_id: z
    .string({ error: 'must be an OAuth client id' })
    .min(1, { error: 'must not be empty' })
    .optional(),
  status: z
    .number({ error: 'must be an HTTP error status from 400 to 599' })
    .int({ error: 'must be an HTTP error status from 400 to 599' })
    .min(400, { error: 'must be an HTTP error status from 400 to 599' })
    .max(599, { error: 'must be an HTTP error status from 400 to 599' })
    .optional(),
  body: z.json({ error: 'must be a JSON value (a string is sent as text)' }).optional(),
  headers: z
    .record(
      z.string().regex(HEADER_NAME, { error: 'must be a valid header name' }),
      z
        .string({ error: 'must be a string' })
        .regex(/^[^\r\n\0]*$/, { error: 'must not contain line breaks' })
        // A header value goes out as bytes: anything outside Latin-1 would fail every matching request.
        .regex(/^[\t\x20-\x7E\x80-\xFF]*$/, { error: 'must hold only Latin-1 characters' }),
      { error: 'must be an object of header names to string values' },
    )
    .optional(),
  retry_after: z
    .number({ error: 'must be a whole number of seconds' })
    .int({ error: 'must be a whole number of seconds' })
    .min(0, { error: 'must be a whole number of seconds' })
    .max(86_400, { error: 'must be at most 86400 seconds' })
    .optional(),
  latency_ms: latencyMs.optional(),
  latency: z
    .strictObject({ min_ms: latencyMs, max_ms: latencyMs }, { error: 'must be { "min_ms": n, "max_ms": m }' })
    .refine((l) => l.min_ms <= l.max_ms, { error: 'min_ms must not exceed max_ms', path: ['max_ms'] })
    .optional(),
  times: positiveInt('a whole number of matches, at least 1').optional(),
  every: positiveInt('a whole number, at least 1 (1 is every match)').optional(),
  probability: z
    .number({ error: 'must be a number from 0 to 1' })
    .min(0, { error: 'must be a number from 0 to 1' })
    .max(1, { error: 'must be a number from 0 to 1' })
    .optional(),
  reset_connection: z.boolean({ error: 'must be true or false' }).optional(),
});

/** How deep a fault response body may nest: enough for any real payload, shallow enough to check safely. */
export const MAX_BODY_DEPTH = 64;

/** The nesting depth of a JSON value, counted without recursion (so a hostile body cannot overflow the stack). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_BODY_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Validates a `POST /admin/faults` body; throws a 400 AdminError naming the first field at fault. */
export function parseFaultRule(input: unknown): FaultRuleSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid('the body must be a JSON object describing one fault rule');
  }
  if (depthOf((input as { body?: unknown }).body) > MAX_BODY_DEPTH) {
    throw invalid(`body.body must not nest deeper than ${MAX_BODY_DEPTH} levels`);
  }
  const parsed = ruleSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      throw invalid(
        `body.${echoed(String(issue.keys[0]))} is not a fault rule field; the fields are ${Object.keys(ruleSchema.shape).join(', ')}`,
      );
    }
    throw invalid(`body.${echoed(issue.path.map(String).join('.'))} ${issue.message}`);
  }
  const spec = dropUndefined(parsed.data) as FaultRuleSpec;
  if (spec.latency_ms !== undefined && spec.latency !== undefined) {
    throw invalid('give body.latency_ms (fixed) or body.latency (a random range), not both');
  }
  for (const field of ['body', 'headers', 'retry_after'] as const) {
    if (spec[field] !== undefined && spec.status === undefined) {
      throw invalid(`body.${field} shapes a fault response: give body.status too`);
    }
  }
  if (spec.status === undefined && spec.latency_ms === undefined && !spec.latency && !spec.reset_connection) {
    throw invalid(
      'a rule must do something: give body.status, body.latency_ms, body.latency or body.reset_connection',
    );
  }
  if (spec.path !== undefined && requestPath(spec.path).surface === 'sage_id') {
    for (const field of ['site', 'company'] as const) {
      if (spec[field] !== undefined) {
        throw invalid(
          `body.${field} matches Sage API requests (X-Site / X-Company); ${echoed(spec.path)} is a Sage ID path`,
        );
      }
    }
  }
  return spec;
}

function invalid(message: string): AdminError {
  return new AdminError(400, 'invalid_fault', message);
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
