/**
 * The fault middleware: it runs before routing and before the gateway (so a 429 can hit a call without a token,
 * as APIM's rate limiter does), on Sage API and Sage ID requests only, never on /admin. The X-Sandbox-Fault header
 * wins over the rules; otherwise the FaultSet decides. Latency is waited out first, then the fault response is
 * sent (or the request goes through), then the connection is reset if the fault says so.
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import { OAuthError, SageApiError } from '../errors.ts';
import { resetConnection } from './connection-reset.ts';
import type { FaultDecision, FaultSet } from './fault-set.ts';
import { FAULT_HEADER, FaultHeaderError, parseFaultHeader } from './header.ts';
import { type RequestPath, requestPath } from './path-pattern.ts';
import { type RequestFactsVariables, requestClientId } from './request-facts.ts';
import { faultResponse } from './responses.ts';

/** What was done to a request, for the journal. */
export interface AppliedFault {
  /** Rule ids that fired, in order, or `['header']`. */
  rules: string[];
  /** The status sent (or begun, before a reset); absent when the request went through to the routes. */
  status?: number;
  latencyMs: number;
  connectionReset: boolean;
}

export interface FaultVariables extends RequestFactsVariables {
  sandboxFault?: AppliedFault;
}

export type FaultEnv = { Variables: FaultVariables };

export interface FaultMiddlewareDeps {
  /** The fault rules for this request (one set per sandbox, or per tenant). */
  faults: (c: Context) => FaultSet;
}

/** The fault middleware; register it before the routes with `app.use(injectFaults(deps))`. */
export function injectFaults(deps: FaultMiddlewareDeps): MiddlewareHandler<FaultEnv> {
  return (c, next) => {
    const faults = deps.faults(c);
    const header = c.req.header(FAULT_HEADER);
    // Not async on this path, so the untouched request pays for no promise of its own.
    return untouched(faults, header) ? next() : applyFaults(c, next, faults, header);
  };
}

async function applyFaults(
  c: Context<FaultEnv>,
  next: Next,
  faults: FaultSet,
  header: string | undefined,
): ReturnType<MiddlewareHandler<FaultEnv>> {
  const target = requestPath(c.req.path);
  if (target.surface !== 'api' && target.surface !== 'sage_id') return next();
  const decision = headerDecision(header, target, faults) ?? (await ruleDecision(c, target, faults));
  if (!decision) return next();
  const applied: AppliedFault = {
    rules: decision.rules,
    latencyMs: decision.latencyMs,
    connectionReset: decision.reset,
  };
  c.set('sandboxFault', applied);
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  let response: Response;
  if (decision.response) {
    response = faultResponse(decision.response, target.surface);
    applied.status = response.status;
  } else {
    await next();
    response = c.res;
  }
  if (!decision.reset) return response;
  applied.status = response.status;
  resetConnection(c.env, response, decision.rules);
  return response;
}

/**
 * Whether a request goes through untouched, its path never looked at: so it is with no rule at all and no
 * X-Sandbox-Fault header (`header`, its value), as for nearly every request.
 */
export function untouched(faults: FaultSet, header: string | undefined): boolean {
  return faults.size === 0 && header === undefined;
}

/** Waits on the global setTimeout, not node:timers/promises, so tests can drive the delay with fake timers. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function headerDecision(
  raw: string | undefined,
  target: RequestPath,
  faults: FaultSet,
): FaultDecision | undefined {
  if (raw === undefined) return undefined;
  let parsed: ReturnType<typeof parseFaultHeader>;
  try {
    parsed = parseFaultHeader(raw);
  } catch (error) {
    if (!(error instanceof FaultHeaderError)) throw error;
    throw target.surface === 'api'
      ? new SageApiError(400, error.message)
      : new OAuthError(400, 'invalid_request', error.message);
  }
  return {
    rules: ['header'],
    latencyMs: parsed.latency ? faults.headerLatency(parsed.latency.min, parsed.latency.max) : 0,
    ...(parsed.status === undefined
      ? {}
      : { response: { status: parsed.status, headers: {}, retryAfter: parsed.retryAfter } }),
    reset: parsed.reset,
  };
}

async function ruleDecision(
  c: Context<FaultEnv>,
  target: RequestPath,
  faults: FaultSet,
): Promise<FaultDecision | undefined> {
  if (faults.size === 0) return undefined;
  const clientId = faults.needsClientId ? await requestClientId(c, target) : undefined;
  return faults.decide({
    method: c.req.method,
    target,
    site: c.req.header('X-Site'),
    company: c.req.header('X-Company'),
    clientId,
  });
}
