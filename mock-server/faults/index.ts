/**
 * Faults on demand: rules, the X-Sandbox-Fault header and the middleware that applies them
 * (docs/faults-and-journal.md).
 */
export { ConnectionReset } from './connection-reset.ts';
export type { FaultDecision, FaultRequest, FaultRuleView } from './fault-set.ts';
export { FaultSet, MAX_FAULT_RULES } from './fault-set.ts';
export type { HeaderFault } from './header.ts';
export { FAULT_HEADER, parseFaultHeader } from './header.ts';
export type { AppliedFault, FaultEnv, FaultMiddlewareDeps, FaultVariables } from './middleware.ts';
export { injectFaults, untouched } from './middleware.ts';
export type { PathPattern, RequestPath, Surface } from './path-pattern.ts';
export { compilePathPattern, pathPatternProblem, requestPath } from './path-pattern.ts';
export { requestClientId } from './request-facts.ts';
export { DEFAULT_RETRY_AFTER_SECONDS, rateLimitMessage } from './responses.ts';
export type { FaultRuleSpec } from './rules.ts';
export { MAX_LATENCY_MS, parseFaultRule } from './rules.ts';
