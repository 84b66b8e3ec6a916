/**
 * Request bodies of the control API (`/admin`, `/admin/tenants` included): a JSON object, or an AdminError saying
 * what is wrong with it, and the checks the reset and tenant endpoints share.
 */
import { AdminError, echoed } from '../errors.ts';
import { checkAsOf } from '../world/calendar.ts';
import { SCALES, type Scale, type WorldChoice } from '../world/model.ts';

export async function jsonObject(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AdminError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  // Read outside the try: a body refused while it streams (too large) keeps its own error.
  const text = await request.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AdminError(400, 'invalid_json', 'the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AdminError(400, 'invalid_request', 'the body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** A JSON object body that may be left out: no body at all (or only whitespace) reads as `{}`. */
export async function optionalJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === '') return {};
  return jsonObject(new Request(request.url, { method: 'POST', headers: request.headers, body: text }));
}

/** The `seed`, `scale` and `as_of` of a control API body, checked. */
export function worldChoice(body: Record<string, unknown>): WorldChoice {
  const choice: WorldChoice = {};
  const { seed, scale, as_of } = body;
  if (seed !== undefined) {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
      throw invalid('body.seed must be a non-negative whole number');
    }
    choice.seed = seed;
  }
  if (scale !== undefined) {
    if (typeof scale !== 'string' || !(SCALES as readonly string[]).includes(scale)) {
      throw invalid(`body.scale must be one of ${SCALES.join(', ')}`);
    }
    choice.scale = scale as Scale;
  }
  if (as_of !== undefined) {
    try {
      choice.asOf = checkAsOf(as_of);
    } catch {
      throw invalid('body.as_of must be a calendar date YYYY-MM-DD');
    }
  }
  return choice;
}

/** Refuses a body field the endpoint does not take, so a typo is caught rather than ignored. */
export function onlyFields(body: Record<string, unknown>, fields: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!fields.includes(key)) {
      throw invalid(
        `body.${echoed(key)} is not a field of this request; the fields are ${fields.join(', ')}`,
      );
    }
  }
}

function invalid(message: string): AdminError {
  return new AdminError(400, 'invalid_request', message);
}
