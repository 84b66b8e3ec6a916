/**
 * What every write to the Sage 200 API goes through before a handler sees it: the trial-site refusal, and a JSON
 * body that is the right type, small enough and well formed. Each refusal is an application error and changes
 * nothing. See docs/writes.md (the trial refusal's status and wording are assumed).
 */
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { SageApiError } from '../errors.ts';
import type { ApiEnv } from '../gateway/index.ts';
import { nodeRequest } from '../http/node-request.ts';

/** Largest request body the sandbox reads (Sage publishes no limit; 1 MiB is assumed). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The refusal trial ("Try and Buy") sites give to every create, update and delete (wording assumed). */
export const TRIAL_WRITE_MESSAGE =
  'This is a trial account. Trial accounts cannot create or update records through the Sage 200 API.';

/** Refuses writes on trial sites with 403, before the body is even read. */
export function rejectTrialWrites(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (c.get('site').site.kind === 'trial') throw new SageApiError(403, TRIAL_WRITE_MESSAGE);
    await next();
  };
}

/**
 * The request body as parsed JSON: 415 unless it is sent as `application/json`, 413 over MAX_BODY_BYTES
 * (counted as it streams, so a lying Content-Length cannot get past), 400 when it is not valid JSON.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('Content-Type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type.trim())) {
    throw new SageApiError(
      415,
      `The request entity's media type '${type || '(none)'}' is not supported; send application/json.`,
    );
  }
  const declared = Number(c.req.header('Content-Length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const incoming = nodeRequest(c.env);
  const text = await (incoming && !incoming.readableDidRead ? readIncoming(incoming) : readStream(c.req.raw));
  if (text.trim() === '') throw new SageApiError(400, 'The request body is empty.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SageApiError(400, `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** readJsonBody, then insists on a JSON object (a Sage entity), naming what came instead. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const body = await readJsonBody(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SageApiError(
      400,
      `The request body must be a JSON object, not ${Array.isArray(body) ? 'an array' : typeof body === 'object' ? 'null' : `a ${typeof body}`}.`,
    );
  }
  return body as Record<string, unknown>;
}

/**
 * The body straight from the Node request, as it arrives: no web stream in between. Past MAX_BODY_BYTES it stops
 * reading; @hono/node-server then drains or closes what is left once the 413 is sent.
 */
function readIncoming(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onGone);
      incoming.off('close', onGone);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      stop();
      incoming.pause();
      reject(tooLarge());
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    // A client that goes away mid-body hears nothing; the refusal keeps the write from changing anything, and,
    // being an expected answer, keeps the console free of an "unexpected error" for it.
    const onGone = () => {
      stop();
      reject(new SageApiError(400, 'The client closed the connection before the request body ended.'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onGone);
    incoming.on('close', onGone);
  });
}

/** The body through the web Request (in process), counted as it streams. */
async function readStream(request: Request): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(): SageApiError {
  return new SageApiError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
}
