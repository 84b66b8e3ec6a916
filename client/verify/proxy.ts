/**
 * `sage200-sandbox proxy`: a local server that forwards the Sage 200 API to the real service, holds each answer to
 * the contract as verify does, and records the whole records it reads into a scenario file (ScenarioRecorder).
 * Writes are refused unless `allowWrites` names their path. The bearer token is forwarded and never kept.
 */
import { Hono } from 'hono';
import { loadCatalog, loadContract } from '../../contracts/index.ts';
import { type Difference, DifferenceLedger } from './differences.ts';
import { checkExchange, parseBody } from './exchange-check.ts';
import type { PacedFetch } from './http.ts';
import { type RecorderOptions, ScenarioRecorder } from './scenario-recorder.ts';
import { validatorFor } from './validator.ts';

/** The API's path on the proxy, as on Sage's host and the sandbox. */
export const PROXY_API_PATH = '/uk/sage200/accounts/v1';
/** Request headers passed on to the service; every other is dropped. */
const FORWARDED_REQUEST = [
  'authorization',
  'x-site',
  'x-company',
  'accept',
  'content-type',
  'ocp-apim-subscription-key',
];
const FORWARDED_RESPONSE = ['content-type', 'retry-after'];

export interface ProxyOptions {
  /** The real API base, ending in `/`. */
  apiBaseUrl: string;
  fetch: PacedFetch;
  /** Contract paths (`/customers`, `/customers/{Id}`) whose writes are forwarded. */
  allowWrites: readonly string[];
  recorder: RecorderOptions;
  /** The scenario file, written after every recorded read; undefined keeps it in memory (tests). */
  scenarioFile: string | undefined;
  /** One line per exchange: method, path, status, what was recorded and what differed. */
  onExchange?: (line: string) => void;
}

export interface RecordingProxy {
  app: Hono;
  recorder: ScenarioRecorder;
  differences(): Difference[];
}

export function createProxy(options: ProxyOptions): RecordingProxy {
  const doc = loadContract();
  const validator = validatorFor(doc);
  const recorder = new ScenarioRecorder(loadCatalog(), options.recorder);
  const ledger = new DifferenceLedger();
  const app = new Hono();

  app.all(`${PROXY_API_PATH}/*`, async (c) => {
    const url = new URL(c.req.url);
    const path = url.pathname.slice(PROXY_API_PATH.length) || '/';
    const method = c.req.method.toUpperCase();
    const template = validator.matchPath(method, path);
    if (method !== 'GET' && (template === undefined || !options.allowWrites.includes(template))) {
      options.onExchange?.(
        `${method} ${path}${url.search} 403: not forwarded (read-only; --allow-writes names paths)`,
      );
      return c.json(
        {
          Message: `sage200-sandbox proxy forwards no ${method}: it is read-only unless --allow-writes names the path (${template ?? path}).`,
        },
        403,
      );
    }
    const headers = new Headers();
    for (const name of FORWARDED_REQUEST) {
      const value = c.req.header(name);
      if (value !== undefined) headers.set(name, value);
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.arrayBuffer();
    const target = new URL(`${path.replace(/^\//, '')}${url.search}`, options.apiBaseUrl);
    const response = await options.fetch(
      new Request(target, { method, headers, ...(body === undefined ? {} : { body }) }),
    );
    const text = await response.text();
    const notes: string[] = [];
    if (template === undefined) {
      notes.push('not in the contract');
    } else {
      const findings = checkExchange(doc, validator, {
        method,
        template,
        status: response.status,
        contentType: response.headers.get('content-type'),
        text,
      });
      ledger.add(findings, `${method} ${template}`);
      for (const finding of findings) notes.push(`${finding.resource}.${finding.field}: ${finding.problem}`);
      const site = c.req.header('x-site');
      const company = c.req.header('x-company');
      if (method === 'GET' && response.status === 200 && template === '/sites')
        recorder.noteSites(parseBody(text));
      if (method === 'GET' && response.status === 200 && site !== undefined && company !== undefined) {
        const kept = recorder.record({
          path,
          query: url.searchParams,
          template,
          site,
          company,
          body: parseBody(text),
        });
        if (kept > 0) {
          notes.push(`recorded ${kept}`);
          if (options.scenarioFile !== undefined) recorder.write(options.scenarioFile);
        }
      }
    }
    options.onExchange?.(
      `${method} ${path}${url.search} ${response.status}${notes.length > 0 ? `: ${notes.join('; ')}` : ''}`,
    );
    const answer = new Headers();
    for (const name of FORWARDED_RESPONSE) {
      const value = response.headers.get(name);
      if (value !== null) answer.set(name, value);
    }
    return new Response(text === '' ? null : text, { status: response.status, headers: answer });
  });

  return { app, recorder, differences: () => ledger.differences() };
}
