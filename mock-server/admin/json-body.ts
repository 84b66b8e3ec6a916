/** Request bodies of the control API: a JSON object, or an AdminError saying what is wrong with it. */
import { AdminError } from '../errors.ts';

export async function jsonObject(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AdminError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  let parsed: unknown;
  try {
    parsed = await request.json();
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
